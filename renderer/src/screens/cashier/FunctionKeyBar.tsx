import { useTranslation } from 'react-i18next';
import { FUNCTION_KEYS, type CashierCommand } from '../../features/keyboard/keymap';

/** The function keys along the bottom: a reminder for the keyboard, buttons for touch. */
export function FunctionKeyBar({
  onCommand,
  disabled,
}: {
  onCommand: (command: CashierCommand) => void;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  return (
    <nav className="fkeys" aria-label={t('keys.bar')}>
      {FUNCTION_KEYS.map((f) => (
        <button
          key={f.key}
          type="button"
          className="btn fkey"
          aria-keyshortcuts={f.key}
          disabled={disabled}
          // Clicking must not take focus from the barcode field.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onCommand(f.command)}
        >
          <kbd aria-hidden="true">{f.key}</kbd>
          <span>{t(`keys.${f.command}`)}</span>
        </button>
      ))}
    </nav>
  );
}
