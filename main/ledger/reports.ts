/**
 * Reports. A daily report covers the sales completed and the refunds made on one business day
 * (stored at write time, see clock.ts); an X report covers one shift. Both read through the
 * partial covering indexes of migration 2, so their cost follows the size of the day or shift,
 * not of the ledger.
 *
 * Definitions (ReportTotals):
 * - salesFen: completed sales' totals (after discounts); refundsFen: refunds made in the period
 *   (whenever the sale was); netFen = salesFen - refundsFen; taxFen is net of refunded tax.
 * - byMethod (the payment mix): every method, count = payments taken, paidFen = applied to
 *   sales, refundsCount/refundsFen = refund parts back to that method, amountFen = paidFen -
 *   refundsFen, so the amounts add up to netFen. Which methods an acquirer settles (and so are
 *   reconciled against its bill, reconciliation.ts) is contract METHOD_SETTLED_BY.
 * - facePayShareBp: face payments applied / salesFen, in basis points, rounded half up.
 * - averageTicketFen: salesFen / salesCount, rounded half up.
 * - byHour: all 24 hours; count = sales completed in the hour, netFen = their totals minus the
 *   refunds made in that hour.
 * - topItems: the 10 best-selling SKUs by net amount sold (before refunds), then SKU.
 */
import {
  PAYMENT_METHODS,
  PosError,
  type DailyReport,
  type MethodTotals,
  type PaymentMethod,
  type RegisterTotals,
  type ReportTotals,
  type XReport,
} from '../contract';
import { isCalendarDate } from './clock';
import type { Ctx } from './context';
import { REGISTERS_SINCE } from './rows';
import { latestShiftRow, toShift } from './shifts';

/**
 * Which rows a report covers, as SQL conditions on sales (alias s) and refunds (alias r). A
 * shift's sales are found through the by-date index from the shift's first business day on.
 */
export type Scope =
  { kind: 'date'; date: string } | { kind: 'shift'; shiftId: string; fromDate: string };

function where(scope: Scope): { sales: string; refunds: string; params: string[] } {
  return scope.kind === 'date'
    ? { sales: 's.business_date = ?', refunds: 'r.business_date = ?', params: [scope.date] }
    : {
        sales: 's.business_date >= ? AND s.shift_id = ?',
        refunds: 'r.shift_id = ?',
        params: [scope.fromDate, scope.shiftId],
      };
}

const TOP_ITEMS = 10;

interface MethodSum {
  method: PaymentMethod;
  n: number;
  amount: number;
}

/**
 * The payment mix: every method, with what was applied to sales, what went back to it in
 * refunds, and the net (amountFen), which is what adds up to the report's netFen.
 */
function paymentMix(paid: MethodSum[], refunded: MethodSum[]): MethodTotals[] {
  return PAYMENT_METHODS.map((method) => {
    const p = paid.find((r) => r.method === method);
    const r = refunded.find((x) => x.method === method);
    const paidFen = p?.amount ?? 0;
    const refundsFen = r?.amount ?? 0;
    return {
      method,
      count: p?.n ?? 0,
      amountFen: paidFen - refundsFen,
      paidFen,
      refundsCount: r?.n ?? 0,
      refundsFen,
    };
  });
}

function roundDiv(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor((2 * a + b) / (2 * b));
}

