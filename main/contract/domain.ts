/**
 * The shapes of the things the terminal deals in, as zod schemas (runtime validation) and the
 * TypeScript types inferred from them. Every amount is integer fen.
 */
import { z } from 'zod';
import { MAX_AMOUNT_FEN, MAX_LINE_FEN, MAX_QTY, MAX_TAX_RATE_BP } from './money';
import { staffRef } from './staff';

/** An amount of money in fen, within the sane bound, never fractional. */
export const fen = z
  .number()
  .int('amount must be whole fen')
  .min(-MAX_LINE_FEN * 10_000, 'amount out of range')
  .max(MAX_LINE_FEN * 10_000, 'amount out of range');

/** A non-negative amount a person enters (price, payment, tender, float, cash movement). */
export const amountFen = z
  .number()
  .int('amount must be whole fen')
  .min(0, 'amount must not be negative')
  .max(MAX_AMOUNT_FEN, 'amount exceeds ¥1,000,000');

export const qty = z
  .number()
  .int('quantity must be a whole number')
  .min(1, 'quantity must be at least 1')
  .max(MAX_QTY, `quantity must be at most ${MAX_QTY}`);

export const id = z.string().min(1).max(64);
export const isoTime = z.string().max(40);
/** A business day in the shop's time zone, YYYY-MM-DD. */
export const businessDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
export const shortText = z.string().max(200);

export const product = z.object({
  sku: id,
  barcode: z.string().regex(/^\d{13}$/),
  nameZh: shortText,
  nameEn: shortText,
  category: shortText,
  priceFen: amountFen,
  taxRateBp: z.number().int().min(0).max(MAX_TAX_RATE_BP),
});
export type Product = z.infer<typeof product>;

/**
 * How a payment was taken. 'alipay', 'wechat' and 'unionpay' are payment codes charged through
 * an acquirer, and 'stored_value' the reference cloud's wallet codes: like 'face', the ledger
 * records them only from the flow's proof that the acquirer took the money (never on sale.pay).
 */
export const PAYMENT_METHODS = [
  'cash',
  'face',
  'qr',
  'card',
  'alipay',
  'wechat',
  'unionpay',
  'stored_value',
] as const;
export const paymentMethod = z.enum(PAYMENT_METHODS);

/**
 * The tenders the till itself takes and may record on anyone's word (sale.pay): cash in the
 * drawer, and card and QR "recorded at the till" until their acquirers answer for them. A face
 * payment is recorded only by face pay, with the cloud's signed word that it debited the payer
 * (facepay.ts's faceDebit): a caller cannot type one in.
 */
export const TILL_TENDERS = ['cash', 'qr', 'card'] as const;
export type TillTender = (typeof TILL_TENDERS)[number];
export const tillTender = z.enum(TILL_TENDERS, {
  error: () =>
    `expected one of ${TILL_TENDERS.join(', ')}: a face payment is recorded only by face pay, ` +
    "with the cloud's signed authorisation",
});
export type PaymentMethod = z.infer<typeof paymentMethod>;

export const saleLine = z.object({
  lineNo: z.number().int().min(1),
  sku: id,
  barcode: z.string(),
  nameZh: shortText,
  nameEn: shortText,
  qty,
  unitPriceFen: amountFen,
  taxRateBp: z.number().int(),
  /** qty x unit price */
  grossFen: fen,
  lineDiscountFen: fen,
  /** This line's share of the sale-level discount. */
  saleDiscountShareFen: fen,
  /** What the customer pays for this line: gross - line discount - sale discount share. */
  netFen: fen,
  /** Tax contained in netFen (prices are tax-inclusive). */
  taxFen: fen,
});
export type SaleLine = z.infer<typeof saleLine>;

export const payment = z.object({
  id,
  method: paymentMethod,
  /** The amount applied to the sale. */
  amountFen: fen,
  /** Cash only: what the customer handed over. */
  tenderedFen: fen.nullable(),
  /** Cash only: tendered - amount. */
  changeFen: fen,
  reference: z.string().max(128).nullable(),
  createdAt: isoTime,
});
export type Payment = z.infer<typeof payment>;

export const SALE_STATUSES = ['open', 'held', 'completed', 'voided'] as const;
export const saleStatus = z.enum(SALE_STATUSES);
export type SaleStatus = z.infer<typeof saleStatus>;

export const sale = z.object({
  id,
  receiptNo: z.string().nullable(),
  status: saleStatus,
  shiftId: id.nullable(),
  openedAt: isoTime,
  completedAt: isoTime.nullable(),
  lines: z.array(saleLine),
  /** Sum of line gross. */
  subtotalFen: fen,
  lineDiscountFen: fen,
  saleDiscountFen: fen,
  totalFen: fen,
  taxFen: fen,
  paidFen: fen,
  dueFen: fen,
  changeFen: fen,
  payments: z.array(payment),
  refundedFen: fen,
  /**
   * Who completed (or voided) the sale: the person signed in at the till then. Null while the
   * sale is open or held, and for sales from before operators were recorded (ledger version 5).
   */
  operator: staffRef.nullable(),
});
export type Sale = z.infer<typeof sale>;

