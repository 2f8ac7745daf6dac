import { useId, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The barcode field (focused by default). Typing a code and pressing Enter adds the item; a
 * scanner's input is caught by the scanner detector wherever focus is, so it arrives here too.
 */
export function BarcodeEntry({
  inputRef,
  onSubmit,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  onSubmit: (barcode: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <form
      className="barcode-entry"
      onSubmit={(event) => {
        event.preventDefault();
        const input = inputRef.current;
        if (input === null) return;
        const code = input.value.trim();
        input.value = '';
        if (code !== '') onSubmit(code);
      }}
    >
      <label htmlFor={id} className="field-label">
        {t('cashier.barcode')}
      </label>
      <div className="barcode-entry__row">
        <input
          id={id}
          ref={inputRef}
          className="input input--large"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="enter"
          maxLength={64}
          placeholder={t('cashier.barcodeHint')}
          autoFocus
        />
        <button type="submit" className="btn btn-secondary">
          {t('cashier.add')}
        </button>
      </div>
    </form>
  );
}
