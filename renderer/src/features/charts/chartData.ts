/**
 * What the two report charts show, shaped from a DailyReport: pure data, no React and no DOM,
 * so that the screen's charts, the PDF's copies of them and the tests all read the same figures.
 * Drawing is left to Recharts (see HourlyBars.tsx and MethodDonut.tsx).
 */
import type { DailyReport, PaymentMethod } from '../../contract';
import { tradingHours } from '../../lib/report';

export interface HourPoint {
  hour: number;
  /** "09": the axis label. */
  label: string;
  count: number;
  netFen: number;
  /** What the bar draws: a net-negative hour (refunds only) draws no bar, the table says why. */
  barFen: number;
}

/** The hours the shop traded, first to last, quiet hours between them kept. */
export function hourSeries(report: Pick<DailyReport, 'byHour'>): HourPoint[] {
  return tradingHours(report.byHour).map((h) => ({
    hour: h.hour,
    label: String(h.hour).padStart(2, '0'),
    count: h.count,
    netFen: h.netFen,
    barFen: Math.max(0, h.netFen),
  }));
}

export interface MixSlice {
  method: PaymentMethod;
  amountFen: number;
  /** Share of the positive total, in basis points (integer, as every share in the contract). */
  shareBp: number;
}

/** The methods that took money (net of refunds), with their shares; empty when none did. */
export function methodMix(report: Pick<DailyReport, 'totals'>): MixSlice[] {
  const positive = report.totals.byMethod.filter((m) => m.amountFen > 0);
  const total = positive.reduce((sum, m) => sum + m.amountFen, 0);
  if (total === 0) return [];
  return positive.map((m) => ({
    method: m.method,
    amountFen: m.amountFen,
    shareBp: Math.round((m.amountFen * 10_000) / total),
  }));
}

/** Payment methods' colours, the same on screen and on paper (WCAG AA against white). */
export const METHOD_COLOURS: Record<PaymentMethod, string> = {
  cash: '#0e7a3e',
  face: '#0b5cd5',
  qr: '#b54708',
  card: '#6941c6',
  alipay: '#026aa2',
  wechat: '#3b7c0f',
  unionpay: '#b42318',
  stored_value: '#5e5e5e',
};

export const BAR_COLOUR = '#0b5cd5';