/** How many of a sale's lines its summary names. */
export const SUMMARY_ITEMS = 3;

export const saleSummary = z.object({
  id,
  receiptNo: z.string().nullable(),
  status: saleStatus,
  openedAt: isoTime,
  /** When a held sale was put on hold (null for a sale that is not held). */
  heldAt: isoTime.nullable(),
  lineCount: z.number().int(),
  /** Units over all lines (2 colas and a bread: 3), what the cashier counts on the counter. */
  itemCount: z.number().int(),
  /** The first lines, so a held sale can be told from another by what it holds. */
  firstItems: z.array(z.object({ nameZh: z.string(), nameEn: z.string(), qty })).max(SUMMARY_ITEMS),
  totalFen: fen,
});
export type SaleSummary = z.infer<typeof saleSummary>;

export const refundLine = z.object({
  lineNo: z.number().int().min(1),
  qty,
  amountFen: fen,
});

export const refund = z.object({
  id,
  saleId: id,
  receiptNo: z.string().nullable(),
  reason: shortText,
  lines: z.array(refundLine),
  amountFen: fen,
  /** Tax contained in amountFen (the refunded lines' share of their tax). */
  taxFen: fen,
  /** How the money went back, per original payment method. */
  byMethod: z.array(z.object({ paymentId: id, method: paymentMethod, amountFen: fen })),
  createdAt: isoTime,
  /** Who was signed in at the till (the manager who approved it is in the approvals). */
  operator: staffRef.nullable(),
});
export type Refund = z.infer<typeof refund>;

/**
 * Where a refund's face-pay money stands in the payer's wallet (the cloud's book): credited;
 * pending (the cloud was not reached: the terminal credits it when it reconnects); declined or
 * failed (the cloud would not credit it, `code` says why: for the back office to settle).
 */
export const WALLET_CREDIT_STATUSES = ['pending', 'credited', 'declined', 'failed'] as const;
export type WalletCreditStatus = (typeof WALLET_CREDIT_STATUSES)[number];
export const walletCredit = z.object({
  /** The ledger's face payment the money goes back to. */
  paymentId: id,
  amountFen: fen,
  status: z.enum(WALLET_CREDIT_STATUSES),
  code: z.string().max(64).nullable(),
});
export type WalletCredit = z.infer<typeof walletCredit>;

/** A refund as the cashier sees it: the ledger's refund and its face-pay wallet credits. */
export const refundResult = refund.extend({ walletCredits: z.array(walletCredit) });
export type RefundResult = z.infer<typeof refundResult>;

export const shift = z.object({
  id,
  status: z.enum(['open', 'closed']),
  openedAt: isoTime,
  closedAt: isoTime.nullable(),
  floatFen: fen,
  cashInFen: fen,
  cashOutFen: fen,
  cashSalesFen: fen,
  cashRefundsFen: fen,
  /** float + cash sales - cash refunds + cash in - cash out */
  expectedCashFen: fen,
  countedCashFen: fen.nullable(),
  /** counted - expected, once closed */
  varianceFen: fen.nullable(),
  /** The cashier who opened the shift (null for shifts from before ledger version 5). */
  openedBy: staffRef.nullable(),
  /** Who closed it and counted the drawer; null while open. */
  closedBy: staffRef.nullable(),
});
export type Shift = z.infer<typeof shift>;

/**
 * Who settles a method's money: the till itself (cash; card and the shop's own QR, recorded at
 * the till from the terminal's slip), an acquirer (payment codes, set against its day bill), or
 * the face-pay cloud.
 */
export const METHOD_SETTLED_BY = {
  cash: 'till',
  card: 'till',
  qr: 'till',
  face: 'cloud',
  alipay: 'acquirer',
  wechat: 'acquirer',
  unionpay: 'acquirer',
  stored_value: 'acquirer',
} as const satisfies Record<PaymentMethod, 'till' | 'acquirer' | 'cloud'>;

export const methodTotals = z.object({
  method: paymentMethod,
  /** Payments taken. */
  count: z.number().int(),
  /** paidFen - refundsFen: the net, so that the methods add up to the report's netFen. */
  amountFen: fen,
  /** Applied to sales (absent in reports stored before the payment mix had it). */
  paidFen: fen.optional(),
  /** Refund parts back to this method, and their amount (absent as paidFen). */
  refundsCount: z.number().int().optional(),
  refundsFen: fen.optional(),
});
export type MethodTotals = z.infer<typeof methodTotals>;

/** A paired register's share of a report (the register API's orders, ledger origin 'register'). */
export const registerTotals = z.object({
  registerId: id,
  /** Its name now (the manager's screen may rename it). */
  registerName: z.string(),
  salesCount: z.number().int(),
  salesFen: fen,
  refundsFen: fen,
  /** salesFen - refundsFen */
  netFen: fen,
  /** As the report's byMethod: applied minus refunded, per method. */
  byMethod: z.array(methodTotals),
});
export type RegisterTotals = z.infer<typeof registerTotals>;

