/**
 * The report over any period of business days (issue 12): from..to inclusive, in the shop's
 * business days (stored on each sale and refund at write time, see clock.ts).
 *
 * Definitions (every amount integer fen, exact sums, nothing allocated):
 * - salesCount, grossFen (subtotals, before discounts), discountFen (line + sale discounts) of
 *   the sales completed in the period; refundsCount, refundsFen of the refunds made in it
 *   (whenever the sale was); netFen = grossFen - discountFen - refundsFen.
 * - averageTicketFen = netFen / salesCount, rounded half up (0 without sales).
 * - byDay: every day of the period, in order, zeros included.
 * - byCashier: who rang the sale up / who gave the refund (operator_id; null before version 5).
 * - byTill: per terminal id, then per paired register (the sales of its orders, the refunds of
 *   those sales), which are part of the terminal's figures, not added to them.
 * - byCategory: sold lines' net and refunded lines' amounts, by the category at sale time.
 * - heat[weekday][hour]: weekday 0 = Monday of the business day; count = sales completed in the
 *   slot, netFen = their totals minus the refunds made in the slot.
 * - previous: the same number of days just before `from`; sameDayLastWeek (one-day reports
 *   only): `from` minus seven days. Both carry totals only.
 *
 * Everything but the registers' part comes from the running totals of migration 19 (per day,
 * hour, cashier and till; per day and category), folded here in JavaScript, so a year costs a
 * few thousand rows, not the year's sales. byCategory therefore uses the category a product had
 * when its line was sold.
 */
import {
  MAX_RANGE_DAYS,
  PosError,
  type RangeFigures,
  type RangePeriod,
  type RangeReport,
  type RangeTotals,
} from '../contract';
import { isCalendarDate } from './clock';
import type { Ctx } from './context';
import { REGISTERS_SINCE } from './rows';

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Monday ... 6 = Sunday (1970-01-01, day 0, was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

function roundDiv(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor((2 * a + b) / (2 * b));
}

function zero(): RangeFigures {
  return { salesCount: 0, grossFen: 0, discountFen: 0, refundsCount: 0, refundsFen: 0, netFen: 0 };
}

function addSale(f: RangeFigures, n: number, gross: number, discount: number): void {
  f.salesCount += n;
  f.grossFen += gross;
  f.discountFen += discount;
  f.netFen += gross - discount;
}

function addRefund(f: RangeFigures, n: number, amount: number): void {
  f.refundsCount += n;
  f.refundsFen += amount;
  f.netFen -= amount;
}

function withAverage(f: RangeFigures): RangeTotals {
  return { ...f, averageTicketFen: roundDiv(f.netFen, f.salesCount) };
}

function checkDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isCalendarDate(value))
    throw new PosError('VALIDATION', `${field}: expected a date YYYY-MM-DD`, field);
  return value;
}

/** A row of report_slots: day, hour, cashier, till, sales, gross, discount, refunds, refunded. */
type Slot = [string, number, string, string, number, number, number, number, number];

/**
 * The running totals of migration 19 in the period: a few thousand rows for a year, read as
 * arrays (no object per row: this read is most of a year's report).
 */
function slots(ctx: Ctx, from: string, to: string): Slot[] {
  return ctx
    .stmt(
      `SELECT business_date, hour, operator_id, terminal_id, sales_count, gross_fen,
              discount_fen, refunds_count, refunds_fen
       FROM report_slots WHERE business_date BETWEEN ? AND ?`,
    )
    .raw(true)
    .all(from, to) as Slot[];
}

/** The totals of a period alone (for the comparison). */
function periodTotals(ctx: Ctx, from: string, to: string): RangePeriod {
  const s = ctx
    .stmt(
      `SELECT COALESCE(SUM(sales_count), 0) AS n, COALESCE(SUM(gross_fen), 0) AS gross,
              COALESCE(SUM(discount_fen), 0) AS discount, COALESCE(SUM(refunds_count), 0) AS rn,
              COALESCE(SUM(refunds_fen), 0) AS refunds
       FROM report_slots WHERE business_date BETWEEN ? AND ?`,
    )
    .get(from, to) as { n: number; gross: number; discount: number; rn: number; refunds: number };
  const f = zero();
  addSale(f, s.n, s.gross, s.discount);
  addRefund(f, s.rn, s.refunds);
  return { from, to, totals: withAverage(f) };
}

function byCategory(ctx: Ctx, from: string, to: string): RangeReport['byCategory'] {
  const rows = ctx
    .stmt(
      `SELECT category, SUM(qty) AS qty, SUM(sales_fen) AS sales, SUM(refunds_fen) AS refunds
       FROM report_categories WHERE business_date BETWEEN ? AND ? GROUP BY category`,
    )
    .all(from, to) as { category: string; qty: number; sales: number; refunds: number }[];
  return rows
    .map((r) => ({
      category: r.category,
      qty: r.qty,
      salesFen: r.sales,
      refundsFen: r.refunds,
      netFen: r.sales - r.refunds,
    }))
    .sort((a, b) => b.netFen - a.netFen || a.category.localeCompare(b.category));
}

