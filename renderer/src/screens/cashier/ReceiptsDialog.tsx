/**
 * F8: find a receipt by its number, then reprint it (on the receipt printer, marked REPRINT, or
 * with the browser's print where there is none), refund chosen lines (or all of it), or void
 * the whole sale. Refunds and voids need a manager's PIN, which main checks at that moment.
 */
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useCall } from '../../app/invoke';
import { Dialog, focusField } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLocalName, useMoney } from '../../components/hooks';
import { isPinShaped, PinField } from '../../components/PinField';
import type { RefundResult, Sale, WalletCredit } from '../../contract';
import { usePrintReceipt } from '../../features/peripherals/usePrintReceipt';
import { selectInfo } from '../../features/system/systemSlice';
import type { UiError } from '../../lib/errors';
import { ReceiptView } from './ReceiptView';

interface Refundable {
  lineNo: number;
  qty: number;
  refundedQty: number;
}

/**
 * Where the face-pay money of a refund stands: back in the customer's wallet now, or when the
 * terminal is online again (the sync worker sends it), or refused by the cloud.
 */
function WalletCreditNotice({ credit }: { credit: WalletCredit }) {
  const { t } = useTranslation();
  const money = useMoney();
  const amount = money(credit.amountFen);
  const tone = credit.status === 'credited' ? 'ok' : credit.status === 'pending' ? 'warn' : 'error';
  return (
    <p
      role="status"
      className={`notice notice--${tone}`}
      data-testid="refund-wallet"
      data-status={credit.status}
    >
      {credit.status === 'credited'
        ? t('receipts.wallet.credited', { amount })
        : credit.status === 'pending'
          ? t('receipts.wallet.pending', { amount })
          : t('receipts.wallet.refused', { amount, code: credit.code ?? '' })}
    </p>
  );
}

