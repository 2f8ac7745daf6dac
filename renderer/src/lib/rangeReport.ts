/**
 * The report over a period, on the manager's screen: the quick periods of the date-range
 * picker, the change against the comparison period, and the CSV. Pure functions on business
 * dates (YYYY-MM-DD in the shop's zone, as main counts them), so the screen and the tests agree.
 */
import type { RangeFigures, RangeReport } from '../contract';
import { fenToYuanInput } from './money';

export const RANGE_PRESETS = ['today', 'yesterday', 'thisWeek', 'last7', 'thisMonth'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

const DAY_MS = 86_400_000;

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Monday = 0 ... Sunday = 6 (weeks start on Monday in China). */
export function weekdayOf(date: string): number {
  return (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
}

/** The period a quick choice means, given the shop's business date today. */
export function presetRange(preset: RangePreset, today: string): { from: string; to: string } {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday': {
      const d = addDays(today, -1);
      return { from: d, to: d };
    }
    case 'thisWeek':
      return { from: addDays(today, -weekdayOf(today)), to: today };
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'thisMonth':
      return { from: `${today.slice(0, 8)}01`, to: today };
  }
}

/**
 * The change from `previous` to `current` in basis points of `previous`, rounded half away from
 * zero by integer arithmetic; null when there is nothing to compare with (previous 0).
 */
export function changeBp(current: number, previous: number): number | null {
  if (previous === 0) return null;
  const num = (current - previous) * 10_000;
  const den = Math.abs(previous);
  const q = Math.floor((2 * Math.abs(num) + den) / (2 * den));
  return num < 0 ? -q : q;
}

/** "▲ 12.5 %", "▼ 3.0 %", "– 0.0 %", or "—" when there is no base. */
export function formatChange(bp: number | null): string {
  if (bp === null) return '—';
  const arrow = bp > 0 ? '▲' : bp < 0 ? '▼' : '–';
  const tenths = Math.round(Math.abs(bp) / 10);
  return `${arrow} ${Math.floor(tenths / 10)}.${tenths % 10} %`;
}

export interface RangeCsvLabels {
  title: string;
  previous: string;
  sameDayLastWeek: string;
  figure: string;
  salesCount: string;
  gross: string;
  discounts: string;
  refunds: string;
  net: string;
  averageTicket: string;
  byDay: string;
  date: string;
  byCashier: string;
  cashier: string;
  unknownCashier: string;
  byTill: string;
  till: string;
  byCategory: string;
  category: string;
  qty: string;
  sales: string;
  heat: string;
  weekday: (weekday: number) => string;
}

function cell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function row(values: (string | number)[]): string {
  return values.map(cell).join(',');
}

/** The report as CSV: amounts in plain yuan (12.50) so that they sum; a BOM for Excel. */
export function rangeCsv(report: RangeReport, l: RangeCsvLabels): string {
  const yuan = fenToYuanInput;
  const figures = (f: RangeFigures): (string | number)[] => [
    f.salesCount,
    yuan(f.grossFen),
    yuan(f.discountFen),
    yuan(f.refundsFen),
    yuan(f.netFen),
  ];
  const head = [l.salesCount, l.gross, l.discounts, l.refunds, l.net];
  const lines = [row([l.title, report.from, report.to, report.timezone]), ''];
  const periods = [
    { name: l.title, p: { from: report.from, to: report.to, totals: report.totals } },
    { name: l.previous, p: report.previous },
    ...(report.sameDayLastWeek ? [{ name: l.sameDayLastWeek, p: report.sameDayLastWeek }] : []),
  ];
  lines.push(row([l.figure, l.date, l.date, ...head, l.averageTicket]));
  for (const { name, p } of periods)
    lines.push(row([name, p.from, p.to, ...figures(p.totals), yuan(p.totals.averageTicketFen)]));
  lines.push('', row([l.byDay]), row([l.date, ...head]));
  for (const d of report.byDay) lines.push(row([d.date, ...figures(d)]));
  lines.push('', row([l.byCashier]), row([l.cashier, ...head]));
  for (const c of report.byCashier) lines.push(row([c.name || l.unknownCashier, ...figures(c)]));
  lines.push('', row([l.byTill]), row([l.till, ...head]));
  for (const t of report.byTill) lines.push(row([t.name || t.tillId, ...figures(t)]));
  lines.push('', row([l.byCategory]), row([l.category, l.qty, l.sales, l.refunds, l.net]));
  for (const c of report.byCategory)
    lines.push(row([c.category, c.qty, yuan(c.salesFen), yuan(c.refundsFen), yuan(c.netFen)]));
  lines.push('', row([l.heat]), row(['', ...Array.from({ length: 24 }, (_, h) => h)]));
  report.heat.forEach((hours, weekday) =>
    lines.push(row([l.weekday(weekday), ...hours.map((c) => c.count)])),
  );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
