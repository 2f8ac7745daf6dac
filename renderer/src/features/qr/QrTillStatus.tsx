/**
 * What the cashier sees of the sale's QR (主扫): preparing, shown on the customer display with
 * the seconds left (Esc cancels), then paid, expired, cancelled or failed.
 */
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useSecondsLeft } from '../../components/useSecondsLeft';
import { selectQr } from './qrSlice';

export function QrTillStatus({ saleId }: { saleId: string }) {
  const { t } = useTranslation();
  const { current, asking, error } = useAppSelector(selectQr);
  const qr = current !== null && current.saleId === saleId ? current : null;
  const seconds = useSecondsLeft(
    qr?.state === 'showing' && qr.expiresAt !== null ? Date.parse(qr.expiresAt) : null,
  );
  if (error !== null) return <ErrorMessage error={error} />;
  if (asking)
    return (
      <p
        className="paycode paycode--busy"
        role="status"
        data-testid="qr-status"
        data-state="asking"
      >
        {t('qr.asking')}
      </p>
    );
  if (qr === null) return null;
  const words =
    qr.state === 'showing'
      ? t('qr.till.showing', { seconds: seconds ?? 0 })
      : qr.state === 'failed'
        ? t('qr.till.failed', { message: qr.message ?? qr.code ?? '' })
        : t(`qr.till.${qr.state}`);
  return (
    <p
      className={`paycode ${qr.state === 'showing' ? 'paycode--busy' : ''}`}
      role="status"
      data-testid="qr-status"
      data-state={qr.state}
    >
      {words}
    </p>
  );
}
