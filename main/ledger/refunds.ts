/**
 * Refunds: new rows linked to the sale and to the payments the money goes back to; the sale
 * itself is never touched. Amounts follow pricing.ts rules 6 (pro rata of the line's net,
 * cumulative rounding, so pieces sum exactly to what was paid) and 7 (non-cash payments first,
 * cash last). A refund needs an open shift, which any cash paid back is taken from, and records
 * the person signed in at the till (the manager who approved it is in the approvals).
 *
 * Money refunded to a face payment also goes back to the payer's wallet in the cloud: the same
 * transaction writes the wallet credit it owes (wallet-credits.ts), delivered afterwards.
 *
 * Money refunded to a payment an acquirer took (a payment code) goes back through the acquirer
 * first, and the refund is recorded only once the acquirer says it refunded: the core plans the
 * refund (planRefund: its id, the refund id the acquirer is keyed by, and the allocation), asks
 * the acquirer, then records it with `acquirerRefunds` saying what the acquirer refunded for
 * which payment. A refund whose allocation reaches an acquirer payment without that is refused.
 */
import { PosError, type PaymentMethod, type Refund } from '../contract';
import { appendAudit, content } from './audit';
import type { Ctx } from './context';
import { appendOutbox } from './outbox';
import { allocateRefund, proRataPart } from './pricing';
import {
  REFUND_LINES,
  REFUND_PAYMENTS,
  REFUNDS,
  SALE_LINES,
  type RefundLineRow,
  type RefundPaymentRow,
  type RefundRow,
  type SaleLineRow,
} from './rows';
import { paymentRowsOf, saleRow } from './sale-view';
import { requireOpenShift } from './shifts';
import { requireOperator, staffRefOf } from './staff';
import { checkId, checkLineNo, checkQty, checkText } from './validate';
import { addWalletCredits } from './wallet-credits';

interface Refunded {
  qty: number;
  amount: number;
  tax: number;
}

function refundedByLine(ctx: Ctx, saleId: string): Map<number, Refunded> {
  const rows = ctx
    .stmt(
      `SELECT rl.line_no AS line_no, SUM(rl.qty) AS qty, SUM(rl.amount_fen) AS amount,
              SUM(rl.tax_fen) AS tax
       FROM refunds r JOIN refund_lines rl ON rl.refund_id = r.id
       WHERE r.sale_id = ? GROUP BY rl.line_no`,
    )
    .all(saleId) as ({ line_no: number } & Refunded)[];
  return new Map(rows.map((r) => [r.line_no, { qty: r.qty, amount: r.amount, tax: r.tax }]));
}

function refundedByPayment(ctx: Ctx, saleId: string): Map<string, number> {
  const rows = ctx
    .stmt(
      `SELECT rp.payment_id AS id, SUM(rp.amount_fen) AS amount
       FROM refunds r JOIN refund_payments rp ON rp.refund_id = r.id
       WHERE r.sale_id = ? GROUP BY rp.payment_id`,
    )
    .all(saleId) as { id: string; amount: number }[];
  return new Map(rows.map((r) => [r.id, r.amount]));
}

/** Methods whose money an acquirer holds: refunded through it before the ledger records it. */
const ACQUIRER_METHODS: ReadonlySet<string> = new Set([
  'alipay',
  'wechat',
  'unionpay',
  'stored_value',
]);

/** What the acquirer said it refunded, per payment of the sale (the core's word, after asking). */
export interface AcquirerRefund {
  paymentId: string;
  refundNo: string;
  amountFen: number;
  refundedAt: string;
}

export interface RefundOptions {
  /** The id planRefund gave (the acquirer's refund was keyed by it). */
  id?: string;
  acquirerRefunds?: readonly AcquirerRefund[];
}

export interface RefundPlan {
  id: string;
  amountFen: number;
  allocation: { paymentId: string; method: PaymentMethod; amountFen: number }[];
}

/** The refund `refund` would write now (its id, amount and allocation), writing nothing. */
export function planRefund(
  ctx: Ctx,
  saleId: string,
  lines: readonly { lineNo: number; qty: number }[] | undefined,
  reason: string,
): RefundPlan {
  const c = computeRefund(ctx, saleId, lines, reason, undefined);
  return { id: c.id, amountFen: c.amount, allocation: c.allocation };
}

