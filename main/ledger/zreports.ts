/**
 * Z reports: closing a business day. Numbered 1, 2, 3... in the order taken, one per business
 * day (Z_ALREADY_TAKEN), only while no shift is open (SHIFT_OPEN). The report is stored as the
 * JSON snapshot that was returned, so a reprint is identical, and its SHA-256 (over the report
 * without the hash) is chained into the audit log. After a Z, activity belongs to the next
 * business day (see Ctx.businessMoment).
 */
import { PosError, type ZReport } from '../contract';
import { appendAudit, content, sha256 } from './audit';
import { isCalendarDate } from './clock';
import type { Ctx } from './context';
import { appendOutbox } from './outbox';
import { totals } from './reports';
import { Z_REPORTS, type ZRow } from './rows';
import { openShiftRow, shiftsOfDate } from './shifts';

export function lastZDate(ctx: Ctx): string | null {
  const r = ctx.stmt('SELECT max(business_date) AS d FROM z_reports').get() as { d: string | null };
  return r.d;
}

export function takeZReport(ctx: Ctx, businessDate?: string): ZReport {
  const report = ctx.tx(() => {
    const at = ctx.now();
    const today = ctx.businessMoment(at).date;
    const date = businessDate ?? today;
    if (typeof date !== 'string' || !isCalendarDate(date))
      throw new PosError('VALIDATION', 'businessDate: expected a date YYYY-MM-DD', 'businessDate');
    if (date > today)
      throw new PosError('VALIDATION', `businessDate: ${date} has not begun yet`, 'businessDate');
    const open = openShiftRow(ctx);
    if (open)
      throw new PosError('SHIFT_OPEN', `shift ${open.id} is open; close it before the Z report`);
    const taken = ctx.stmt('SELECT number FROM z_reports WHERE business_date = ?').get(date) as
      { number: number } | undefined;
    if (taken)
      throw new PosError(
        'Z_ALREADY_TAKEN',
        `Z report ${taken.number} already closed ${date}; reprint it instead`,
        'businessDate',
      );
    const last = ctx.stmt('SELECT max(number) AS n FROM z_reports').get() as { n: number | null };
    const createdAt = at.toISOString();
    const body = {
      number: (last.n ?? 0) + 1,
      businessDate: date,
      createdAt,
      totals: totals(ctx, { kind: 'date', date }),
      shifts: shiftsOfDate(ctx, date),
    };
    const z: ZReport = { ...body, hash: sha256(JSON.stringify(body)) };
    const row: ZRow = {
      number: z.number,
      business_date: date,
      created_at: createdAt,
      snapshot: JSON.stringify(z),
      hash: z.hash,
    };
    Z_REPORTS.insert(ctx, row);
    appendAudit(ctx, 'z', String(z.number), content.z(row), createdAt);
    appendOutbox(ctx, 'z.taken', z, at, createdAt);
    return z;
  });
  if (ctx.lastZDate === null || report.businessDate > ctx.lastZDate)
    ctx.lastZDate = report.businessDate;
  return report;
}

/**
 * A stored Z report as the contract shows it. The snapshot is kept byte for byte (its hash is
 * chained); one taken before ledger version 5 has no openedBy/closedBy on its shifts, which
 * are then unknown (null). The hash still covers exactly what was stored.
 */
function fromSnapshot(snapshot: string): ZReport {
  const z = JSON.parse(snapshot) as ZReport;
  return {
    ...z,
    shifts: z.shifts.map((s) => ({
      ...s,
      openedBy: s.openedBy ?? null,
      closedBy: s.closedBy ?? null,
    })),
  };
}

export function listZReports(ctx: Ctx): ZReport[] {
  const rows = ctx.stmt('SELECT snapshot FROM z_reports ORDER BY number').all() as {
    snapshot: string;
  }[];
  return rows.map((r) => fromSnapshot(r.snapshot));
}

export function getZReport(ctx: Ctx, n: number): ZReport {
  const row = ctx.stmt('SELECT snapshot FROM z_reports WHERE number = ?').get(n) as
    { snapshot: string } | undefined;
  if (!row) throw new PosError('NOT_FOUND', `no Z report ${n}`, 'number');
  return fromSnapshot(row.snapshot);
}
