import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { loadPinAttempts, selectPinAttempts } from '../../features/manager/managerSlice';
import { selectTimezone } from '../../features/system/systemSlice';
import { formatDateTime } from '../../lib/time';

/**
 * Recent PIN checks at this terminal, newest first: for whom (a person, or "any manager" for an
 * approval), who was signed in at the till, the outcome and any lockout it earned. Someone
 * guessing at a colleague's PIN shows up here by name.
 */
export function PinAttemptsPanel() {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const attempts = useAppSelector(selectPinAttempts);
  const timeZone = useAppSelector(selectTimezone);
  useEffect(() => {
    void dispatch(loadPinAttempts());
  }, [dispatch]);
  return (
    <section className="panel" aria-labelledby="pin-attempts-title" data-testid="pin-attempts">
      <h2 id="pin-attempts-title" className="panel__title">
        {t('pinAttempts.title')}
      </h2>
      {attempts.length === 0 ? (
        <p className="muted">{t('pinAttempts.none')}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('pinAttempts.when')}</th>
              <th scope="col">{t('pinAttempts.for')}</th>
              <th scope="col">{t('pinAttempts.by')}</th>
              <th scope="col">{t('pinAttempts.outcome')}</th>
              <th scope="col">{t('pinAttempts.lockedUntil')}</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a, i) => (
              <tr key={`${a.at}-${i}`}>
                <td>{formatDateTime(a.at, i18n.language, timeZone)}</td>
                <td>
                  {a.role === 'manager' && a.staff === null
                    ? t('pinAttempts.anyManager')
                    : (a.staff?.name ?? '')}
                </td>
                <td>{a.by?.name ?? t('pinAttempts.nobody')}</td>
                <td>{t(`pinAttempts.outcomes.${a.outcome}`)}</td>
                <td>
                  {a.lockedUntil === null
                    ? ''
                    : formatDateTime(a.lockedUntil, i18n.language, timeZone)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
