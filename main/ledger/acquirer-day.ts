/**
 * The ledger's side of an acquirer reconciliation: every payment recorded through one acquirer
 * (acquirer_payments) and every refund sent back through it (acquirer_refunds) on one day, as
 * the acquirer's own day bill lists them. The acquirer keys its bill by the calendar day in the
 * shop's zone when the money moved, not by our business day (a Z report can move that), so the
 * day here is the shop-zone date of paid_at / refunded_at.
 */
import { ACQUIRERS, PosError, type AcquirerName, type ReconciliationLine } from '../contract';
import { isCalendarDate, nextDate } from './clock';
import type { Ctx } from './context';

function previousDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Payments first, then refunds, each in time order (as the acquirers' bills list them). */
export function acquirerDayLines(
  ctx: Ctx,
  acquirer: AcquirerName,
  day: string,
): ReconciliationLine[] {
  if (typeof day !== 'string' || !isCalendarDate(day))
    throw new PosError('VALIDATION', 'businessDate: expected a date YYYY-MM-DD', 'businessDate');
  if (!(ACQUIRERS as readonly string[]).includes(acquirer))
    throw new PosError(
      'VALIDATION',
      `acquirer: expected one of ${ACQUIRERS.join(', ')}`,
      'acquirer',
    );
  // Times are stored as UTC ISO strings; every zone is within a day of UTC, so the rows of the
  // local day are among those of the UTC days either side, and the zone decides the rest.
  const from = previousDate(day);
  const to = nextDate(nextDate(day));
  const payments = ctx
    .stmt(
      `SELECT out_trade_no AS outTradeNo, acquirer_trade_no AS acquirerTradeNo,
              amount_fen AS amountFen, paid_at AS at
       FROM acquirer_payments WHERE acquirer = ? AND paid_at >= ? AND paid_at < ?`,
    )
    .all(acquirer, from, to) as Omit<ReconciliationLine, 'kind' | 'refundNo'>[];
  const refunds = ctx
    .stmt(
      `SELECT p.out_trade_no AS outTradeNo, p.acquirer_trade_no AS acquirerTradeNo,
              r.refund_no AS refundNo, r.amount_fen AS amountFen, r.refunded_at AS at
       FROM acquirer_refunds r JOIN acquirer_payments p ON p.payment_id = r.payment_id
       WHERE p.acquirer = ? AND r.refunded_at >= ? AND r.refunded_at < ?`,
    )
    .all(acquirer, from, to) as Omit<ReconciliationLine, 'kind'>[];
  const onDay = (line: { at: string }) => ctx.clock.at(new Date(line.at)).date === day;
  return [
    ...payments.filter(onDay).map((p) => ({ kind: 'payment' as const, refundNo: '', ...p })),
    ...refunds.filter(onDay).map((r) => ({ kind: 'refund' as const, ...r })),
  ].sort(
    (a, b) =>
      a.kind.localeCompare(b.kind) ||
      a.at.localeCompare(b.at) ||
      a.outTradeNo.localeCompare(b.outTradeNo),
  );
}
