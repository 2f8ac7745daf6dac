/**
 * Taking payment. Each tender is one transaction; the tender that pays the sale in full also
 * completes it (sale row, lines, receipt number, audit links, outbox events) in that same
 * transaction, which is the only fsync a sale costs (see db.ts for why the cart is not fsynced).
 *
 * Rules:
 * - A payment needs an open shift (NO_OPEN_SHIFT) and a sale with lines (SALE_EMPTY), and is
 *   recorded for the person signed in at the till (the operator); the tender that completes
 *   the sale records that person on the sale too.
 * - Non-cash (face, QR, card) may not exceed what is due (OVERPAYMENT): the money is taken by a
 *   third party and could not be handed back as change.
 * - Cash: tendered (default: the amount) may not be below the amount (INSUFFICIENT_TENDER).
 *   The amount applied is min(amount, due); change = tendered - applied.
 * - A tender that leaves something due (split tender) first makes the cart durable (one extra
 *   fsync, split tenders only), so that a power cut cannot keep the payment and lose the cart.
 * - Who may record what: `pay` records the till's own tenders (cash, and card and QR recorded at
 *   the till); a face payment only through `payFace`, which takes nothing but a debit whose
 *   cloud signature was verified (face-debit.ts), and keeps that signature beside the payment;
 *   a payment taken through an acquirer (a payment code) only through `payAcquirer`, which
 *   takes nothing but the pay-by-code flow's proof (main/shared/paid-trade.ts).
 */
import {
  PAYMENT_METHODS,
  PosError,
  type PaymentMethod,
  type Sale,
  type StaffRef,
} from '../contract';
import { appendAudit, paymentContent, paymentRef } from './audit';
import { saveCart, type Cart } from './carts';
import type { Ctx } from './context';
import { appendOutbox } from './outbox';
import { priceSale, type PricedSale } from './pricing';
import { PAYMENTS, type PaymentRow } from './rows';
import {
  cartToSale,
  formatReceiptNo,
  getSale,
  paymentRowsOf,
  rowToSale,
  toPayment,
} from './sale-view';
import { registerOrigin } from './registers';
import { requireOpenCart, writeSale } from './sales';
import { requireOpenShift } from './shifts';
import { requireOperator } from './staff';
import { checkAmount } from './validate';
import { VerifiedFaceDebit } from './face-debit';
import { isPaidTrade, type PaidTrade } from '../shared/paid-trade';
import type { PaymentScheme } from '../contract';

export interface Tender {
  method: PaymentMethod;
  amountFen: number;
  tenderedFen?: number;
  reference?: string;
}

function checkTender(t: Tender): Required<Pick<Tender, 'method' | 'amountFen'>> & {
  tenderedFen: number | null;
  reference: string | null;
} {
  if (!(PAYMENT_METHODS as readonly string[]).includes(t.method))
    throw new PosError(
      'VALIDATION',
      `method: expected one of ${PAYMENT_METHODS.join(', ')}`,
      'method',
    );
  const amountFen = checkAmount(t.amountFen, 'amountFen', true);
  let tenderedFen: number | null = null;
  if (t.method === 'cash') {
    tenderedFen = checkAmount(t.tenderedFen ?? amountFen, 'tenderedFen');
    if (tenderedFen < amountFen)
      throw new PosError(
        'INSUFFICIENT_TENDER',
        `tendered ${tenderedFen} fen is less than the ${amountFen} fen to pay`,
        'tenderedFen',
      );
  } else if (t.tenderedFen !== undefined && t.tenderedFen !== amountFen) {
    throw new PosError('VALIDATION', 'tenderedFen: only cash has a tendered amount', 'tenderedFen');
  }
  if (t.reference !== undefined && (typeof t.reference !== 'string' || t.reference.length > 128))
    throw new PosError('VALIDATION', 'reference: at most 128 characters', 'reference');
  return { method: t.method, amountFen, tenderedFen, reference: t.reference ?? null };
}

/** Methods whose money an acquirer took: recorded only from its proof (payAcquirer). */
const ACQUIRER_METHODS: ReadonlySet<PaymentMethod> = new Set([
  'alipay',
  'wechat',
  'unionpay',
  'stored_value',
]);

/** One of the till's own tenders (cash, card, QR): never face (see payFace). */
export function pay(ctx: Ctx, saleId: string, tender: Tender, operatorId: string): Sale {
  if (tender.method === 'face')
    throw new PosError(
      'VALIDATION',
      "method: a face payment is recorded only by face pay, with the cloud's signed authorisation",
      'method',
    );
  if (ACQUIRER_METHODS.has(tender.method))
    throw new PosError(
      'VALIDATION',
      `method: a ${tender.method} payment is recorded only when its acquirer confirms the charge`,
      'method',
    );
  return payTender(ctx, saleId, checkTender(tender), operatorId, () => {});
}

