import { useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import { EDIT_KEYS, FUNCTION_KEYS } from '../../features/keyboard/keymap';

/** F1: every key of the till. */
export function HelpOverlay({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  const rows = [
    ...FUNCTION_KEYS.map((f) => ({ keys: f.key, command: f.command })),
    ...EDIT_KEYS.map((e) => ({ keys: e.keys, command: e.command })),
    { keys: '24 *', command: 'qtyNext' as const },
    { keys: 'Alt+1/2/3', command: 'payMethod' as const },
  ];
  // Close has the focus (Enter or Esc closes), but the help is read from its title: focusing
  // Close scrolled the dialog to its end. Runs after the Dialog's own focus (parent effects
  // run after the child's).
  useLayoutEffect(() => {
    const dialog = closeRef.current?.closest<HTMLElement>('[role="dialog"]');
    if (dialog) dialog.scrollTop = 0;
  }, []);
  return (
    <Dialog
      title={t('help.title')}
      onCancel={onClose}
      initialFocus={closeRef}
      className="dialog--wide"
      testId="help-dialog"
    >
      <div className="dialog__body">
        <p>{t('help.intro')}</p>
        <table className="report-table help-table" aria-label={t('help.title')}>
          <thead>
            <tr>
              <th scope="col">{t('help.key')}</th>
              <th scope="col">{t('help.action')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.keys}>
                <th scope="row">
                  <kbd>{row.keys}</kbd>
                </th>
                <td>{t(`keys.${row.command}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">{t('help.scanner')}</p>
        <div className="dialog__actions">
          <button
            ref={closeRef}
            type="button"
            className="btn btn-primary btn-large"
            onClick={onClose}
          >
            {t('common.close')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
