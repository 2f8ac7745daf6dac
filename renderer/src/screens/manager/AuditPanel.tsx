import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import {
  checkAuditNow,
  selectAuditChecking,
  selectAuditError,
  selectAuditStatus,
} from '../../features/audit/auditSlice';
import { selectTimezone } from '../../features/system/systemSlice';
import { formatDateTime } from '../../lib/time';

/**
 * The audit chain check: when it last ran (at start, daily, by hand, or the cloud's comparison
 * at sync), its result with the first bad row, and "check now".
 */
export function AuditPanel() {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const status = useAppSelector(selectAuditStatus);
  const checking = useAppSelector(selectAuditChecking);
  const error = useAppSelector(selectAuditError);
  const timeZone = useAppSelector(selectTimezone);
  const busy = checking || status?.running === true;
  return (
    <section className="panel" aria-labelledby="audit-title" data-testid="audit-panel">
      <h2 id="audit-title" className="panel__title">
        {t('audit.title')}
      </h2>
      {status === null ? (
        <p className="muted">{t('app.loading')}</p>
      ) : (
        <dl className="figures">
          <div>
            <dt>{t('audit.lastCheck')}</dt>
            <dd data-testid="audit-last-check">
              {status.checkedAt === null
                ? t('audit.never')
                : `${formatDateTime(status.checkedAt, i18n.language, timeZone)} · ${t(`audit.scope.${status.scope ?? 'full'}`)}`}
            </dd>
          </div>
          <div>
            <dt>{t('audit.result')}</dt>
            <dd data-testid="audit-result">
              {status.ok || status.firstBroken === null
                ? t('audit.ok', { count: status.checked })
                : t('audit.broken', { seq: status.firstBroken.seq })}
            </dd>
          </div>
          {!status.ok && status.firstBroken !== null && (
            <div>
              <dt>{t('audit.reason')}</dt>
              <dd data-testid="audit-reason">{status.firstBroken.reason}</dd>
            </div>
          )}
        </dl>
      )}
      <ErrorMessage error={error} />
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => void dispatch(checkAuditNow())}
        data-testid="audit-check-now"
      >
        {busy ? t('audit.running') : t('audit.checkNow')}
      </button>
    </section>
  );
}
