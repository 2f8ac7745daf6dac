import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { selectSyncStatus } from '../../features/sync/syncSlice';
import { selectTimezone } from '../../features/system/systemSlice';
import { formatDateTime } from '../../lib/time';

/** Outbox delivery to the cloud: state, events and wallet credits waiting, last success. */
export function SyncPanel() {
  const { t, i18n } = useTranslation();
  const sync = useAppSelector(selectSyncStatus);
  const timeZone = useAppSelector(selectTimezone);
  return (
    <section className="panel" aria-labelledby="sync-title" data-testid="sync-panel">
      <h2 id="sync-title" className="panel__title">
        {t('sync.label')}
      </h2>
      {sync === null ? (
        <p className="muted">{t('app.loading')}</p>
      ) : (
        <dl className="figures">
          <div>
            <dt>{t('sync.stateLabel')}</dt>
            <dd>{t(`sync.state.${sync.state}`)}</dd>
          </div>
          <div>
            <dt>{t('sync.pendingLabel')}</dt>
            <dd data-testid="sync-pending">{sync.pendingEvents}</dd>
          </div>
          <div>
            <dt>{t('sync.pendingCreditsLabel')}</dt>
            <dd data-testid="sync-pending-credits">{sync.pendingWalletCredits}</dd>
          </div>
          <div>
            <dt>{t('sync.lastSuccess')}</dt>
            <dd>
              {sync.lastSuccessAt === null
                ? t('sync.never')
                : formatDateTime(sync.lastSuccessAt, i18n.language, timeZone)}
            </dd>
          </div>
        </dl>
      )}
    </section>
  );
}
