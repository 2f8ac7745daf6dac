/**
 * The audit chain. Every money row (a completed or voided sale with its lines, a payment, a
 * refund with its lines and allocations, a cash movement, a shift opening or closing, a Z report)
 * gets one audit row, written in the same transaction:
 *
 *   hash = sha256(seq \n kind \n ref \n prev_hash \n content)
 *
 * where content is the money row's canonical content (its column values in a fixed order, see
 * rows.ts) and prev_hash the hash of the audit row before it. verifyAudit() reads every money
 * row again and recomputes the chain, so a changed amount, a deleted or inserted row, or an
 * edited audit row breaks the chain at a named link. (What it cannot see alone is the newest
 * rows cut off together with their audit rows; the outbox carries the chain to the cloud.)
 */
import { createHash } from 'node:crypto';
import type { AuditVerification } from '../contract';
import type { Ctx } from './context';
import {
  CASH_MOVEMENTS,
  PAYMENTS,
  REFUND_LINES,
  REFUND_PAYMENTS,
  REFUNDS,
  SALE_LINES,
  SALES,
  SHIFT_CLOSES,
  SHIFTS,
  Z_REPORTS,
  type CashMovementRow,
  type PaymentRow,
  type RefundLineRow,
  type RefundPaymentRow,
  type RefundRow,
  type SaleLineRow,
  type SaleRow,
  type ShiftCloseRow,
  type ShiftRow,
  type ZRow,
} from './rows';

export type AuditKind = 'sale' | 'payment' | 'refund' | 'cash' | 'shift_open' | 'shift_close' | 'z';

export const GENESIS_HASH = '0'.repeat(64);

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// Canonical content of each kind of money row. Child rows are ordered by their key, which is
// also the order the reads below return them in.
export const content = {
  sale: (sale: SaleRow, lines: readonly SaleLineRow[]): string =>
    JSON.stringify([SALES.values(sale), lines.map((l) => SALE_LINES.values(l))]),
  payment: (p: PaymentRow): string => JSON.stringify(PAYMENTS.values(p)),
  refund: (
    r: RefundRow,
    lines: readonly RefundLineRow[],
    payments: readonly RefundPaymentRow[],
  ): string =>
    JSON.stringify([
      REFUNDS.values(r),
      lines.map((l) => REFUND_LINES.values(l)),
      payments.map((p) => REFUND_PAYMENTS.values(p)),
    ]),
  cash: (m: CashMovementRow): string => JSON.stringify(CASH_MOVEMENTS.values(m)),
  shiftOpen: (s: ShiftRow): string => JSON.stringify(SHIFTS.values(s)),
  shiftClose: (c: ShiftCloseRow): string => JSON.stringify(SHIFT_CLOSES.values(c)),
  z: (z: ZRow): string => JSON.stringify(Z_REPORTS.values(z)),
};

export const paymentRef = (p: { sale_id: string; id: string }): string => `${p.sale_id}/${p.id}`;

function linkHash(seq: number, kind: string, ref: string, prev: string, body: string): string {
  return sha256(`${seq}\n${kind}\n${ref}\n${prev}\n${body}`);
}

