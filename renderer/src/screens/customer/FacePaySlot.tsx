/**
 * The face-pay slot of the customer display: "Pay with your face" when face pay is offered (the
 * customer may tap it, or the cashier presses Face Pay), then the journey over the whole screen
 * (facepay/FacePayOverlay). Offline or without a camera, face pay is not offered: the slot says
 * to pay at the counter, and every other tender works as before.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import type { Sale } from '../../contract';
import {
  attemptFor,
  selectFacePayAvailability,
  selectFacePayState,
  startFacePay,
} from '../../features/facepay/facePaySlice';
import { FacePayOverlay } from './facepay/FacePayOverlay';

export function FacePaySlot({ sale }: { sale: Sale }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const availability = useAppSelector(selectFacePayAvailability);
  const attempt = attemptFor(useAppSelector(selectFacePayState), sale.id);
  // The customer may close a failure's message (the attempt stays failed until the next one).
  const [closed, setClosed] = useState<number | null>(null);
  const showAttempt =
    attempt !== null &&
    attempt.phase !== 'paid' &&
    !(attempt.phase === 'failed' && closed === attempt.attempt);

  return (
    <section className="face-pay-slot" data-testid="face-pay-slot" data-sale-id={sale.id}>
      {availability.available && sale.dueFen > 0 ? (
        <button
          type="button"
          className="btn btn-large facepay__start"
          data-testid="facepay-start"
          onClick={() => {
            setClosed(null);
            void dispatch(startFacePay(sale.id));
          }}
        >
          {t('facepay.tapToPay')}
        </button>
      ) : (
        <p>{t('customer.facePay')}</p>
      )}
      {showAttempt && attempt !== null && (
        <FacePayOverlay sale={sale} attempt={attempt} onClose={() => setClosed(attempt.attempt)} />
      )}
    </section>
  );
}
