import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../app/hooks';
import { selectAuditStatus } from '../features/audit/auditSlice';

/**
 * Raised on the cashier's and the manager's screens while the audit chain check has failed:
 * the ledger was edited, or the cloud's anchor no longer matches. It names the first bad row
 * and cannot be dismissed; it goes when a check (or the cloud) finds the chain whole again.
 */
export function AuditBanner() {
  const { t } = useTranslation();
  const status = useAppSelector(selectAuditStatus);
  if (status === null || status.ok || status.firstBroken === null) return null;
  return (
    <div role="alert" className="audit-banner" data-testid="audit-banner">
      <strong>
        {status.scope === 'cloud'
          ? t('audit.bannerCloud', { seq: status.firstBroken.seq })
          : t('audit.banner', { seq: status.firstBroken.seq })}
      </strong>{' '}
      <span>{t('audit.bannerHint')}</span>
    </div>
  );
}