export function totals(ctx: Ctx, scope: Scope): ReportTotals {
  const w = where(scope);
  const refundParams = scope.kind === 'date' ? w.params : [scope.shiftId];
  const sales = ctx
    .stmt(
      `SELECT count(*) AS n, COALESCE(SUM(subtotal_fen), 0) AS gross,
              COALESCE(SUM(line_discount_fen + sale_discount_fen), 0) AS discount,
              COALESCE(SUM(total_fen), 0) AS total, COALESCE(SUM(tax_fen), 0) AS tax
       FROM sales s WHERE s.status = 'completed' AND ${w.sales}`,
    )
    .get(...w.params) as { n: number; gross: number; discount: number; total: number; tax: number };
  const refunds = ctx
    .stmt(
      `SELECT count(*) AS n, COALESCE(SUM(amount_fen), 0) AS amount,
              COALESCE(SUM(tax_fen), 0) AS tax
       FROM refunds r WHERE ${w.refunds}`,
    )
    .get(...refundParams) as { n: number; amount: number; tax: number };
  const paid = ctx
    .stmt(
      `SELECT p.method AS method, count(*) AS n, SUM(p.amount_fen) AS amount
       FROM sales s JOIN payments p ON p.sale_id = s.id
       WHERE s.status = 'completed' AND ${w.sales} GROUP BY p.method`,
    )
    .all(...w.params) as { method: PaymentMethod; n: number; amount: number }[];
  const refunded = ctx
    .stmt(
      `SELECT rp.method AS method, count(*) AS n, SUM(rp.amount_fen) AS amount
       FROM refunds r JOIN refund_payments rp ON rp.refund_id = r.id
       WHERE ${w.refunds} GROUP BY rp.method`,
    )
    .all(...refundParams) as { method: PaymentMethod; n: number; amount: number }[];
  const byMethod = paymentMix(paid, refunded);
  const face = paid.find((r) => r.method === 'face')?.amount ?? 0;
  return {
    salesCount: sales.n,
    grossFen: sales.gross,
    discountFen: sales.discount,
    salesFen: sales.total,
    refundsCount: refunds.n,
    refundsFen: refunds.amount,
    netFen: sales.total - refunds.amount,
    taxFen: sales.tax - refunds.tax,
    averageTicketFen: roundDiv(sales.total, sales.n),
    byMethod,
    facePayShareBp: Math.min(10_000, Math.max(0, roundDiv(face * 10_000, sales.total))),
    byRegister: byRegister(ctx, scope),
  };
}

/**
 * The registers' part of a report: their orders' sales and refunds in the scope, per register
 * (a sale is a register's when register_orders names it).
 */
function byRegister(ctx: Ctx, scope: Scope): RegisterTotals[] {
  if (ctx.schemaVersion < REGISTERS_SINCE) return [];
  const w = where(scope);
  const refundParams = scope.kind === 'date' ? w.params : [scope.shiftId];
  const sales = ctx
    .stmt(
      `SELECT o.register_id AS id, count(*) AS n, SUM(s.total_fen) AS total
       FROM sales s JOIN register_orders o ON o.sale_id = s.id
       WHERE s.status = 'completed' AND ${w.sales} GROUP BY o.register_id`,
    )
    .all(...w.params) as { id: string; n: number; total: number }[];
  const refunds = ctx
    .stmt(
      `SELECT o.register_id AS id, SUM(r.amount_fen) AS amount
       FROM refunds r JOIN register_orders o ON o.sale_id = r.sale_id
       WHERE ${w.refunds} GROUP BY o.register_id`,
    )
    .all(...refundParams) as { id: string; amount: number }[];
  const paid = ctx
    .stmt(
      `SELECT o.register_id AS id, p.method AS method, count(*) AS n, SUM(p.amount_fen) AS amount
       FROM sales s JOIN register_orders o ON o.sale_id = s.id
         JOIN payments p ON p.sale_id = s.id
       WHERE s.status = 'completed' AND ${w.sales} GROUP BY o.register_id, p.method`,
    )
    .all(...w.params) as { id: string; method: PaymentMethod; n: number; amount: number }[];
  const refunded = ctx
    .stmt(
      `SELECT o.register_id AS id, rp.method AS method, count(*) AS n,
              SUM(rp.amount_fen) AS amount
       FROM refunds r JOIN register_orders o ON o.sale_id = r.sale_id
         JOIN refund_payments rp ON rp.refund_id = r.id
       WHERE ${w.refunds} GROUP BY o.register_id, rp.method`,
    )
    .all(...refundParams) as (MethodSum & { id: string })[];
  const ids = [...new Set([...sales.map((r) => r.id), ...refunds.map((r) => r.id)])].sort();
  return ids.map((registerId) => {
    const name = ctx.stmt('SELECT name FROM registers WHERE id = ?').get(registerId) as
      { name: string } | undefined;
    const sold = sales.find((r) => r.id === registerId);
    const back = refunds.find((r) => r.id === registerId)?.amount ?? 0;
    return {
      registerId,
      registerName: name?.name ?? '',
      salesCount: sold?.n ?? 0,
      salesFen: sold?.total ?? 0,
      refundsFen: back,
      netFen: (sold?.total ?? 0) - back,
      byMethod: paymentMix(
        paid.filter((r) => r.id === registerId),
        refunded.filter((r) => r.id === registerId),
      ),
    };
  });
}