export function ReceiptsDialog({
  initialReceiptNo,
  onClose,
}: {
  initialReceiptNo: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const call = useCall();
  // Receipt numbers start with the terminal's id: the example shows this till's.
  const terminalId = useAppSelector(selectInfo)?.terminalId ?? 'T01';
  const money = useMoney();
  const name = useLocalName();
  const [receiptNo, setReceiptNo] = useState(initialReceiptNo);
  const [sale, setSale] = useState<Sale | null>(null);
  const [refundable, setRefundable] = useState<Refundable[]>([]);
  /** lineNo -> quantity to refund (absent: not chosen). */
  const [chosen, setChosen] = useState<Map<number, number>>(new Map());
  const [reason, setReason] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<UiError | null>(null);
  const [done, setDone] = useState<RefundResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [printing, setPrinting] = useState(false);
  const lookupRef = useRef<HTMLInputElement>(null);
  const browserPrint = useCallback(() => {
    setPrinting(true);
    setTimeout(() => {
      window.print();
      setPrinting(false);
    }, 0);
  }, []);
  const reprint = usePrintReceipt(browserPrint);

  const load = async (number: string): Promise<void> => {
    setError(null);
    const found = await call('sale.get', { receiptNo: number.trim() });
    if (!found.ok) {
      setSale(null);
      setError(found.error);
      return;
    }
    setSale(found.value);
    const lines = await call('sale.refundable', { saleId: found.value.id });
    setRefundable(lines.ok ? lines.value : []);
    setChosen(new Map());
  };

  const left = (lineNo: number): number => {
    const r = refundable.find((x) => x.lineNo === lineNo);
    return r === undefined ? 0 : r.qty - r.refundedQty;
  };

  const submit = async (kind: 'lines' | 'all' | 'void'): Promise<void> => {
    if (sale === null || busy) return;
    if (reason.trim() === '') return setError({ kind: 'local', reason: 'reasonRequired' });
    if (!isPinShaped(pin)) return setError({ kind: 'local', reason: 'pinRequired' });
    const lines = [...chosen].map(([lineNo, qty]) => ({ lineNo, qty }));
    if (kind === 'lines' && lines.length === 0)
      return setError({ kind: 'local', reason: 'linesRequired' });
    // The buttons are disabled while busy, which drops focus to the page, where Esc no longer
    // reaches the dialog: put it back afterwards (on the button, or at the top on success).
    const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setBusy(true);
    const result =
      kind === 'void'
        ? await call('sale.voidCompleted', {
            saleId: sale.id,
            reason: reason.trim(),
            managerPin: pin,
          })
        : await call('refund.create', {
            saleId: sale.id,
            ...(kind === 'lines' ? { lines } : {}),
            reason: reason.trim(),
            managerPin: pin,
          });
    setBusy(false);
    setPin('');
    if (!result.ok) {
      setTimeout(() => focused?.focus(), 0);
      return setError(result.error);
    }
    setDone(result.value);
    setError(null);
    // Focus back in the dialog at once (the busy buttons dropped it to the page, where Esc would
    // not reach the dialog), on the receipt number: the confirmation under it comes into view.
    setTimeout(() => focusField(lookupRef.current), 0);
    await load(receiptNo);
    focusField(lookupRef.current);
  };

  return (
    <Dialog
      title={t('receipts.title')}
      onCancel={onClose}
      initialFocus={lookupRef}
      className="dialog--wide"
      testId="receipts-dialog"
    >
      <div className="dialog__body">
        <form
          className="field--inline receipts__lookup"
          onSubmit={(event) => {
            event.preventDefault();
            setDone(null);
            void load(receiptNo);
          }}
        >
          <label className="field">
            <span className="field-label">{t('receipts.number')}</span>
            <input
              ref={lookupRef}
              className="input input--large"
              type="text"
              autoComplete="off"
              spellCheck={false}
              maxLength={64}
              value={receiptNo}
              placeholder={t('receipts.placeholder', { example: `${terminalId}-000001` })}
              onChange={(event) => setReceiptNo(event.target.value)}
            />
          </label>
          <button type="submit" className="btn btn-secondary btn-large">
            {t('receipts.find')}
          </button>
        </form>
        {done !== null && (
          <p role="status" className="notice notice--ok" data-testid="refund-done">
            {t('receipts.refunded', {
              amount: money(done.amountFen),
              methods: done.byMethod
                .map((m) => `${t(`methods.${m.method}`)} ${money(m.amountFen)}`)
                .join(', '),
            })}
          </p>
        )}
        {done?.walletCredits.map((credit) => (
          <WalletCreditNotice key={credit.paymentId} credit={credit} />
        ))}
        {sale !== null && (
          <div className="receipts__body">
            <div className={printing ? 'receipts__receipt print-area' : 'receipts__receipt'}>
              <ReceiptView sale={sale} reprint />
            </div>
            <div className="receipts__refund">
              <table className="report-table" aria-label={t('receipts.lines')}>
                <thead>
                  <tr>
                    <th scope="col">{t('receipts.refundLine')}</th>
                    <th scope="col" className="num">
                      {t('receipts.sold')}
                    </th>
                    <th scope="col" className="num">
                      {t('receipts.refundQty')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {sale.lines.map((line) => {
                    const max = left(line.lineNo);
                    const qty = chosen.get(line.lineNo);
                    const label = name(line);
                    return (
                      <tr key={line.lineNo}>
                        <th scope="row">
                          <label className="check">
                            <input
                              type="checkbox"
                              disabled={max === 0}
                              checked={qty !== undefined}
                              onChange={(event) => {
                                const next = new Map(chosen);
                                if (event.target.checked) next.set(line.lineNo, max);
                                else next.delete(line.lineNo);
                                setChosen(next);
                              }}
                            />
                            {label}
                          </label>
                        </th>
                        <td className="num">
                          {line.qty}
                          {max < line.qty &&
                            ` (${t('receipts.alreadyRefunded', { qty: line.qty - max })})`}
                        </td>
                        <td className="num">
                          <input
                            className="input input--qty"
                            type="number"
                            min={1}
                            max={Math.max(1, max)}
                            disabled={qty === undefined}
                            aria-label={t('receipts.refundQtyOf', { name: label })}
                            value={qty ?? ''}
                            onChange={(event) => {
                              const n = Math.trunc(Number(event.target.value));
                              const next = new Map(chosen);
                              next.set(line.lineNo, Number.isFinite(n) ? Math.max(1, n) : 1);
                              setChosen(next);
                            }}
                          />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <label className="field">
                <span className="field-label">{t('receipts.reason')}</span>
                <input
                  className="input"
                  type="text"
                  maxLength={200}
                  value={reason}
                  onChange={(event) => setReason(event.target.value)}
                />
              </label>
              <PinField
                label={t('approval.managerPin')}
                value={pin}
                onChange={setPin}
                withKeypad={false}
              />
              <ErrorMessage error={error} testId="receipts-error" />
              {reprint.notice !== null && (
                <p role="status" className="notice notice--ok" data-testid="reprint-done">
                  {reprint.notice}
                </p>
              )}
              <ErrorMessage error={reprint.error} testId="reprint-error" />
              <div className="dialog__actions dialog__actions--wrap">
                <button
                  type="button"
                  className="btn btn-ghost"
                  aria-busy={reprint.busy}
                  onClick={() => void reprint.print(sale.id)}
                >
                  {t('receipts.reprint')}
                </button>
                <button
                  type="button"
                  className="btn btn-secondary"
                  disabled={busy}
                  onClick={() => void submit('lines')}
                >
                  {t('receipts.refundChosen')}
                </button>
                <button
                  type="button"
                  className="btn btn-secondary"
                  disabled={busy}
                  onClick={() => void submit('all')}
                >
                  {t('receipts.refundAll')}
                </button>
                <button
                  type="button"
                  className="btn btn-danger"
                  disabled={busy}
                  onClick={() => void submit('void')}
                >
                  {t('receipts.voidSale')}
                </button>
              </div>
            </div>
          </div>
        )}
        {sale === null && <ErrorMessage error={error} testId="receipts-error" />}
        <div className="dialog__actions">
          <button type="button" className="btn btn-ghost btn-large" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
