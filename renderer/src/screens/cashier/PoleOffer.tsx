/**
 * The register's total, offered to the till: "Register asks ¥12.30 — Confirm (Enter) / Dismiss".
 * Only the cashier's confirm turns it into a sale to pay; the amount sent is the one on this
 * banner, so a register that changed its figure meanwhile is refused, not charged.
 */
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useMoney } from '../../components/hooks';
import {
  confirmPole,
  dismissPole,
  selectPoleBusy,
  selectPoleError,
  selectPoleOffer,
} from '../../features/pole/poleSlice';

export function PoleOffer({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const money = useMoney();
  const dispatch = useAppDispatch();
  const offer = useAppSelector(selectPoleOffer);
  const error = useAppSelector(selectPoleError);
  const busy = useAppSelector(selectPoleBusy);
  if (offer === null) return null;
  return (
    <section className="pole-offer" role="status" data-testid="pole-offer">
      <p className="pole-offer__text">
        {t('pole.asks')} <strong data-testid="pole-offer-amount">{money(offer)}</strong>
      </p>
      <div className="pole-offer__actions">
        <button
          type="button"
          className="btn btn-pay"
          disabled={busy}
          aria-keyshortcuts="Enter"
          onClick={() => void dispatch(confirmPole(offer)).then(onDone)}
        >
          {t('pole.confirm')} <kbd aria-hidden="true">Enter</kbd>
        </button>
        <button
          type="button"
          className="btn btn-secondary"
          disabled={busy}
          onClick={() => void dispatch(dismissPole()).then(onDone)}
        >
          {t('pole.dismiss')}
        </button>
      </div>
      <ErrorMessage error={error} testId="pole-error" />
    </section>
  );
}