function computeRefund(
  ctx: Ctx,
  saleId: string,
  lines: readonly { lineNo: number; qty: number }[] | undefined,
  reason: string,
  plannedId: string | undefined,
) {
  checkId(saleId, 'saleId');
  const why = checkText(reason, 'reason');
  if (lines !== undefined && (!Array.isArray(lines) || lines.length === 0))
    throw new PosError(
      'VALIDATION',
      'lines: give at least one line, or none for everything',
      'lines',
    );
  const requested = lines?.map((l, i) => ({
    lineNo: checkLineNo(l.lineNo, `lines.${i}.lineNo`),
    qty: checkQty(l.qty, `lines.${i}.qty`),
  }));
  {
    const sale = saleRow(ctx, saleId);
    if (!sale) throw new PosError('NOT_FOUND', `no completed sale ${saleId}`, 'saleId');
    if (sale.status !== 'completed')
      throw new PosError(
        'REFUND_EXCEEDS_PAID',
        `sale ${saleId} is ${sale.status}: nothing was paid`,
      );
    const shift = requireOpenShift(ctx);
    const saleLines = SALE_LINES.select(ctx, 'sale_id = ? ORDER BY line_no').all(
      saleId,
    ) as SaleLineRow[];
    const byNo = new Map(saleLines.map((l) => [l.line_no, l]));
    const already = refundedByLine(ctx, saleId);

    // What to refund: the request, or every unit not yet refunded.
    const wanted =
      requested ??
      saleLines
        .map((l) => ({ lineNo: l.line_no, qty: l.qty - (already.get(l.line_no)?.qty ?? 0) }))
        .filter((l) => l.qty > 0);
    if (wanted.length === 0)
      throw new PosError('REFUND_EXCEEDS_PAID', `sale ${saleId} is already fully refunded`);
    const seen = new Set<number>();
    const at = ctx.now();
    const createdAt = at.toISOString();
    const id = plannedId ?? ctx.newId(at);
    const lineRows: RefundLineRow[] = wanted.map((w, i) => {
      const line = byNo.get(w.lineNo);
      if (!line)
        throw new PosError('VALIDATION', `sale has no line ${w.lineNo}`, `lines.${i}.lineNo`);
      if (seen.has(w.lineNo))
        throw new PosError('VALIDATION', `line ${w.lineNo} is listed twice`, `lines.${i}.lineNo`);
      seen.add(w.lineNo);
      const before = already.get(w.lineNo)?.qty ?? 0;
      if (before + w.qty > line.qty)
        throw new PosError(
          'REFUND_EXCEEDS_PAID',
          `line ${w.lineNo}: ${line.qty} sold, ${before} already refunded, ${w.qty} requested`,
          `lines.${i}.qty`,
        );
      return {
        refund_id: id,
        line_no: w.lineNo,
        qty: w.qty,
        amount_fen: proRataPart(line.net_fen, line.qty, before, w.qty),
        tax_fen: proRataPart(line.tax_fen, line.qty, before, w.qty),
      };
    });
    lineRows.sort((a, b) => a.line_no - b.line_no);
    const amount = lineRows.reduce((a, l) => a + l.amount_fen, 0);
    const refundedPay = refundedByPayment(ctx, saleId);
    const salePayments = paymentRowsOf(ctx, saleId);
    const allocation = allocateRefund(
      amount,
      salePayments.map((p) => ({
        paymentId: p.id,
        method: p.method,
        appliedFen: p.amount_fen,
        refundedFen: refundedPay.get(p.id) ?? 0,
      })),
    );
    return { sale, shift, id, at, createdAt, why, lineRows, amount, allocation, salePayments };
  }
}

