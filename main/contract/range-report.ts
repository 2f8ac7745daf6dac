/**
 * The report over any period of business days (issue 12): totals, per day, per cashier, per
 * till, per category, an hour-of-day x weekday heat map, and the same figures for the period
 * to compare with. Every amount is integer fen; see main/ledger/range-report.ts for how each
 * figure is defined.
 */
import { z } from 'zod';
import { businessDate, fen, id, shortText } from './domain';

/** The longest period one report covers (about ten years), so a typo cannot scan forever. */
export const MAX_RANGE_DAYS = 3660;

export const rangeRequest = z
  .object({ from: businessDate, to: businessDate })
  .strict()
  .refine((r) => r.from <= r.to, { message: 'from must not be after to', path: ['to'] });
export type RangeRequest = z.infer<typeof rangeRequest>;

/** The money figures every row of the report carries. */
export const rangeFigures = z.object({
  salesCount: z.number().int(),
  /** Completed sales before discounts. */
  grossFen: fen,
  discountFen: fen,
  refundsCount: z.number().int(),
  /** Refunds made in the period (whenever the sale was). */
  refundsFen: fen,
  /** grossFen - discountFen - refundsFen */
  netFen: fen,
});
export type RangeFigures = z.infer<typeof rangeFigures>;

export const rangeTotals = rangeFigures.extend({
  /** netFen / salesCount, rounded half up (0 without sales). */
  averageTicketFen: fen,
});
export type RangeTotals = z.infer<typeof rangeTotals>;

export const rangePeriod = z.object({
  from: businessDate,
  to: businessDate,
  totals: rangeTotals,
});
export type RangePeriod = z.infer<typeof rangePeriod>;

export const rangeReport = z.object({
  from: businessDate,
  to: businessDate,
  days: z.number().int().min(1),
  timezone: z.string(),
  totals: rangeTotals,
  byDay: z.array(rangeFigures.extend({ date: businessDate })),
  byCashier: z.array(rangeFigures.extend({ staffId: id.nullable(), name: shortText })),
  /** Per terminal (the sales made at this till), then per paired register, if any. */
  byTill: z.array(
    rangeFigures.extend({ kind: z.enum(['terminal', 'register']), tillId: id, name: shortText }),
  ),
  /**
   * Per product category (the product's category when the line was sold): units sold, the sold lines' net
   * (after discounts), the refunds of those lines made in the period, and the difference.
   */
  byCategory: z.array(
    z.object({
      category: shortText,
      qty: z.number().int(),
      salesFen: fen,
      refundsFen: fen,
      netFen: fen,
    }),
  ),
  /**
   * heat[weekday][hour]: weekday 0 = Monday ... 6 = Sunday (of the business day), hour 0-23 in
   * the shop's time zone; sales completed and their net (less refunds made in that slot).
   */
  heat: z.array(z.array(z.object({ count: z.number().int(), netFen: fen }))),
  /** The period of equal length just before. */
  previous: rangePeriod,
  /** For a one-day report: the same weekday a week earlier; otherwise null. */
  sameDayLastWeek: rangePeriod.nullable(),
});
export type RangeReport = z.infer<typeof rangeReport>;
