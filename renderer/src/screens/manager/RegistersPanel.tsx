import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useCall } from '../../app/invoke';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { RegisterDevice, RegisterOverview, RegisterPairingCode } from '../../contract';
import { selectTimezone } from '../../features/system/systemSlice';
import type { UiError } from '../../lib/errors';
import { formatDateTime } from '../../lib/time';

/**
 * Shop registers (the register API, /v1/register): where a register reaches the terminal, a
 * one-time pairing code (8 digits, 10 minutes, one use) the register exchanges for its token,
 * and the paired registers with their last contact, a rename and a revoke. A token is never
 * shown here: only the register that paired ever sees it.
 */
export function RegistersPanel() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const timeZone = useAppSelector(selectTimezone);
  const [overview, setOverview] = useState<RegisterOverview | null>(null);
  const [code, setCode] = useState<RegisterPairingCode | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [error, setError] = useState<UiError | null>(null);

  const refresh = useCallback(() => {
    void call('registers.list', {}).then((r) => {
      if (r.ok) setOverview(r.value);
      else setError(r.error);
    });
  }, [call]);
  useEffect(refresh, [refresh]);
  // While a code is shown, a register may use it at any moment: follow the list until it
  // expires, so the manager sees the new register appear without reloading. (These requests
  // count as the manager's: they keep the session for at most the code's 10 minutes, and the
  // screen's own lock after 10 minutes without input still applies.)
  useEffect(() => {
    if (code === null) return undefined;
    const timer = setInterval(() => {
      if (Date.parse(code.expiresAt) < Date.now()) setCode(null);
      else refresh();
    }, 2000);
    return () => clearInterval(timer);
  }, [code, refresh]);

  const when = (iso: string | null) =>
    iso === null ? t('registers.never') : formatDateTime(iso, i18n.language, timeZone);

  const rename = (device: RegisterDevice, name: string) => {
    void call('registers.rename', { registerId: device.id, name }).then((r) => {
      if (!r.ok) return setError(r.error);
      setError(null);
      setRenaming(null);
      refresh();
    });
  };

  return (
    <section className="panel" aria-labelledby="registers-title" data-testid="registers-panel">
      <h2 id="registers-title" className="panel__title">
        {t('registers.title')}
      </h2>
      {overview !== null && (
        <dl className="figures">
          <div>
            <dt>{t('registers.localUrl')}</dt>
            <dd data-testid="registers-local-url">{overview.localUrl}</dd>
          </div>
          {overview.remote === null ? (
            <p className="muted">{t('registers.remoteOff')}</p>
          ) : (
            <>
              <div>
                <dt>{t('registers.remoteUrl')}</dt>
                <dd data-testid="registers-remote-url">{overview.remote.url}</dd>
              </div>
              <div>
                <dt>{t('registers.fingerprint')}</dt>
                <dd data-testid="registers-fingerprint">{overview.remote.fingerprint}</dd>
              </div>
            </>
          )}
        </dl>
      )}
      <button
        type="button"
        className="btn btn-secondary"
        onClick={() => {
          void call('registers.pairingCode', {}).then((r) => {
            if (!r.ok) return setError(r.error);
            setError(null);
            setCode(r.value);
          });
        }}
      >
        {t('registers.newCode')}
      </button>
      {code !== null && (
        <p role="status">
          {t('registers.code', { time: when(code.expiresAt) })}{' '}
          <strong data-testid="register-pairing-code">{code.code}</strong>
        </p>
      )}
      {overview !== null && overview.registers.length > 0 && (
        <table className="report-table" aria-label={t('registers.title')}>
          <thead>
            <tr>
              <th>{t('registers.name')}</th>
              <th>{t('registers.paired')}</th>
              <th>{t('registers.lastSeen')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {overview.registers.map((d) => (
              <tr key={d.id} data-testid="register-row">
                <td>
                  {renaming?.id === d.id ? (
                    <form
                      onSubmit={(event) => {
                        event.preventDefault();
                        rename(d, renaming.name);
                      }}
                    >
                      <input
                        className="input"
                        aria-label={t('registers.newName')}
                        value={renaming.name}
                        maxLength={60}
                        autoFocus
                        onChange={(event) => setRenaming({ id: d.id, name: event.target.value })}
                        onKeyDown={(event) => {
                          if (event.key === 'Escape') setRenaming(null);
                        }}
                      />{' '}
                      <button type="submit" className="btn btn-primary btn-small">
                        {t('registers.save')}
                      </button>
                    </form>
                  ) : (
                    d.name
                  )}
                </td>
                <td>{when(d.createdAt)}</td>
                <td>{when(d.lastSeenAt)}</td>
                <td>
                  {d.revokedAt === null ? (
                    <>
                      <button
                        type="button"
                        className="btn btn-ghost btn-small"
                        onClick={() => setRenaming({ id: d.id, name: d.name })}
                      >
                        {t('registers.rename')}
                      </button>{' '}
                      <button
                        type="button"
                        className="btn btn-ghost btn-small"
                        onClick={() => {
                          void call('registers.revoke', { registerId: d.id }).then((r) => {
                            if (!r.ok) return setError(r.error);
                            setError(null);
                            refresh();
                          });
                        }}
                      >
                        {t('registers.revoke')}
                      </button>
                    </>
                  ) : (
                    t('registers.revoked', { time: when(d.revokedAt) })
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ErrorMessage error={error} />
    </section>
  );
}
