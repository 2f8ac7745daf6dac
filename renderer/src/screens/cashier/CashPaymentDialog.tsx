import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useMoney } from '../../components/hooks';
import type { Sale } from '../../contract';
import { payCash, selectPaying, selectSaleError } from '../../features/sale/saleSlice';
import { cashChange, fenToYuanInput, parseYuanToFen, quickTenders } from '../../lib/money';
import { AmountField } from './AmountField';

/** Cash tender: what the customer handed over, the change to give, then pay the amount due. */
export function CashPaymentDialog({ sale, onClose }: { sale: Sale; onClose: () => void }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const money = useMoney();
  const paying = useAppSelector(selectPaying);
  const error = useAppSelector(selectSaleError);
  const [value, setValue] = useState('');
  const [touched, setTouched] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const due = sale.dueFen;
  const parsed = parseYuanToFen(value);
  const change = cashChange(due, parsed.ok ? parsed.fen : null);
  const quick = quickTenders(due);
  const canConfirm = change.state === 'ok' && !paying;

  const confirm = (): void => {
    setTouched(true);
    if (!parsed.ok || change.state !== 'ok' || paying) {
      inputRef.current?.focus();
      return;
    }
    void dispatch(payCash({ tenderedFen: parsed.fen })).then((result) => {
      if (payCash.fulfilled.match(result) && result.payload.status === 'completed') onClose();
    });
  };

  return (
    <Dialog
      title={t('payment.title')}
      onCancel={paying ? undefined : onClose}
      initialFocus={inputRef}
      className="dialog--payment"
      testId="payment-dialog"
    >
      <form
        className="dialog__body"
        onSubmit={(event) => {
          event.preventDefault();
          confirm();
        }}
      >
        <div className="payment__due">
          <span>{t('payment.due')}</span>
          <strong data-testid="payment-due">{money(due)}</strong>
        </div>
        <AmountField
          label={t('payment.tendered')}
          value={value}
          onChange={(next) => {
            setValue(next);
            setTouched(false);
          }}
          parsed={parsed}
          showError={touched || (value !== '' && !parsed.ok && parsed.reason !== 'empty')}
          inputRef={inputRef}
          testId="tendered-input"
        />
        <div className="quick" role="group" aria-label={t('payment.quick')}>
          {quick.map((q) => (
            <button
              key={q.fen}
              type="button"
              className="btn btn-secondary btn-quick"
              onClick={() => {
                setValue(fenToYuanInput(q.fen));
                setTouched(false);
                inputRef.current?.focus();
              }}
            >
              {q.kind === 'exact' ? t('payment.exact', { amount: money(q.fen) }) : money(q.fen)}
            </button>
          ))}
        </div>
        <div className={`payment__change payment__change--${change.state}`}>
          <span>{t('payment.change')}</span>
          <output data-testid="change-due" aria-label={t('payment.change')}>
            {change.state === 'ok' ? money(change.changeFen) : '—'}
          </output>
        </div>
        {change.state === 'short' && (
          <p
            className="payment__short"
            data-testid="tender-short"
            role={touched ? 'alert' : undefined}
          >
            {t('payment.short', { amount: money(change.shortFen) })}
          </p>
        )}
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
            type="submit"
            className="btn btn-primary btn-large"
            // aria-disabled, not disabled: Enter must still reach confirm() to explain why not.
            aria-disabled={!canConfirm}
          >
            {paying ? t('payment.paying') : t('payment.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
