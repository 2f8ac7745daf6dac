import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pairThisDevice } from '../../api/hostKey';

/**
 * A remote customer display that is not paired yet: the person types the code the manager's
 * screen shows (and a name for this device); the till gives this device its own token. Before
 * that, compare the certificate's fingerprint the browser shows with the manager's screen.
 */
export function PairingScreen({ onPaired }: { onPaired: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<'refused' | 'unreachable' | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="screen screen--customer">
      <form
        className="panel"
        aria-labelledby="pairing-title"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          void pairThisDevice(window, code.trim(), name.trim()).then((outcome) => {
            setBusy(false);
            if (outcome === 'paired') onPaired();
            else setProblem(outcome);
          });
        }}
      >
        <h1 id="pairing-title" className="panel__title">
          {t('pairing.title')}
        </h1>
        <p className="muted">{t('pairing.help')}</p>
        <label className="field">
          <span className="field-label">{t('pairing.code')}</span>
          <input
            className="input"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="\d{8}"
            maxLength={8}
            required
            value={code}
            onChange={(event) => setCode(event.target.value.replace(/\D/g, ''))}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('pairing.name')}</span>
          <input
            className="input"
            maxLength={60}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('pairing.submit')}
        </button>
        {problem !== null && (
          <div role="alert" className="alert">
            {t(`pairing.${problem}`)}
          </div>
        )}
      </form>
    </div>
  );
}