/**
 * The face payment the cloud vouched for: the sale, amount and the cloud's payment id come from
 * the verified debit, never from a caller; the signed debit is stored with the payment.
 */
export function payFace(ctx: Ctx, verified: VerifiedFaceDebit, operatorId: string): Sale {
  if (!VerifiedFaceDebit.is(verified))
    throw new PosError('FORBIDDEN', 'face payment not recorded: no verified authorisation');
  const d = verified.debit;
  const t = checkTender({ method: 'face', amountFen: d.amountFen, reference: d.paymentId });
  return payTender(ctx, d.saleId, t, operatorId, (row) => {
    ctx
      .stmt(
        `INSERT INTO face_debits (payment_id, cloud_payment_id, cloud_terminal_id, sale_id,
                                  amount_fen, debited_at, signature)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(row.id, d.paymentId, d.terminalId, d.saleId, d.amountFen, d.at, d.signature);
  });
}

/** The ledger's method for a payment an acquirer took (the reference cloud's: its wallet). */
export function acquirerMethod(trade: Pick<PaidTrade, 'acquirer' | 'scheme'>): PaymentMethod {
  if (trade.acquirer === 'reference') return 'stored_value';
  const byScheme: Record<PaymentScheme, PaymentMethod> = {
    alipay: 'alipay',
    wechat: 'wechat',
    unionpay: 'unionpay',
    reference: 'stored_value',
  };
  return byScheme[trade.scheme];
}

/**
 * A payment an acquirer took for this sale (a payment code): the sale, amount and trade numbers
 * come from the flow's proof, never from a caller, and are kept beside the payment
 * (acquirer_payments). A proof already recorded (handed out again after a crash) changes nothing
 * and returns the sale as it stands; `recorded: false` then.
 */
export function payAcquirer(
  ctx: Ctx,
  trade: PaidTrade,
  operatorId: string,
): { sale: Sale; recorded: boolean } {
  if (!isPaidTrade(trade))
    throw new PosError(
      'FORBIDDEN',
      'acquirer payment not recorded: no proof from the payment flow that the acquirer took it',
    );
  const already = ctx
    .stmt('SELECT payment_id FROM acquirer_payments WHERE out_trade_no = ?')
    .get(trade.outTradeNo) as { payment_id: string } | undefined;
  if (already !== undefined) return { sale: getSale(ctx, trade.saleId), recorded: false };
  const t = checkTender({
    method: acquirerMethod(trade),
    amountFen: trade.amountFen,
    reference: trade.acquirerTradeNo.slice(0, 128),
  });
  const sale = payTender(ctx, trade.saleId, t, operatorId, (row) => {
    ctx
      .stmt(
        `INSERT INTO acquirer_payments (payment_id, sale_id, acquirer, scheme, out_trade_no,
                                        acquirer_trade_no, amount_fen, paid_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.id,
        trade.saleId,
        trade.acquirer,
        trade.scheme,
        trade.outTradeNo,
        trade.acquirerTradeNo,
        trade.amountFen,
        trade.paidAt,
      );
  });
  return { sale, recorded: true };
}

function payTender(
  ctx: Ctx,
  saleId: string,
  t: ReturnType<typeof checkTender>,
  operatorId: string,
  alongside: (row: PaymentRow) => void,
): Sale {
  const operator = requireOperator(ctx, operatorId);
  // Decide up front whether this tender completes the sale (the ledger has one writer, so the
  // state cannot change before the transaction below, which checks everything again).
  const cart = requireOpenCart(ctx, saleId);
  const due =
    priceSale(cart.lines, cart.saleDiscountFen).totalFen -
    paymentRowsOf(ctx, saleId).reduce((a, p) => a + p.amount_fen, 0);
  if (Math.min(t.amountFen, due) < due && cart.lines.length > 0)
    ctx.durableCartsTx(() => saveCart(ctx, cart));
  return ctx.tx(() => payInTx(ctx, saleId, t, operator, alongside));
}

function payInTx(
  ctx: Ctx,
  saleId: string,
  t: ReturnType<typeof checkTender>,
  operator: StaffRef | null,
  alongside: (row: PaymentRow) => void,
): Sale {
  const cart = requireOpenCart(ctx, saleId);
  if (cart.lines.length === 0)
    throw new PosError('SALE_EMPTY', `sale ${saleId} has no lines to pay for`, 'saleId');
  const shift = requireOpenShift(ctx);
  const priced = priceSale(cart.lines, cart.saleDiscountFen);
  const earlier = paymentRowsOf(ctx, saleId);
  const paid = earlier.reduce((a, p) => a + p.amount_fen, 0);
  const due = priced.totalFen - paid;
  let applied: number;
  if (t.method === 'cash') {
    applied = Math.min(t.amountFen, due);
  } else {
    if (t.amountFen > due)
      throw new PosError(
        'OVERPAYMENT',
        `${t.method} payment of ${t.amountFen} fen exceeds the ${due} fen due`,
        'amountFen',
      );
    applied = t.amountFen;
  }
  const at = ctx.now();
  const createdAt = at.toISOString();
  const row: PaymentRow = {
    sale_id: saleId,
    id: ctx.newId(at),
    shift_id: shift.id,
    method: t.method,
    amount_fen: applied,
    tendered_fen: t.tenderedFen,
    change_fen: t.tenderedFen === null ? 0 : t.tenderedFen - applied,
    reference: t.reference,
    created_at: createdAt,
    operator_id: operator?.id ?? null,
  };
  PAYMENTS.insert(ctx, row);
  alongside(row);
  // After `alongside`: an acquirer's word about the payment is chained with it.
  appendAudit(ctx, 'payment', paymentRef(row), paymentContent(ctx, row), createdAt);
  appendOutbox(
    ctx,
    'payment.recorded',
    { saleId, shiftId: shift.id, payment: toPayment(row), operator },
    at,
    createdAt,
  );
  const payments = [...earlier, row];
  if (paid + applied < priced.totalFen) return cartToSale(ctx, cart, payments);
  // Paid in full: complete the sale in this same transaction.
  return completeInTx(ctx, cart, priced, payments, shift.id, operator, at);
}

/**
 * Completes a sale whose total is 0 fen (a 100 % discount, free items): there is nothing to
 * pay, so no payment row; the sale, its receipt number, audit link and `sale.completed` event
 * are written in one transaction exactly as when a tender pays a sale in full. A separate door
 * rather than a 0-fen tender on `pay`: a payment row of 0 fen in some method would be a
 * fiction (and the cloud's payments hold only amounts above 0).
 */
export function completeZero(ctx: Ctx, saleId: string, operatorId: string): Sale {
  const operator = requireOperator(ctx, operatorId);
  return ctx.tx(() => {
    const cart = requireOpenCart(ctx, saleId);
    if (cart.lines.length === 0)
      throw new PosError('SALE_EMPTY', `sale ${saleId} has no lines to complete`, 'saleId');
    const shift = requireOpenShift(ctx);
    const priced = priceSale(cart.lines, cart.saleDiscountFen);
    if (priced.totalFen !== 0)
      throw new PosError(
        'VALIDATION',
        `sale ${saleId} totals ${priced.totalFen} fen: only a sale of 0 fen completes without payment`,
        'saleId',
      );
    if (paymentRowsOf(ctx, saleId).length > 0)
      throw new PosError('SALE_HAS_PAYMENTS', `sale ${saleId} already has payments`, 'saleId');
    return completeInTx(ctx, cart, priced, [], shift.id, operator, ctx.now());
  });
}

/** Writes the completed sale (receipt number, audit link, outbox event); inside a transaction. */
function completeInTx(
  ctx: Ctx,
  cart: Cart,
  priced: PricedSale,
  payments: PaymentRow[],
  shiftId: string,
  operator: StaffRef | null,
  at: Date,
): Sale {
  const last = ctx
    .stmt(
      'SELECT max(receipt_seq) AS n FROM sales WHERE terminal_id = ? AND receipt_seq IS NOT NULL',
    )
    .get(ctx.terminalId) as { n: number | null };
  const receiptSeq = (last.n ?? 0) + 1;
  const { row: saleRow, lines } = writeSale(
    ctx,
    cart,
    priced,
    {
      status: 'completed',
      receipt_seq: receiptSeq,
      receipt_no: formatReceiptNo(ctx.terminalId, receiptSeq),
      shift_id: shiftId,
      paid_fen: priced.totalFen,
      change_fen: payments.reduce((a, p) => a + p.change_fen, 0),
      operator_id: operator?.id ?? null,
    },
    at,
  );
  const sale = rowToSale(saleRow, lines, payments, 0, operator);
  // A register's order says so (origin), so the cloud keeps the register and its order number.
  const origin = registerOrigin(ctx, cart.id);
  appendOutbox(
    ctx,
    'sale.completed',
    origin === null ? sale : { ...sale, origin },
    at,
    at.toISOString(),
  );
  return sale;
}

/** What an acquirer said about one payment of a sale (acquirer_payments). */
export interface AcquirerPayment {
  paymentId: string;
  saleId: string;
  acquirer: PaidTrade['acquirer'];
  scheme: PaymentScheme;
  outTradeNo: string;
  acquirerTradeNo: string;
  amountFen: number;
  paidAt: string;
}

export function acquirerPaymentsOf(ctx: Ctx, saleId: string): AcquirerPayment[] {
  return (
    ctx
      .stmt(
        `SELECT payment_id AS paymentId, sale_id AS saleId, acquirer, scheme,
                out_trade_no AS outTradeNo, acquirer_trade_no AS acquirerTradeNo,
                amount_fen AS amountFen, paid_at AS paidAt
         FROM acquirer_payments WHERE sale_id = ? ORDER BY payment_id`,
      )
      .all(saleId) as AcquirerPayment[]
  ).map((row) => ({ ...row }));
}
