/**
 * The merchant-presented QR on the customer display (主扫): while it shows, the QR large and
 * centred with the amount and the seconds left; after, a line saying it was paid, expired or
 * cancelled (a paid sale moves on to the thank-you screen as any paid sale does).
 */
import { useTranslation } from 'react-i18next';
import { useMoney } from '../../components/hooks';
import { QrCode } from '../../components/QrCode';
import { useSecondsLeft } from '../../components/useSecondsLeft';
import type { QrState } from '../../contract';

export function QrShowing({ qr }: { qr: QrState }) {
  const { t } = useTranslation();
  const money = useMoney();
  const seconds = useSecondsLeft(qr.expiresAt === null ? null : Date.parse(qr.expiresAt));
  return (
    <section className="customer__qr" role="status" data-testid="customer-qr" data-state="showing">
      <p className="customer__qr-title">{t('qr.scanToPay')}</p>
      <output className="customer__total" data-testid="customer-qr-amount">
        {money(qr.amountFen)}
      </output>
      {qr.qrCode !== null && (
        <QrCode text={qr.qrCode} label={t('qr.codeLabel')} testId="customer-qr-code" />
      )}
      {seconds !== null && (
        <p className="customer__qr-seconds" data-testid="customer-qr-seconds">
          {t('qr.secondsLeft', { seconds })}
        </p>
      )}
    </section>
  );
}

/** How the QR ended, for the customer (nothing while it shows: QrShowing has the screen). */
export function QrOutcome({ qr }: { qr: QrState }) {
  const { t } = useTranslation();
  if (qr.state === 'showing') return null;
  return (
    <p
      className={`customer__qr-outcome customer__qr-outcome--${qr.state}`}
      role="status"
      data-testid="customer-qr-outcome"
      data-state={qr.state}
    >
      {t(`qr.customer.${qr.state}`)}
    </p>
  );
}
