import { useTranslation } from 'react-i18next';
import { applyKeypadKey, type KeypadKey, type KeypadRules } from './keypad';

const DIGITS: KeypadKey[] = ['7', '8', '9', '4', '5', '6', '1', '2', '3'];

/** A touch keypad for PINs and amounts; the keyboard works in the field beside it as well. */
export function Keypad({
  value,
  onChange,
  rules,
  label,
}: {
  value: string;
  onChange: (value: string) => void;
  rules: KeypadRules;
  label: string;
}) {
  const { t } = useTranslation();
  const keys: KeypadKey[] = [...DIGITS, rules.decimals > 0 ? '.' : 'clear', '0', 'back'];
  return (
    <div className="keypad" role="group" aria-label={t('keypad.label', { field: label })}>
      {keys.map((key) => (
        <button
          key={key}
          type="button"
          className="btn btn-ghost keypad__key"
          // The keypad is for touch; keyboard users type in the field.
          tabIndex={-1}
          aria-label={
            key === 'back' ? t('keypad.back') : key === 'clear' ? t('keypad.clear') : undefined
          }
          onClick={() => onChange(applyKeypadKey(value, key, rules))}
        >
          {key === 'back' ? '⌫' : key === 'clear' ? 'C' : key}
        </button>
      ))}
    </div>
  );
}
