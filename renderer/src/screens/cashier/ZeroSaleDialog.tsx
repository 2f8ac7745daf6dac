/**
 * F12 on a sale of ¥0.00 (a 100 % discount, free items): there is nothing to tender, so the
 * dialog offers one thing, completing the sale without a payment (sale.completeZero); the
 * receipt follows as for any completed sale.
 */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useMoney } from '../../components/hooks';
import type { Sale } from '../../contract';
import { completeZero, selectPaying, selectSaleError } from '../../features/sale/saleSlice';

export function ZeroSaleDialog({ sale, onClose }: { sale: Sale; onClose: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const money = useMoney();
  const paying = useAppSelector(selectPaying);
  const error = useAppSelector(selectSaleError);
  const confirmRef = useRef<HTMLButtonElement>(null);

  return (
    <Dialog
      title={t('payment.zeroTitle')}
      onCancel={paying ? undefined : onClose}
      initialFocus={confirmRef}
      className="dialog--payment"
      testId="zero-sale-dialog"
    >
      <form
        className="dialog__body"
        onSubmit={(event) => {
          event.preventDefault();
          if (!paying) void dispatch(completeZero());
        }}
      >
        <div className="payment__due">
          <span>{t('payment.due')}</span>
          <strong data-testid="payment-due">{money(sale.totalFen)}</strong>
        </div>
        <p className="hint">{t('payment.zeroHint')}</p>
        <ErrorMessage error={error} />
        <div className="dialog__actions">
          <button
            type="button"
            className="btn btn-ghost btn-large"
            onClick={onClose}
            disabled={paying}
          >
            {t('payment.cancel')}
          </button>
          <button
            ref={confirmRef}
            type="submit"
            className="btn btn-primary btn-large"
            data-testid="complete-zero"
          >
            {paying ? t('payment.paying') : t('payment.completeZero', { amount: money(0) })}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
