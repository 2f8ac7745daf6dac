import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useCall } from '../../app/invoke';
import { ErrorMessage } from '../../components/ErrorMessage';
import { LOCAL_DISPLAY_ID, type DisplayOverview, type PairingCode } from '../../contract';
import { selectTimezone } from '../../features/system/systemSlice';
import type { UiError } from '../../lib/errors';
import { formatDateTime } from '../../lib/time';

/**
 * Remote customer displays (when the terminal runs with remote displays on): the address and
 * certificate fingerprint a device checks, a one-use pairing code, the paired devices with
 * unpairing, and which display is the customer's (the only one that takes the camera and the
 * customer's face-pay steps).
 */
export function DisplaysPanel() {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const timeZone = useAppSelector(selectTimezone);
  const [overview, setOverview] = useState<DisplayOverview | null>(null);
  const [code, setCode] = useState<PairingCode | null>(null);
  const [error, setError] = useState<UiError | null>(null);

  const refresh = useCallback(() => {
    void call('display.devices', {}).then((r) => {
      if (r.ok) setOverview(r.value);
      else setError(r.error);
    });
  }, [call]);
  useEffect(refresh, [refresh]);

  if (overview === null) return null;
  const when = (iso: string | null) =>
    iso === null ? t('displays.never') : formatDateTime(iso, i18n.language, timeZone);
  const active = overview.devices.filter((d) => d.revokedAt === null);
  return (
    <section className="panel" aria-labelledby="displays-title" data-testid="displays-panel">
      <h2 id="displays-title" className="panel__title">
        {t('displays.title')}
      </h2>
      {overview.remote === null ? (
        <p className="muted">{t('displays.off')}</p>
      ) : (
        <>
          <dl className="figures">
            <div>
              <dt>{t('displays.address')}</dt>
              <dd data-testid="displays-url">{overview.remote.url}</dd>
            </div>
            <div>
              <dt>{t('displays.fingerprint')}</dt>
              <dd data-testid="displays-fingerprint">{overview.remote.fingerprint}</dd>
            </div>
          </dl>
          <button
            type="button"
            className="btn btn-secondary"
            onClick={() => {
              void call('display.pairingCode', {}).then((r) => {
                if (!r.ok) return setError(r.error);
                setError(null);
                setCode(r.value);
              });
            }}
          >
            {t('displays.newCode')}
          </button>
          {code !== null && (
            <p role="status">
              {t('displays.code', { time: when(code.expiresAt) })}{' '}
              <strong data-testid="pairing-code">{code.code}</strong>
            </p>
          )}
        </>
      )}
      <label className="field">
        <span className="field-label">{t('displays.customers')}</span>
        <select
          className="input"
          value={overview.customerDisplay}
          onChange={(event) => {
            void call('display.setCustomer', { display: event.target.value }).then((r) => {
              if (!r.ok) return setError(r.error);
              setError(null);
              setOverview(r.value);
            });
          }}
        >
          <option value={LOCAL_DISPLAY_ID}>{t('displays.local')}</option>
          {active.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      {overview.devices.length > 0 && (
        <table className="report-table" aria-label={t('displays.title')}>
          <thead>
            <tr>
              <th>{t('displays.name')}</th>
              <th>{t('displays.paired')}</th>
              <th>{t('displays.lastSeen')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {overview.devices.map((d) => (
              <tr key={d.id}>
                <td>{d.name}</td>
                <td>{when(d.createdAt)}</td>
                <td>{when(d.lastSeenAt)}</td>
                <td>
                  {d.revokedAt === null ? (
                    <button
                      type="button"
                      className="btn btn-ghost btn-small"
                      onClick={() => {
                        void call('display.revoke', { deviceId: d.id }).then((r) => {
                          if (!r.ok) return setError(r.error);
                          setError(null);
                          refresh();
                        });
                      }}
                    >
                      {t('displays.revoke')}
                    </button>
                  ) : (
                    t('displays.revoked', { time: when(d.revokedAt) })
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
