import { useId, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { YuanParse } from '../../lib/money';

/** A yuan amount input with its label and, once touched, its validation message. */
export function AmountField({
  label,
  value,
  onChange,
  parsed,
  showError,
  inputRef,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  parsed: YuanParse;
  showError: boolean;
  inputRef?: RefObject<HTMLInputElement | null>;
  testId?: string;
}) {
  const { t } = useTranslation();
  const id = useId();
  const errorId = `${id}-error`;
  const invalid = showError && !parsed.ok;
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        ref={inputRef}
        className="input input--large input--amount"
        type="text"
        inputMode="decimal"
        autoComplete="off"
        spellCheck={false}
        maxLength={16}
        value={value}
        aria-invalid={invalid}
        aria-describedby={invalid ? errorId : undefined}
        data-testid={testId}
        onChange={(event) => onChange(event.target.value)}
      />
      {invalid && (
        <p id={errorId} className="field-error" role="alert">
          {t(`amount.${parsed.reason}`)}
        </p>
      )}
    </div>
  );
}
