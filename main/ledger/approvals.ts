/**
 * Manager approvals. An action that needs a manager's PIN is written together with an approval
 * row (who allowed what, on which sale or line) and an 'approval.used' outbox event, in one
 * transaction: the action and the record of who allowed it exist together or not at all.
 */
import type { ApprovalAction, Staff } from '../contract';
import type { Ctx } from './context';
import { appendOutbox } from './outbox';

export interface ApprovalRecord {
  /** What the approval was used on: a refund id, `saleId/lineNo`, a Z number... */
  ref: string;
  details?: Record<string, unknown>;
}

export function withApproval<T>(
  ctx: Ctx,
  approver: Staff,
  action: ApprovalAction,
  fn: () => T,
  record: (result: T) => ApprovalRecord,
): T {
  return ctx.tx(() => {
    const result = fn();
    const { ref, details = {} } = record(result);
    const at = ctx.now();
    const createdAt = at.toISOString();
    const id = ctx.newId(at);
    ctx
      .stmt(
        `INSERT INTO approvals (id, staff_id, action, ref, details, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(id, approver.id, action, ref, JSON.stringify(details), createdAt);
    appendOutbox(
      ctx,
      'approval.used',
      { id, action, ref, details, approvedBy: { id: approver.id, name: approver.name } },
      at,
      createdAt,
    );
    return result;
  });
}

export interface ApprovalRow {
  id: string;
  staffId: string;
  action: string;
  ref: string;
  details: Record<string, unknown>;
  createdAt: string;
}

export function listApprovals(ctx: Ctx, limit = 100): ApprovalRow[] {
  const rows = ctx
    .stmt(
      `SELECT id, staff_id, action, ref, details, created_at FROM approvals
       ORDER BY seq DESC LIMIT ?`,
    )
    .all(limit) as {
    id: string;
    staff_id: string;
    action: string;
    ref: string;
    details: string;
    created_at: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    staffId: r.staff_id,
    action: r.action,
    ref: r.ref,
    details: JSON.parse(r.details) as Record<string, unknown>,
    createdAt: r.created_at,
  }));
}
