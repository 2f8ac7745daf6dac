/**
 * Taking payment: cash (tendered, quick amounts, change), card or QR (recorded with an optional
 * reference), or a customer's payment code (charged through the acquirer for what is due; a
 * scanned code lands here too). A tender below what is due is a part payment, and the dialog
 * stays open for the rest (split tender) until the sale is paid. The customer display follows
 * each step.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { Dialog, focusField } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useMoney } from '../../components/hooks';
import type { PaymentMethod, Sale } from '../../contract';
import { announcePayment } from '../../features/display/displaySlice';
import { payTender, selectPaying, selectSaleError } from '../../features/sale/saleSlice';
import {
  payByCode,
  payCodeCleared,
  selectPayCode,
  selectPayCodeBusy,
} from '../../features/paycode/payCodeSlice';
import { PayCodeStatus } from '../../features/paycode/PayCodeStatus';
import { cancelQr, qrCleared, selectQr, showQr } from '../../features/qr/qrSlice';
import { QrTillStatus } from '../../features/qr/QrTillStatus';
import { cashChange, fenToYuanInput, parseYuanToFen, quickTenders } from '../../lib/money';
import { AmountField } from './AmountField';

export const TENDER_METHODS = ['cash', 'card', 'qr'] as const satisfies readonly PaymentMethod[];
export type TenderMethod = (typeof TENDER_METHODS)[number];
/** The dialog's tabs: the till's own tenders, and a payment code charged through the acquirer. */
export const DIALOG_METHODS = [...TENDER_METHODS, 'code'] as const;
export type DialogMethod = (typeof DIALOG_METHODS)[number];

const TITLES = {
  cash: 'payment.title',
  card: 'payment.titleCard',
  qr: 'payment.titleQr',
  code: 'paycode.method',
} as const;

const TAB_LABELS = {
  cash: 'methods.cash',
  card: 'methods.card',
  qr: 'methods.qr',
  code: 'paycode.method',
} as const;

