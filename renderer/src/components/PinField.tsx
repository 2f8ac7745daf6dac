import { useId, type RefObject } from 'react';
import { Keypad } from './Keypad';

const PIN_RULES = { maxLength: 8, decimals: 0 };

/** A PIN entry (masked), with a keypad for touch. */
export function PinField({
  label,
  value,
  onChange,
  inputRef,
  withKeypad = true,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  inputRef?: RefObject<HTMLInputElement | null>;
  withKeypad?: boolean;
}) {
  const id = useId();
  return (
    <div className="field pin-field">
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <input
        id={id}
        ref={inputRef}
        className="input input--large input--pin"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={8}
        value={value}
        onChange={(event) => onChange(event.target.value.replace(/\D/g, '').slice(0, 8))}
      />
      {withKeypad && <Keypad value={value} onChange={onChange} rules={PIN_RULES} label={label} />}
    </div>
  );
}

export function isPinShaped(pin: string): boolean {
  return /^\d{4,8}$/.test(pin);
}