export function dailyReport(ctx: Ctx, businessDate: string): DailyReport {
  if (typeof businessDate !== 'string' || !isCalendarDate(businessDate))
    throw new PosError('VALIDATION', 'businessDate: expected a date YYYY-MM-DD', 'businessDate');
  const hours = ctx
    .stmt(
      `SELECT hour, count(*) AS n, SUM(total_fen) AS amount FROM sales
       WHERE status = 'completed' AND business_date = ? GROUP BY hour`,
    )
    .all(businessDate) as { hour: number; n: number; amount: number }[];
  const refundHours = ctx
    .stmt(
      'SELECT hour, SUM(amount_fen) AS amount FROM refunds WHERE business_date = ? GROUP BY hour',
    )
    .all(businessDate) as { hour: number; amount: number }[];
  const byHour = Array.from({ length: 24 }, (_, hour) => {
    const s = hours.find((h) => h.hour === hour);
    const r = refundHours.find((h) => h.hour === hour);
    return { hour, count: s?.n ?? 0, netFen: (s?.amount ?? 0) - (r?.amount ?? 0) };
  });
  const top = ctx
    .stmt(
      `SELECT l.sku AS sku, max(l.name_zh) AS name_zh, max(l.name_en) AS name_en,
              SUM(l.qty) AS qty, SUM(l.net_fen) AS net
       FROM sales s JOIN sale_lines l ON l.sale_id = s.id
       WHERE s.status = 'completed' AND s.business_date = ?
       GROUP BY l.sku ORDER BY net DESC, l.sku LIMIT ${TOP_ITEMS}`,
    )
    .all(businessDate) as {
    sku: string;
    name_zh: string;
    name_en: string;
    qty: number;
    net: number;
  }[];
  const refunds = ctx
    .stmt(
      `SELECT r.id AS id, s.receipt_no AS receipt_no, r.amount_fen AS amount,
              r.created_at AS created_at, r.reason AS reason
       FROM refunds r JOIN sales s ON s.id = r.sale_id
       WHERE r.business_date = ? ORDER BY r.created_at, r.id`,
    )
    .all(businessDate) as {
    id: string;
    receipt_no: string | null;
    amount: number;
    created_at: string;
    reason: string;
  }[];
  return {
    businessDate,
    timezone: ctx.clock.timezone,
    totals: totals(ctx, { kind: 'date', date: businessDate }),
    byHour,
    topItems: top.map((t) => ({
      sku: t.sku,
      nameZh: t.name_zh,
      nameEn: t.name_en,
      qty: t.qty,
      netFen: t.net,
    })),
    refunds: refunds.map((r) => ({
      id: r.id,
      receiptNo: r.receipt_no,
      amountFen: r.amount,
      createdAt: r.created_at,
      reason: r.reason,
    })),
  };
}

/** The open shift so far, or (when none is open) the last shift closed. */
export function xReport(ctx: Ctx): XReport {
  const row = latestShiftRow(ctx);
  if (!row) throw new PosError('NO_OPEN_SHIFT', 'no shift has been opened yet');
  return {
    shift: toShift(ctx, row),
    totals: totals(ctx, { kind: 'shift', shiftId: row.id, fromDate: row.business_date }),
    generatedAt: ctx.now().toISOString(),
  };
}