export function refund(
  ctx: Ctx,
  saleId: string,
  lines: readonly { lineNo: number; qty: number }[] | undefined,
  reason: string,
  operatorId: string,
  options: RefundOptions = {},
): Refund {
  return ctx.tx(() => {
    const operator = requireOperator(ctx, operatorId);
    const { sale, shift, id, at, createdAt, why, lineRows, amount, allocation, salePayments } =
      computeRefund(ctx, saleId, lines, reason, options.id);
    const acquirerRefunds = checkAcquirerRefunds(allocation, options.acquirerRefunds ?? []);
    const moment = ctx.businessMoment(at);
    const row: RefundRow = {
      id,
      sale_id: saleId,
      shift_id: shift.id,
      reason: why,
      amount_fen: amount,
      tax_fen: lineRows.reduce((a, l) => a + l.tax_fen, 0),
      created_at: createdAt,
      business_date: moment.date,
      hour: moment.hour,
      operator_id: operator?.id ?? null,
    };
    const payRows: RefundPaymentRow[] = allocation
      .map((a) => ({
        refund_id: id,
        payment_id: a.paymentId,
        method: a.method,
        amount_fen: a.amountFen,
      }))
      .sort((a, b) => (a.payment_id < b.payment_id ? -1 : a.payment_id > b.payment_id ? 1 : 0));
    REFUNDS.insert(ctx, row);
    for (const l of lineRows) REFUND_LINES.insert(ctx, l);
    for (const p of payRows) REFUND_PAYMENTS.insert(ctx, p);
    const references = new Map(salePayments.map((p) => [p.id, p.reference]));
    addWalletCredits(
      ctx,
      id,
      why,
      payRows
        .filter((p) => p.method === 'face')
        .map((p) => ({
          paymentId: p.payment_id,
          amountFen: p.amount_fen,
          reference: references.get(p.payment_id) ?? null,
        })),
      createdAt,
    );
    for (const a of acquirerRefunds)
      ctx
        .stmt(
          `INSERT INTO acquirer_refunds (refund_id, payment_id, refund_no, amount_fen, refunded_at)
           VALUES (?, ?, ?, ?, ?)`,
        )
        .run(id, a.paymentId, a.refundNo, a.amountFen, a.refundedAt);
    appendAudit(ctx, 'refund', id, content.refund(row, lineRows, payRows), createdAt);
    const result: Refund = {
      id,
      saleId,
      receiptNo: sale.receipt_no,
      reason: why,
      lines: lineRows.map((l) => ({ lineNo: l.line_no, qty: l.qty, amountFen: l.amount_fen })),
      amountFen: amount,
      taxFen: row.tax_fen,
      byMethod: allocation.map((a) => ({
        paymentId: a.paymentId,
        method: a.method,
        amountFen: a.amountFen,
      })),
      createdAt,
      operator,
    };
    appendOutbox(ctx, 'refund.created', { ...result, shiftId: shift.id }, at, createdAt);
    return result;
  });
}

/**
 * Every part of the refund that goes back to an acquirer payment must be exactly what the
 * acquirer said it refunded for that payment, and nothing else may be claimed.
 */
function checkAcquirerRefunds(
  allocation: readonly { paymentId: string; method: PaymentMethod; amountFen: number }[],
  told: readonly AcquirerRefund[],
): AcquirerRefund[] {
  const owed = allocation.filter((a) => ACQUIRER_METHODS.has(a.method));
  const refuse = (why: string): never => {
    throw new PosError(
      'NOT_SUPPORTED',
      `a refund to a payment taken by an acquirer is recorded only after the acquirer refunds it: ${why}`,
      'saleId',
    );
  };
  if (told.length !== owed.length)
    refuse(`${owed.length} acquirer refunds owed, ${told.length} given`);
  for (const a of owed) {
    const said = told.find((t) => t.paymentId === a.paymentId);
    if (said === undefined) refuse(`no acquirer refund for payment ${a.paymentId}`);
    else if (said.amountFen !== a.amountFen)
      refuse(`the acquirer refunded ${said.amountFen} fen, the refund owes ${a.amountFen}`);
  }
  return [...told];
}

/** A sale's refunds, oldest first (the register API lists them on its order). */
export function refundsOf(ctx: Ctx, saleId: string): Refund[] {
  const rows = REFUNDS.select(ctx, 'sale_id = ? ORDER BY created_at, id').all(
    saleId,
  ) as RefundRow[];
  const sale = saleRow(ctx, saleId);
  return rows.map((row) => {
    const lines = REFUND_LINES.select(ctx, 'refund_id = ? ORDER BY line_no').all(
      row.id,
    ) as RefundLineRow[];
    const pays = REFUND_PAYMENTS.select(ctx, 'refund_id = ?').all(row.id) as RefundPaymentRow[];
    return {
      id: row.id,
      saleId,
      receiptNo: sale?.receipt_no ?? null,
      reason: row.reason,
      lines: lines.map((l) => ({ lineNo: l.line_no, qty: l.qty, amountFen: l.amount_fen })),
      amountFen: row.amount_fen,
      taxFen: row.tax_fen,
      byMethod: pays.map((p) => ({
        paymentId: p.payment_id,
        method: p.method,
        amountFen: p.amount_fen,
      })),
      createdAt: row.created_at,
      operator: staffRefOf(ctx, row.operator_id),
    };
  });
}