/** Appends one link. Must run inside the transaction that writes the money row. */
export function appendAudit(
  ctx: Ctx,
  kind: AuditKind,
  ref: string,
  body: string,
  createdAt: string,
): void {
  const last = ctx.stmt('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prev = last?.hash ?? GENESIS_HASH;
  ctx
    .stmt(
      'INSERT INTO audit (seq, kind, ref, prev_hash, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(seq, kind, ref, prev, linkHash(seq, kind, ref, prev, body), createdAt);
}

/** Reads a money row back from the database and returns its canonical content. */
function loadContent(ctx: Ctx, kind: string, ref: string): string | null {
  switch (kind) {
    case 'sale': {
      const sale = SALES.select(ctx, 'id = ?').get(ref) as SaleRow | undefined;
      if (!sale) return null;
      const lines = SALE_LINES.select(ctx, 'sale_id = ? ORDER BY line_no').all(
        ref,
      ) as SaleLineRow[];
      return content.sale(sale, lines);
    }
    case 'payment': {
      const [saleId, id] = ref.split('/');
      const p = PAYMENTS.select(ctx, 'sale_id = ? AND id = ?').get(saleId, id) as
        PaymentRow | undefined;
      return p ? content.payment(p) : null;
    }
    case 'refund': {
      const r = REFUNDS.select(ctx, 'id = ?').get(ref) as RefundRow | undefined;
      if (!r) return null;
      const lines = REFUND_LINES.select(ctx, 'refund_id = ? ORDER BY line_no').all(
        ref,
      ) as RefundLineRow[];
      const pays = REFUND_PAYMENTS.select(ctx, 'refund_id = ? ORDER BY payment_id').all(
        ref,
      ) as RefundPaymentRow[];
      return content.refund(r, lines, pays);
    }
    case 'cash': {
      const m = CASH_MOVEMENTS.select(ctx, 'id = ?').get(ref) as CashMovementRow | undefined;
      return m ? content.cash(m) : null;
    }
    case 'shift_open': {
      const s = SHIFTS.select(ctx, 'id = ?').get(ref) as ShiftRow | undefined;
      return s ? content.shiftOpen(s) : null;
    }
    case 'shift_close': {
      const c = SHIFT_CLOSES.select(ctx, 'shift_id = ?').get(ref) as ShiftCloseRow | undefined;
      return c ? content.shiftClose(c) : null;
    }
    case 'z': {
      const z = Z_REPORTS.select(ctx, 'number = ?').get(Number(ref)) as ZRow | undefined;
      return z ? content.z(z) : null;
    }
    default:
      return null;
  }
}

/** For each kind: the table and the expression that gives a row's audit ref. */
const COVERAGE: readonly { kind: AuditKind; table: string; ref: string }[] = [
  { kind: 'sale', table: 'sales', ref: 'id' },
  { kind: 'payment', table: 'payments', ref: "sale_id || '/' || id" },
  { kind: 'refund', table: 'refunds', ref: 'id' },
  { kind: 'cash', table: 'cash_movements', ref: 'id' },
  { kind: 'shift_open', table: 'shifts', ref: 'id' },
  { kind: 'shift_close', table: 'shift_closes', ref: 'shift_id' },
  { kind: 'z', table: 'z_reports', ref: 'CAST(number AS TEXT)' },
];

export function verifyAudit(ctx: Ctx): AuditVerification {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  let checked = 0;
  const counts = new Map<string, number>();
  const broken = (seq: number, kind: string, reason: string): AuditVerification => ({
    ok: false,
    checked,
    firstBroken: { seq, kind, reason },
  });
  const rows = ctx.db
    .prepare('SELECT seq, kind, ref, prev_hash, hash FROM audit ORDER BY seq')
    .iterate() as IterableIterator<{
    seq: number;
    kind: string;
    ref: string;
    prev_hash: string;
    hash: string;
  }>;
  for (const a of rows) {
    if (a.seq !== expectedSeq)
      return broken(expectedSeq, a.kind, `audit row ${expectedSeq} is missing`);
    if (a.prev_hash !== prev)
      return broken(a.seq, a.kind, 'previous-hash link does not match the row before it');
    const body = loadContent(ctx, a.kind, a.ref);
    if (body === null) return broken(a.seq, a.kind, `${a.kind} ${a.ref} is missing`);
    if (linkHash(a.seq, a.kind, a.ref, a.prev_hash, body) !== a.hash)
      return broken(
        a.seq,
        a.kind,
        `${a.kind} ${a.ref} differs from what was recorded (row or audit hash altered)`,
      );
    counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
    prev = a.hash;
    expectedSeq += 1;
    checked += 1;
  }
  // Rows that were slipped in without a link.
  for (const c of COVERAGE) {
    const { n } = ctx.db.prepare(`SELECT count(*) AS n FROM ${c.table}`).get() as { n: number };
    if (n === (counts.get(c.kind) ?? 0)) continue;
    const stray = ctx.db
      .prepare(
        `SELECT ${c.ref} AS ref FROM ${c.table}
         WHERE ${c.ref} NOT IN (SELECT ref FROM audit WHERE kind = ?) LIMIT 1`,
      )
      .get(c.kind) as { ref: string } | undefined;
    return broken(
      expectedSeq,
      c.kind,
      stray
        ? `${c.kind} ${stray.ref} has no audit link`
        : `${c.table} holds ${n} rows but the chain links ${counts.get(c.kind) ?? 0}`,
    );
  }
  return { ok: true, checked, firstBroken: null };
}
