import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../app/invoke';
import { ErrorMessage } from '../../components/ErrorMessage';
import { isPinShaped, PinField } from '../../components/PinField';
import type { UiError } from '../../lib/errors';

/**
 * The shop's settings (a manager's PIN to change): the discount limit above which a manager's PIN
 * is needed, and whether receipts print by themselves when a sale completes.
 */
export function SettingsPanel() {
  const { t } = useTranslation();
  const call = useCall();
  const [percent, setPercent] = useState('');
  const [autoPrint, setAutoPrint] = useState(true);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<UiError | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void call('settings.get', {}).then((r) => {
      if (!r.ok) return;
      setPercent(String(r.value.discountLimitBp / 100));
      setAutoPrint(r.value.autoPrintReceipt);
    });
  }, [call]);
  return (
    <form
      className="panel"
      aria-labelledby="settings-title"
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        const value = Number(percent);
        if (!Number.isFinite(value) || value < 0 || value > 100)
          return setError({ kind: 'local', reason: 'amountInvalid' });
        if (!isPinShaped(pin)) return setError({ kind: 'local', reason: 'pinRequired' });
        void call('settings.set', {
          discountLimitBp: Math.round(value * 100),
          autoPrintReceipt: autoPrint,
          managerPin: pin,
        }).then((r) => {
          setPin('');
          if (!r.ok) return setError(r.error);
          setError(null);
          setSaved(true);
        });
      }}
    >
      <h2 id="settings-title" className="panel__title">
        {t('settings.title')}
      </h2>
      <label className="field">
        <span className="field-label">{t('settings.discountLimit')}</span>
        <input
          className="input"
          type="text"
          inputMode="decimal"
          maxLength={5}
          value={percent}
          onChange={(event) => setPercent(event.target.value)}
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={autoPrint}
          data-testid="auto-print"
          onChange={(event) => setAutoPrint(event.target.checked)}
        />
        {t('settings.autoPrint')}
      </label>
      <PinField label={t('approval.managerPin')} value={pin} onChange={setPin} withKeypad={false} />
      <ErrorMessage error={error} />
      {saved && (
        <p role="status" className="notice notice--ok">
          {t('settings.saved')}
        </p>
      )}
      <button type="submit" className="btn btn-secondary">
        {t('settings.save')}
      </button>
    </form>
  );
}