export function PaymentDialog({
  sale,
  initialMethod,
  onClose,
}: {
  sale: Sale;
  initialMethod: DialogMethod;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const money = useMoney();
  const paying = useAppSelector(selectPaying);
  const error = useAppSelector(selectSaleError);
  const [method, setMethod] = useState<DialogMethod>(initialMethod);
  const payCode = useAppSelector(selectPayCode);
  const codeBusy = useAppSelector(selectPayCodeBusy);
  const [code, setCode] = useState('');
  // A code scanned while another tab is showing: its progress is on the code's tab.
  const [codePhaseSeen, setCodePhaseSeen] = useState(payCode.phase);
  if (codePhaseSeen !== payCode.phase) {
    setCodePhaseSeen(payCode.phase);
    if (payCode.phase === 'charging' && method !== 'code') setMethod('code');
  }
  const [tendered, setTendered] = useState('');
  const [amount, setAmount] = useState(() => fenToYuanInput(sale.dueFen));
  const [reference, setReference] = useState('');
  const [touched, setTouched] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  const due = sale.dueFen;
  const [dueSeen, setDueSeen] = useState(due);
  const [paidSeen, setPaidSeen] = useState(sale.paidFen);
  if (paidSeen !== sale.paidFen) {
    // A part payment went through: the next tender starts from what is left.
    setPaidSeen(sale.paidFen);
    setDueSeen(due);
    setAmount(fenToYuanInput(due));
    setTendered('');
    setReference('');
    setTouched(false);
  } else if (dueSeen !== due) {
    // An item scanned while paying: the amount follows the new total, what the customer handed
    // over (typed in the cash field) stays and the change is worked out again.
    setDueSeen(due);
    setAmount(fenToYuanInput(due));
  }
  const parsedTendered = parseYuanToFen(tendered);
  const parsedAmount = parseYuanToFen(amount);
  const change = cashChange(due, parsedTendered.ok ? parsedTendered.fen : null);
  const quick = quickTenders(due);
  const partCash = change.state === 'short' && parsedTendered.ok && parsedTendered.fen > 0;
  const amountOk = parsedAmount.ok && parsedAmount.fen > 0 && parsedAmount.fen <= due;
  // The QR tender with an acquirer: the QR is on the customer display until paid, expired or
  // cancelled (Esc); meanwhile nothing else is taken.
  const qr = useAppSelector(selectQr);
  const qrLive =
    qr.current !== null && qr.current.saleId === sale.id && qr.current.state === 'showing';
  const qrBusy = qr.asking || qrLive;
  const busy = paying || codeBusy || qrBusy;
  const canConfirm =
    !busy &&
    (method === 'cash' ? change.state === 'ok' : method === 'code' ? code.trim() !== '' : amountOk);

  // The customer display shows what is happening: waiting for payment, cash handed over. (A
  // payment code: the wallet is not known until a code is read, so no method is announced.)
  const tenderedFen = method === 'cash' && parsedTendered.ok ? parsedTendered.fen : null;
  const announced = method === 'code' ? null : method;
  useEffect(() => {
    const timer = setTimeout(() => {
      void dispatch(
        announcePayment({ saleId: sale.id, stage: 'waiting', method: announced, tenderedFen }),
      );
    }, 120);
    return () => clearTimeout(timer);
  }, [dispatch, sale.id, announced, tenderedFen]);

  const close = (): void => {
    dispatch(payCodeCleared());
    dispatch(qrCleared());
    void dispatch(
      announcePayment({ saleId: sale.id, stage: 'cancelled', method: null, tenderedFen: null }),
    );
    onClose();
  };

  const pay = (tender: Parameters<typeof payTender>[0]): void => {
    // After the re-render that prefills what is left, so that it is selected too.
    void dispatch(payTender(tender)).then(() => setTimeout(() => focusField(inputRef.current), 0));
  };

  const confirm = (): void => {
    setTouched(true);
    if (busy) return;
    if (method === 'code') {
      const typed = code.trim();
      if (typed === '') {
        inputRef.current?.focus();
        return;
      }
      // Out of the field at once: the code is a bearer credential, shown only masked from now.
      setCode('');
      void dispatch(payByCode({ saleId: sale.id, code: typed }));
      return;
    }
    if (method === 'cash') {
      if (!parsedTendered.ok || change.state !== 'ok') {
        inputRef.current?.focus();
        return;
      }
      pay({ method: 'cash', amountFen: due, tenderedFen: parsedTendered.fen });
      return;
    }
    if (!amountOk || !parsedAmount.ok) {
      inputRef.current?.focus();
      return;
    }
    const recorded = { method, amountFen: parsedAmount.fen, reference: reference.trim() };
    if (method === 'qr') {
      // With an acquirer a QR for what is due goes up on the customer display; without one
      // main answers `recorded` and the QR tender is recorded as before.
      dispatch(qrCleared());
      void dispatch(showQr({ saleId: sale.id }))
        .unwrap()
        .then((shown) => {
          if (shown.mode === 'recorded') pay(recorded);
        })
        .catch(() => {
          // The refusal is in the qr slice and shown by QrTillStatus.
        });
      return;
    }
    pay(recorded);
  };

  const chooseMethod = (next: DialogMethod): void => {
    if (codeBusy || qrBusy) return;
    setMethod(next);
    setTouched(false);
    setTimeout(() => focusField(inputRef.current), 0);
  };

  return (
    <Dialog
      title={t(TITLES[method])}
      onCancel={
        qrLive ? () => void dispatch(cancelQr({ saleId: sale.id })) : busy ? undefined : close
      }
      initialFocus={inputRef}
      className="dialog--payment"
      testId="payment-dialog"
    >
      <form
        className="dialog__body"
        onKeyDown={(event) => {
          // Alt+1/2/3/4 switch the method without leaving the amount.
          const index = ['1', '2', '3', '4'].indexOf(event.key);
          if (event.altKey && index >= 0) {
            event.preventDefault();
            chooseMethod(DIALOG_METHODS[index] ?? 'cash');
          }
        }}
        onSubmit={(event) => {
          event.preventDefault();
          confirm();
        }}
      >
        <div className="segmented" role="radiogroup" aria-label={t('payment.method')}>
          {DIALOG_METHODS.map((m, i) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={method === m}
              className={`btn segmented__option ${method === m ? 'segmented__option--on' : ''}`}
              onClick={() => chooseMethod(m)}
            >
              {t(TAB_LABELS[m])} <kbd aria-hidden="true">Alt+{i + 1}</kbd>
            </button>
          ))}
        </div>
        <div className="payment__due">
          <span>{sale.paidFen > 0 ? t('payment.remaining') : t('payment.due')}</span>
          <strong data-testid="payment-due">{money(due)}</strong>
        </div>
        {sale.payments.length > 0 && (
          <ul className="payment__taken" aria-label={t('payment.taken')}>
            {sale.payments.map((p) => (
              <li key={p.id}>
                <span>{t(`methods.${p.method}`)}</span> <span>{money(p.amountFen)}</span>
              </li>
            ))}
          </ul>
        )}
        {method === 'code' ? (
          <>
            <label className="field">
              <span className="field-label">{t('paycode.field')}</span>
              <input
                ref={inputRef}
                className="input"
                type="text"
                inputMode="numeric"
                autoComplete="off"
                spellCheck={false}
                maxLength={64}
                value={code}
                // Read-only, not disabled, while charging: focus stays in the dialog (Alt+1..4, Esc).
                readOnly={codeBusy}
                data-testid="paycode-input"
                onChange={(event) => setCode(event.target.value)}
              />
            </label>
            <PayCodeStatus />
          </>
        ) : method === 'cash' ? (
          <>
            <AmountField
              label={t('payment.tendered')}
              value={tendered}
              onChange={(next) => {
                setTendered(next);
                setTouched(false);
              }}
              parsed={parsedTendered}
              showError={
                touched ||
                (tendered !== '' && !parsedTendered.ok && parsedTendered.reason !== 'empty')
              }
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
                    setTendered(fenToYuanInput(q.fen));
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
            {partCash && parsedTendered.ok && (
              <button
                type="button"
                className="btn btn-secondary"
                disabled={paying}
                onClick={() =>
                  pay({
                    method: 'cash',
                    amountFen: parsedTendered.fen,
                    tenderedFen: parsedTendered.fen,
                  })
                }
              >
                {t('payment.partCash', { amount: money(parsedTendered.fen) })}
              </button>
            )}
          </>
        ) : (
          <>
            <AmountField
              label={t('payment.amount')}
              value={amount}
              onChange={(next) => {
                setAmount(next);
                setTouched(false);
              }}
              parsed={parsedAmount}
              showError={touched && !parsedAmount.ok}
              inputRef={inputRef}
              testId="amount-input"
            />
            {parsedAmount.ok && parsedAmount.fen > due && (
              <p className="payment__short" role="alert">
                {t('payment.overDue', { amount: money(due) })}
              </p>
            )}
            {parsedAmount.ok && parsedAmount.fen > 0 && parsedAmount.fen < due && (
              <p className="hint">
                {t('payment.splitHint', { amount: money(due - parsedAmount.fen) })}
              </p>
            )}
            <label className="field">
              <span className="field-label">{t(`payment.reference.${method}`)}</span>
              <input
                className="input"
                type="text"
                autoComplete="off"
                maxLength={64}
                value={reference}
                onChange={(event) => setReference(event.target.value)}
              />
            </label>
            {method === 'qr' && <QrTillStatus saleId={sale.id} />}
          </>
        )}
        <ErrorMessage error={error} />
        <div className="dialog__actions">
          <button type="button" className="btn btn-ghost btn-large" onClick={close} disabled={busy}>
            {t('payment.cancel')}
          </button>
          <button
            type="submit"
            className="btn btn-primary btn-large"
            // aria-disabled, not disabled: Enter must still reach confirm() to explain why not.
            aria-disabled={!canConfirm}
          >
            {busy
              ? t('payment.paying')
              : method === 'code'
                ? t('paycode.charge')
                : t('payment.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
