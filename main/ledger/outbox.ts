/**
 * Transactional outbox: every money movement writes an event in the same transaction as the
 * movement, with an id fixed at write time, so the sync worker can deliver at least once and the
 * cloud can drop duplicates by id.
 *
 * The outbox table is append-only with no secondary index (each index would be one more page
 * written and fsynced with every sale). Delivery is tracked beside it: a watermark
 * (acked_through: every seq up to it is delivered) plus the seqs acknowledged above it.
 */
import { PosError } from '../contract';
import type { Ctx } from './context';

export type OutboxType =
  | 'payment.recorded'
  | 'sale.completed'
  | 'refund.created'
  | 'shift.opened'
  | 'shift.cash'
  | 'shift.closed'
  | 'z.taken'
  | 'approval.used'
  | 'audit.failed';

export interface OutboxEvent {
  id: string;
  seq: number;
  type: string;
  payload: unknown;
  createdAt: string;
}

export function appendOutbox(
  ctx: Ctx,
  type: OutboxType,
  payload: unknown,
  at: Date,
  createdAt: string,
): string {
  const id = ctx.newId(at);
  ctx
    .stmt('INSERT INTO outbox (id, type, payload, created_at) VALUES (?, ?, ?, ?)')
    .run(id, type, JSON.stringify(payload), createdAt);
  return id;
}

function ackedThrough(ctx: Ctx): number {
  return (ctx.stmt('SELECT acked_through AS n FROM outbox_state').get() as { n: number }).n;
}

/**
 * The oldest undelivered events, oldest first. `afterSeq` skips those up to that seq (the sync
 * worker reads the next batch while earlier ones are still on their way).
 */
export function pendingOutbox(ctx: Ctx, limit: number, afterSeq = 0): OutboxEvent[] {
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new PosError('VALIDATION', 'limit: expected a whole number 1..10000', 'limit');
  const rows = ctx
    .stmt(
      `SELECT seq, id, type, payload, created_at FROM outbox
       WHERE seq > max((SELECT acked_through FROM outbox_state), ?)
         AND seq NOT IN (SELECT seq FROM outbox_acks)
       ORDER BY seq LIMIT ?`,
    )
    .all(afterSeq, limit) as {
    seq: number;
    id: string;
    type: string;
    payload: string;
    created_at: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    seq: r.seq,
    type: r.type,
    payload: JSON.parse(r.payload) as unknown,
    createdAt: r.created_at,
  }));
}

/**
 * Marks events delivered. Unknown or already-delivered ids are ignored (delivery is idempotent).
 * Finding an id scans the undelivered events from the watermark on, stopping once all are found,
 * so marking in delivery order is cheap.
 */
export function markOutboxSent(ctx: Ctx, ids: readonly string[]): void {
  const wanted = new Set(ids.filter((id) => typeof id === 'string'));
  if (wanted.size === 0) return;
  const sentAt = ctx.now().toISOString();
  ctx.tx(() => {
    let low = ackedThrough(ctx);
    const ack = ctx.stmt('INSERT OR IGNORE INTO outbox_acks (seq, sent_at) VALUES (?, ?)');
    const rows = ctx
      .stmt('SELECT seq, id FROM outbox WHERE seq > ? ORDER BY seq')
      .iterate(low) as IterableIterator<{ seq: number; id: string }>;
    const found: number[] = [];
    for (const r of rows) {
      if (!wanted.delete(r.id)) continue;
      found.push(r.seq);
      if (wanted.size === 0) break;
    }
    // (Writes wait until the read above is finished: one statement at a time per connection.)
    const start = low;
    // The usual case, delivery in order: the events right after the watermark need no ack row,
    // the watermark simply moves over them.
    let inOrder = 0;
    while (found[inOrder] === low + 1) {
      low += 1;
      inOrder += 1;
    }
    for (const seq of found.slice(inOrder)) ack.run(seq, sentAt);
    // Move the watermark over the acknowledged run that follows it.
    const next = ctx.stmt('SELECT 1 FROM outbox_acks WHERE seq = ?');
    while (next.get(low + 1) !== undefined) low += 1;
    if (low !== start) {
      ctx.stmt('DELETE FROM outbox_acks WHERE seq <= ?').run(low);
      ctx.stmt('UPDATE outbox_state SET acked_through = ?').run(low);
    }
  });
}