export const hourTotals = z.object({
  hour: z.number().int().min(0).max(23),
  count: z.number().int(),
  netFen: fen,
});

export const topItem = z.object({
  sku: id,
  nameZh: shortText,
  nameEn: shortText,
  qty: z.number().int(),
  netFen: fen,
});

/** The figures shared by X, Z and daily reports. */
export const reportTotals = z.object({
  salesCount: z.number().int(),
  grossFen: fen,
  discountFen: fen,
  /** Completed sales' totals (after discounts). */
  salesFen: fen,
  refundsCount: z.number().int(),
  refundsFen: fen,
  /** salesFen - refundsFen */
  netFen: fen,
  taxFen: fen,
  averageTicketFen: fen,
  byMethod: z.array(methodTotals),
  /** Share of sales amount paid by face, in basis points. */
  facePayShareBp: z.number().int().min(0).max(10_000),
  /**
   * The part of these figures that registers' orders make, per register (included in the
   * totals above, not added to them). Absent in Z reports taken before registers existed.
   */
  byRegister: z.array(registerTotals).optional(),
});
export type ReportTotals = z.infer<typeof reportTotals>;

export const dailyReport = z.object({
  businessDate,
  timezone: z.string(),
  totals: reportTotals,
  byHour: z.array(hourTotals),
  topItems: z.array(topItem),
  refunds: z.array(
    z.object({
      id,
      receiptNo: z.string().nullable(),
      amountFen: fen,
      createdAt: isoTime,
      reason: shortText,
    }),
  ),
});
export type DailyReport = z.infer<typeof dailyReport>;

/** The acquirers a day can be reconciled with (acquirer_payments.acquirer). */
export const ACQUIRERS = ['alipay', 'wechatpay', 'reference'] as const;
export const acquirerName = z.enum(ACQUIRERS);
export type AcquirerName = z.infer<typeof acquirerName>;

/** One payment or refund through an acquirer, as one side (ledger or acquirer) lists it. */
export const reconciliationLine = z.object({
  kind: z.enum(['payment', 'refund']),
  outTradeNo: z.string(),
  acquirerTradeNo: z.string(),
  /** The refund's number (the ledger's refund id); '' for a payment. */
  refundNo: z.string(),
  amountFen: fen,
  at: z.string(),
});
export type ReconciliationLine = z.infer<typeof reconciliationLine>;

export const reconciliationSide = z.object({
  paymentsCount: z.number().int(),
  paymentsFen: fen,
  refundsCount: z.number().int(),
  refundsFen: fen,
  /** paymentsFen - refundsFen */
  netFen: fen,
});

/**
 * A day of one acquirer's money set against the ledger: every line of either side once, keyed
 * by (kind, outTradeNo, refundNo). `ledger`/`acquirer` is that side's line (null: it lacks it).
 */
export const reconciliation = z.object({
  businessDate,
  acquirer: acquirerName,
  lines: z.array(
    z.object({
      status: z.enum(['matched', 'ledger_only', 'acquirer_only', 'amount_differs']),
      ledger: reconciliationLine.nullable(),
      acquirer: reconciliationLine.nullable(),
    }),
  ),
  ledgerTotals: reconciliationSide,
  acquirerTotals: reconciliationSide,
  /** True when every line matched. */
  balanced: z.boolean(),
});
export type Reconciliation = z.infer<typeof reconciliation>;

export const xReport = z.object({
  shift,
  totals: reportTotals,
  generatedAt: isoTime,
});
export type XReport = z.infer<typeof xReport>;

export const zReport = z.object({
  number: z.number().int().min(1),
  businessDate,
  createdAt: isoTime,
  totals: reportTotals,
  shifts: z.array(shift),
  /** SHA-256 of the report's canonical content, as chained into the audit log. */
  hash: z.string(),
});
export type ZReport = z.infer<typeof zReport>;

export const auditVerification = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: z.object({ seq: z.number().int(), kind: z.string(), reason: z.string() }).nullable(),
});
export type AuditVerification = z.infer<typeof auditVerification>;

/**
 * The audit chain's standing, as the screens show it: the last check (at start, the daily full
 * check, "check now", or the cloud's comparison of its anchors at sync) and its result. A failed
 * check names the first bad row (firstBroken.seq). A cloud mismatch stays until the cloud
 * answers that the chain matches again.
 */
export const AUDIT_SCOPES = ['start', 'full', 'cloud'] as const;
export const auditStatus = auditVerification.extend({
  /** When the last check finished (null: none yet). */
  checkedAt: isoTime.nullable(),
  scope: z.enum(AUDIT_SCOPES).nullable(),
  /** A full check is under way in the background. */
  running: z.boolean(),
});
export type AuditStatus = z.infer<typeof auditStatus>;

export const terminalInfo = z.object({
  version: z.string(),
  shopName: z.string(),
  terminalId: z.string(),
  timezone: z.string(),
  defaultLocale: z.enum(['zh-CN', 'en']),
});
export type TerminalInfo = z.infer<typeof terminalInfo>;
