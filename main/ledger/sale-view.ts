/** Reading sales back as the contract's Sale and SaleSummary, from a cart or the ledger. */
import {
  PosError,
  SUMMARY_ITEMS,
  type Payment,
  type Sale,
  type SaleLine,
  type SaleSummary,
  type StaffRef,
} from '../contract';
import { loadCart, type Cart } from './carts';
import type { Ctx } from './context';
import { priceSale } from './pricing';
import { staffRefOf } from './staff';
import {
  PAYMENTS,
  SALE_LINES,
  SALES,
  type PaymentRow,
  type SaleLineRow,
  type SaleRow,
} from './rows';

/** A sale's payments in the order they were taken (ids are time-ordered, see ids.ts). */
export function paymentRowsOf(ctx: Ctx, saleId: string): PaymentRow[] {
  return PAYMENTS.select(ctx, 'sale_id = ? ORDER BY id').all(saleId) as PaymentRow[];
}

export function hasPayments(ctx: Ctx, saleId: string): boolean {
  return ctx.stmt('SELECT 1 FROM payments WHERE sale_id = ? LIMIT 1').get(saleId) !== undefined;
}

export function toPayment(r: PaymentRow): Payment {
  return {
    id: r.id,
    method: r.method,
    amountFen: r.amount_fen,
    tenderedFen: r.tendered_fen,
    changeFen: r.change_fen,
    reference: r.reference,
    createdAt: r.created_at,
  };
}

export function toSaleLine(r: SaleLineRow): SaleLine {
  return {
    lineNo: r.line_no,
    sku: r.sku,
    barcode: r.barcode,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    qty: r.qty,
    unitPriceFen: r.unit_price_fen,
    taxRateBp: r.tax_rate_bp,
    grossFen: r.gross_fen,
    lineDiscountFen: r.line_discount_fen,
    saleDiscountShareFen: r.sale_discount_share_fen,
    netFen: r.net_fen,
    taxFen: r.tax_fen,
  };
}

/** An open or held sale: priced from its cart, with any payments already taken. */
export function cartToSale(ctx: Ctx, cart: Cart, payments = paymentRowsOf(ctx, cart.id)): Sale {
  const priced = priceSale(cart.lines, cart.saleDiscountFen);
  const paid = payments.reduce((a, p) => a + p.amount_fen, 0);
  return {
    id: cart.id,
    receiptNo: null,
    status: cart.status,
    shiftId: null,
    openedAt: cart.openedAt,
    completedAt: null,
    lines: priced.lines,
    subtotalFen: priced.subtotalFen,
    lineDiscountFen: priced.lineDiscountFen,
    saleDiscountFen: priced.saleDiscountFen,
    totalFen: priced.totalFen,
    taxFen: priced.taxFen,
    paidFen: paid,
    dueFen: priced.totalFen - paid,
    changeFen: payments.reduce((a, p) => a + p.change_fen, 0),
    payments: payments.map(toPayment),
    refundedFen: 0,
    // Recorded when the sale completes or is voided.
    operator: null,
  };
}

/** A completed or voided sale as stored in the ledger. */
export function rowToSale(
  row: SaleRow,
  lines: readonly SaleLineRow[],
  payments: readonly PaymentRow[],
  refundedFen: number,
  operator: StaffRef | null,
): Sale {
  return {
    id: row.id,
    receiptNo: row.receipt_no,
    status: row.status,
    shiftId: row.shift_id,
    openedAt: row.opened_at,
    completedAt: row.status === 'completed' ? row.closed_at : null,
    lines: lines.map(toSaleLine),
    subtotalFen: row.subtotal_fen,
    lineDiscountFen: row.line_discount_fen,
    saleDiscountFen: row.sale_discount_fen,
    totalFen: row.total_fen,
    taxFen: row.tax_fen,
    paidFen: row.paid_fen,
    // Nothing is owed on a completed sale (fully paid) or a voided one.
    dueFen: 0,
    changeFen: row.change_fen,
    payments: payments.map(toPayment),
    refundedFen,
    operator,
  };
}

export function saleRow(ctx: Ctx, id: string): SaleRow | undefined {
  return SALES.select(ctx, 'id = ?').get(id) as SaleRow | undefined;
}

export function loadStoredSale(ctx: Ctx, row: SaleRow): Sale {
  const lines = SALE_LINES.select(ctx, 'sale_id = ? ORDER BY line_no').all(row.id) as SaleLineRow[];
  const refunded = ctx
    .stmt('SELECT COALESCE(SUM(amount_fen), 0) AS v FROM refunds WHERE sale_id = ?')
    .get(row.id) as { v: number };
  return rowToSale(
    row,
    lines,
    paymentRowsOf(ctx, row.id),
    refunded.v,
    staffRefOf(ctx, row.operator_id),
  );
}

export function getSale(ctx: Ctx, id: string): Sale {
  const row = saleRow(ctx, id);
  if (row) return loadStoredSale(ctx, row);
  const cart = loadCart(ctx, id);
  if (cart) return cartToSale(ctx, cart);
  throw new PosError('NOT_FOUND', `no sale ${id}`, 'saleId');
}

/** Receipt numbers are `<terminal>-<sequence>`, e.g. T01-000123. */
export function formatReceiptNo(terminalId: string, seq: number): string {
  return `${terminalId}-${String(seq).padStart(6, '0')}`;
}

export function getSaleByReceipt(ctx: Ctx, receiptNo: string): Sale {
  const m = typeof receiptNo === 'string' ? /^(.+)-(\d{1,15})$/.exec(receiptNo.trim()) : null;
  const row = m
    ? (SALES.select(ctx, 'terminal_id = ? AND receipt_seq = ?').get(m[1], Number(m[2])) as
        SaleRow | undefined)
    : undefined;
  if (!row) throw new PosError('NOT_FOUND', `no sale has receipt ${receiptNo}`, 'receiptNo');
  return loadStoredSale(ctx, row);
}

export function cartSummary(cart: Cart): SaleSummary {
  return {
    id: cart.id,
    receiptNo: null,
    status: cart.status,
    openedAt: cart.openedAt,
    heldAt: cart.heldAt,
    lineCount: cart.lines.length,
    itemCount: cart.lines.reduce((sum, l) => sum + l.qty, 0),
    firstItems: cart.lines
      .slice(0, SUMMARY_ITEMS)
      .map((l) => ({ nameZh: l.nameZh, nameEn: l.nameEn, qty: l.qty })),
    totalFen: priceSale(cart.lines, cart.saleDiscountFen).totalFen,
  };
}
