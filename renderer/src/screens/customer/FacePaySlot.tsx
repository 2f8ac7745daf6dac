/**
 * ┌──────────────────────────────────────────────────────────────────────────────────────────┐
 * │ FACE-PAY SLOT (a later issue)                                                            │
 * │ The guided face-payment journey lives here: camera preview frames and status from main  │
 * │ (the renderer never touches the camera), amount + masked-name confirmation, the phone   │
 * │ last-4 fallback when the match is ambiguous, and the QR-code fallback. It receives the   │
 * │ active sale; today it only tells the customer to pay at the counter.                     │
 * └──────────────────────────────────────────────────────────────────────────────────────────┘
 */
import { useTranslation } from 'react-i18next';
import type { Sale } from '../../contract';

export function FacePaySlot({ sale }: { sale: Sale }) {
  const { t } = useTranslation();
  return (
    <section className="face-pay-slot" data-testid="face-pay-slot" data-sale-id={sale.id}>
      <p>{t('customer.facePay')}</p>
    </section>
  );
}