/**
 * The paired registers' part: their orders' sales, and the refunds of those sales. Read from
 * register_orders outwards (CROSS JOIN fixes the order in SQLite): a shop's register orders are
 * few next to its sales, and the sales' date index would otherwise be walked for the whole period.
 */
function byRegister(ctx: Ctx, from: string, to: string): RangeReport['byTill'] {
  if (ctx.schemaVersion < REGISTERS_SINCE) return [];
  const sold = ctx
    .stmt(
      `SELECT o.register_id AS id, count(*) AS n, SUM(s.subtotal_fen) AS gross,
              SUM(s.line_discount_fen + s.sale_discount_fen) AS discount
       FROM register_orders o CROSS JOIN sales s ON s.id = o.sale_id
       WHERE s.status = 'completed' AND s.business_date BETWEEN ? AND ?
       GROUP BY o.register_id`,
    )
    .all(from, to) as { id: string; n: number; gross: number; discount: number }[];
  const back = ctx
    .stmt(
      `SELECT o.register_id AS id, count(*) AS n, SUM(r.amount_fen) AS amount
       FROM register_orders o CROSS JOIN refunds r ON r.sale_id = o.sale_id
       WHERE r.business_date BETWEEN ? AND ?
       GROUP BY o.register_id`,
    )
    .all(from, to) as { id: string; n: number; amount: number }[];
  const ids = [...new Set([...sold.map((r) => r.id), ...back.map((r) => r.id)])].sort();
  return ids.map((tillId) => {
    const f = zero();
    const s = sold.find((r) => r.id === tillId);
    const r = back.find((x) => x.id === tillId);
    if (s) addSale(f, s.n, s.gross, s.discount);
    if (r) addRefund(f, r.n, r.amount);
    const name = ctx.stmt('SELECT name FROM registers WHERE id = ?').get(tillId) as
      { name: string } | undefined;
    return { kind: 'register' as const, tillId, name: name?.name ?? '', ...f };
  });
}

export function rangeReport(ctx: Ctx, request: { from: string; to: string }): RangeReport {
  const from = checkDate(request?.from, 'from');
  const to = checkDate(request?.to, 'to');
  const first = dayNumber(from);
  const days = dayNumber(to) - first + 1;
  if (days < 1) throw new PosError('VALIDATION', 'to: must not be before from', 'to');
  if (days > MAX_RANGE_DAYS)
    throw new PosError('VALIDATION', `to: at most ${MAX_RANGE_DAYS} days in one report`, 'to');

  {
    const totals = zero();
    const perDay = Array.from({ length: days }, zero);
    const cashiers = new Map<string | null, RangeFigures>();
    const tills = new Map<string, RangeFigures>();
    const heat = Array.from({ length: 7 }, () =>
      Array.from({ length: 24 }, () => ({ count: 0, netFen: 0 })),
    );
    const dayOf = new Map<string, number>();
    const slot = (d: string, hour: number) => {
      let day = dayOf.get(d);
      if (day === undefined) dayOf.set(d, (day = dayNumber(d)));
      const cell = heat[weekdayOf(day)]?.[hour];
      const f = perDay[day - first];
      if (!cell || !f) throw new Error(`report row outside its period: ${d} ${hour}`);
      return { cell, f };
    };
    const of = <K>(m: Map<K, RangeFigures>, k: K): RangeFigures => {
      let f = m.get(k);
      if (!f) m.set(k, (f = zero()));
      return f;
    };
    for (const [d, hour, op, till, n, gross, discount, rn, refunds] of slots(ctx, from, to)) {
      const { cell, f } = slot(d, hour);
      for (const x of [totals, f, of(cashiers, op || null), of(tills, till)]) {
        addSale(x, n, gross, discount);
        addRefund(x, rn, refunds);
      }
      cell.count += n;
      cell.netFen += gross - discount - refunds;
    }
    const staffName = (staffId: string | null): string => {
      if (staffId === null) return '';
      const row = ctx.stmt('SELECT name FROM staff WHERE id = ?').get(staffId) as
        { name: string } | undefined;
      return row?.name ?? '';
    };
    const byNet = (a: { netFen: number }, b: { netFen: number }) => b.netFen - a.netFen;
    return {
      from,
      to,
      days,
      timezone: ctx.clock.timezone,
      totals: withAverage(totals),
      byDay: perDay.map((f, i) => ({ date: dateOfDay(first + i), ...f })),
      byCashier: [...cashiers]
        .map(([staffId, f]) => ({ staffId, name: staffName(staffId), ...f }))
        .sort((a, b) => byNet(a, b) || a.name.localeCompare(b.name)),
      byTill: [
        ...[...tills]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([tillId, f]) => ({ kind: 'terminal' as const, tillId, name: tillId, ...f })),
        ...byRegister(ctx, from, to),
      ],
      byCategory: byCategory(ctx, from, to),
      heat,
      previous: periodTotals(ctx, dateOfDay(first - days), dateOfDay(first - 1)),
      sameDayLastWeek:
        days === 1 ? periodTotals(ctx, dateOfDay(first - 7), dateOfDay(first - 7)) : null,
    };
  }
}
