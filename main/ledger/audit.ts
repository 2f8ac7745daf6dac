/**
 * The audit chain. Every money row (a completed or voided sale with its lines, a payment, a
 * refund with its lines and allocations, a cash movement, a shift opening or closing, a Z report)
 * gets one audit row, written in the same transaction:
 *
 *   mac = HMAC-SHA256(key, seq \n kind \n ref \n prev_mac \n content)
 *
 * where content is the money row's canonical content (its column values in a fixed order, see
 * rows.ts), prev_mac the MAC of the audit row before it, and the key 32 random bytes kept
 * outside the ledger (the terminal's secret store; Ledger.open takes it). verifyAudit() reads
 * every money row again and recomputes the chain, so a changed amount, a deleted or inserted
 * row, or an edited audit row breaks the chain at a named link; and because the key is not in
 * the ledger, whoever edits a row cannot recompute a chain that verifies. (What the till cannot
 * see alone is the whole ledger rewritten by someone who also holds the key, or the newest rows
 * cut off: the cloud keeps the chain head from every sync and compares, see anchor.ts.)
 *
 * Ledgers from before the key (schema < 11) hold an unkeyed chain, hash = sha256(same text).
 * Those rows are never re-MACed: the first open with a key verifies them, records the verdict,
 * and starts keyed rows after them with a switch-over record (audit_state.keyed_from) whose MAC
 * binds the old chain's head and the verdict, so the old rows cannot be changed afterwards
 * either (see ensureKeyed).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { PosError, type AuditVerification } from '../contract';
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

/** An audit key: 32 random bytes or more, from outside the ledger. */
export const AUDIT_KEY_BYTES = 32;

function linkText(seq: number, kind: string, ref: string, prev: string, body: string): string {
  return `${seq}\n${kind}\n${ref}\n${prev}\n${body}`;
}

/** Rows before the switch-over (schema < 11): the unkeyed chain. */
function legacyHash(seq: number, kind: string, ref: string, prev: string, body: string): string {
  return sha256(linkText(seq, kind, ref, prev, body));
}

function hmac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

function sameHex(a: string | null, b: string): boolean {
  if (a === null || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function keyOf(ctx: Ctx): Buffer {
  if (ctx.auditKey === null)
    throw new PosError('INTERNAL', 'the ledger was opened without its audit key');
  return ctx.auditKey;
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
  // A database still at an older schema (tests of migrations only) has no switch-over yet.
  const mac = keyed(ctx)
    ? hmac(keyOf(ctx), linkText(seq, kind, ref, prev, body))
    : legacyHash(seq, kind, ref, prev, body);
  ctx
    .stmt(
      'INSERT INTO audit (seq, kind, ref, prev_hash, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .run(seq, kind, ref, prev, mac, createdAt);
}

// -----------------------------------------------------------------------------------------------
// The switch-over and the checkpoint (audit_state, migration 11)

interface AuditState {
  keyed_from: number | null;
  keyed_from_mac: string | null;
  legacy_failure: string | null;
  checkpoint_seq: number;
  checkpoint_mac: string | null;
  last_check: string | null;
  reported_failure: string | null;
}

const KEYED_SCHEMA = 11;

function keyed(ctx: Ctx): boolean {
  return ctx.schemaVersion >= KEYED_SCHEMA;
}

function readState(ctx: Ctx): AuditState | null {
  return (
    (ctx.stmt('SELECT * FROM audit_state WHERE one = 1').get() as AuditState | undefined) ?? null
  );
}

function hashAt(ctx: Ctx, seq: number): string | null {
  if (seq === 0) return GENESIS_HASH;
  const row = ctx.stmt('SELECT hash FROM audit WHERE seq = ?').get(seq) as
    { hash: string } | undefined;
  return row?.hash ?? null;
}

function switchMac(key: Buffer, keyedFrom: number, legacyHead: string, failure: string): string {
  return hmac(key, `audit-switch\n${keyedFrom}\n${legacyHead}\n${failure}`);
}

function checkpointMac(key: Buffer, seq: number, hash: string): string {
  return hmac(key, `audit-checkpoint\n${seq}\n${hash}`);
}

/**
 * At open, with the key: the first time, verify the unkeyed chain written before the key (a
 * broken one is recorded, not blessed), and start keyed rows after its head. Runs in the open's
 * transaction. A fresh ledger switches at seq 1.
 *
 * `keyIsNew` says the key was made just now. With a key that existed before, a ledger that
 * has rows but no switch-over record had it removed (its chain perhaps recomputed the unkeyed
 * way to pass as old) or is an old copy put back: it is recorded as broken, never blessed.
 */
export function ensureKeyed(ctx: Ctx, keyIsNew: boolean): void {
  if (!keyed(ctx)) return;
  const key = keyOf(ctx);
  let state = readState(ctx);
  if (state === null) {
    ctx.stmt('INSERT INTO audit_state (one) VALUES (1)').run();
    state = readState(ctx);
  }
  if (state?.keyed_from !== null && state?.keyed_from !== undefined) return;
  const head = ctx.stmt('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  let failure = '';
  if (head !== undefined && !keyIsNew) {
    failure = JSON.stringify({
      seq: 1,
      kind: 'audit',
      reason:
        'the audit switch-over record is missing although the audit key existed before (the ' +
        'record was removed, or an older copy of the ledger was put back)',
    });
  } else {
    const legacy = walkChain(ctx, { keyedFrom: Number.POSITIVE_INFINITY, key });
    if (!legacy.ok) failure = JSON.stringify(legacy.firstBroken);
  }
  const keyedFrom = (head?.seq ?? 0) + 1;
  ctx
    .stmt(
      `UPDATE audit_state SET keyed_from = ?, keyed_from_mac = ?, legacy_failure = ?,
         checkpoint_seq = 0, checkpoint_mac = NULL`,
    )
    .run(
      keyedFrom,
      switchMac(key, keyedFrom, head?.hash ?? GENESIS_HASH, failure),
      failure === '' ? null : failure,
    );
}

/** The chain's head: its last seq and MAC (0 and the genesis hash when empty). */
export function auditHead(ctx: Ctx): { seq: number; mac: string } {
  const head = ctx.stmt('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  return { seq: head?.seq ?? 0, mac: head?.hash ?? GENESIS_HASH };
}

/** The MAC recorded at `seq`, or null if the chain has no such row. */
export function auditMacAt(ctx: Ctx, seq: number): string | null {
  return seq === 0 ? null : hashAt(ctx, seq);
}

/** The last check's result as stored (JSON), and the failure last reported to the cloud. */
export function auditRecord(ctx: Ctx): { lastCheck: string | null; reported: string | null } {
  if (!keyed(ctx)) return { lastCheck: null, reported: null };
  const state = readState(ctx);
  return { lastCheck: state?.last_check ?? null, reported: state?.reported_failure ?? null };
}

export function recordAuditCheck(ctx: Ctx, lastCheck: string, reported?: string): void {
  if (reported === undefined) ctx.stmt('UPDATE audit_state SET last_check = ?').run(lastCheck);
  else
    ctx
      .stmt('UPDATE audit_state SET last_check = ?, reported_failure = ?')
      .run(lastCheck, reported);
}

/**
 * Reads a money row back from the database and returns its canonical content. (Exported for the
 * tests that play the attacker recomputing a chain.)
 */
/**
 * A payment's audited content: its row, and for a payment an acquirer took, what the acquirer
 * said about it (acquirer_payments, migration 15), so that editing its trade numbers breaks the
 * chain. Payments without one (and every payment chained before) keep the row alone.
 */
export function paymentContent(ctx: Ctx, p: PaymentRow): string {
  if (ctx.schemaVersion < 15) return content.payment(p);
  const trade = ctx
    .stmt(
      `SELECT acquirer, scheme, out_trade_no, acquirer_trade_no, amount_fen, paid_at
       FROM acquirer_payments WHERE payment_id = ?`,
    )
    .get(p.id) as Record<string, string | number> | undefined;
  if (trade === undefined) return content.payment(p);
  return JSON.stringify([
    PAYMENTS.values(p),
    [
      trade.acquirer,
      trade.scheme,
      trade.out_trade_no,
      trade.acquirer_trade_no,
      trade.amount_fen,
      trade.paid_at,
    ],
  ]);
}

export function loadContent(ctx: Ctx, kind: string, ref: string): string | null {
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
      return p ? paymentContent(ctx, p) : null;
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

type Broken = NonNullable<AuditVerification['firstBroken']>;

interface Walk {
  keyedFrom: number;
  key: Buffer;
  /** Start after this verified row (0: from the first). */
  fromSeq?: number;
  fromHash?: string;
  /** Stop after this many rows (a slice of a long check); the walk can go on from there. */
  limit?: number;
}

type WalkResult =
  | { ok: true; checked: number; lastSeq: number; lastHash: string; done: boolean }
  | { ok: false; checked: number; firstBroken: Broken };

/** Recomputes the links from `fromSeq + 1` on: unkeyed before `keyedFrom`, keyed from it. */
function walkChain(ctx: Ctx, walk: Walk): WalkResult {
  let expectedSeq = (walk.fromSeq ?? 0) + 1;
  let prev = walk.fromHash ?? GENESIS_HASH;
  let checked = 0;
  const broken = (seq: number, kind: string, reason: string): WalkResult => ({
    ok: false,
    checked,
    firstBroken: { seq, kind, reason },
  });
  const limit = walk.limit ?? Number.POSITIVE_INFINITY;
  const rows = ctx
    .stmt('SELECT seq, kind, ref, prev_hash, hash FROM audit WHERE seq >= ? ORDER BY seq')
    .iterate(expectedSeq) as IterableIterator<{
    seq: number;
    kind: string;
    ref: string;
    prev_hash: string;
    hash: string;
  }>;
  for (const a of rows) {
    if (checked >= limit) {
      rows.return?.();
      return { ok: true, checked, lastSeq: expectedSeq - 1, lastHash: prev, done: false };
    }
    if (a.seq !== expectedSeq)
      return broken(expectedSeq, a.kind, `audit row ${expectedSeq} is missing`);
    if (a.prev_hash !== prev)
      return broken(a.seq, a.kind, 'previous-hash link does not match the row before it');
    const body = loadContent(ctx, a.kind, a.ref);
    if (body === null) return broken(a.seq, a.kind, `${a.kind} ${a.ref} is missing`);
    const expected =
      a.seq >= walk.keyedFrom
        ? hmac(walk.key, linkText(a.seq, a.kind, a.ref, a.prev_hash, body))
        : legacyHash(a.seq, a.kind, a.ref, a.prev_hash, body);
    if (!sameHex(a.hash, expected))
      return broken(
        a.seq,
        a.kind,
        `${a.kind} ${a.ref} differs from what was recorded (row or audit MAC altered)`,
      );
    prev = a.hash;
    expectedSeq += 1;
    checked += 1;
  }
  return { ok: true, checked, lastSeq: expectedSeq - 1, lastHash: prev, done: true };
}

/** Money rows slipped in without a link: each table's rows against the chain's links. */
function strayRows(ctx: Ctx, nextSeq: number): Broken | null {
  const linked = new Map(
    (
      ctx.stmt('SELECT kind, count(*) AS n FROM audit GROUP BY kind').all() as {
        kind: string;
        n: number;
      }[]
    ).map((r) => [r.kind, r.n]),
  );
  for (const c of COVERAGE) {
    const { n } = ctx.db.prepare(`SELECT count(*) AS n FROM ${c.table}`).get() as { n: number };
    if (n === (linked.get(c.kind) ?? 0)) continue;
    const stray = ctx.db
      .prepare(
        `SELECT ${c.ref} AS ref FROM ${c.table}
         WHERE ${c.ref} NOT IN (SELECT ref FROM audit WHERE kind = ?) LIMIT 1`,
      )
      .get(c.kind) as { ref: string } | undefined;
    return {
      seq: nextSeq,
      kind: c.kind,
      reason: stray
        ? `${c.kind} ${stray.ref} has no audit link`
        : `${c.table} holds ${n} rows but the chain links ${linked.get(c.kind) ?? 0}`,
    };
  }
  return null;
}

/** Where a check starts: the switch-over record checked, and the checkpoint if it holds. */
interface Start {
  keyedFrom: number;
  key: Buffer;
  fromSeq: number;
  fromHash: string;
}

function checkedStart(ctx: Ctx, incremental: boolean): Start | Broken {
  if (!keyed(ctx)) {
    // An older schema (migration tests only): the unkeyed chain alone.
    return {
      keyedFrom: Number.POSITIVE_INFINITY,
      key: Buffer.alloc(0),
      fromSeq: 0,
      fromHash: GENESIS_HASH,
    };
  }
  const key = keyOf(ctx);
  const state = readState(ctx);
  if (state === null || state.keyed_from === null)
    return { seq: 1, kind: 'audit', reason: 'the audit switch-over record is missing' };
  const legacyHead = hashAt(ctx, state.keyed_from - 1);
  const failure = state.legacy_failure ?? '';
  if (
    legacyHead === null ||
    !sameHex(state.keyed_from_mac, switchMac(key, state.keyed_from, legacyHead, failure))
  )
    return {
      seq: Math.max(1, state.keyed_from - 1),
      kind: 'audit',
      reason:
        'the audit switch-over record does not match the key (the key is wrong, or rows before ' +
        'the switch-over or the record itself were altered)',
    };
  // A chain that was broken before the key stays broken: the first failure on record.
  if (state.legacy_failure !== null) {
    const old = JSON.parse(state.legacy_failure) as Broken;
    return { ...old, reason: `${old.reason} (before the audit key, found at switch-over)` };
  }
  if (incremental && state.checkpoint_seq > 0 && state.checkpoint_mac !== null) {
    const at = hashAt(ctx, state.checkpoint_seq);
    if (at !== null && sameHex(state.checkpoint_mac, checkpointMac(key, state.checkpoint_seq, at)))
      return { keyedFrom: state.keyed_from, key, fromSeq: state.checkpoint_seq, fromHash: at };
  }
  return { keyedFrom: state.keyed_from, key, fromSeq: 0, fromHash: GENESIS_HASH };
}

function isBroken(start: Start | Broken): start is Broken {
  return 'reason' in start;
}

/** After a check that held: later checks at start may begin here. */
function saveCheckpoint(ctx: Ctx, start: Start, seq: number, hash: string): void {
  if (!keyed(ctx) || seq === 0) return;
  ctx
    .stmt('UPDATE audit_state SET checkpoint_seq = ?, checkpoint_mac = ?')
    .run(seq, checkpointMac(start.key, seq, hash));
}

/**
 * Verifies the whole chain and looks for money rows without a link; or, `incremental` (the
 * check at start), the switch-over record and the links after the last good check's checkpoint.
 */
export function verifyAudit(ctx: Ctx, options: { incremental?: boolean } = {}): AuditVerification {
  const check = startCheck(ctx, options.incremental ?? false);
  for (;;) {
    const step = check.step(Number.POSITIVE_INFINITY);
    if (step !== null) return step;
  }
}

/**
 * A check in slices, so a long chain can be verified without holding up the till: each
 * step(n) verifies up to n more rows and returns the result when it is done (null: call again).
 * Rows appended meanwhile are checked too; the chain is append-only.
 */
export function startCheck(
  ctx: Ctx,
  incremental: boolean,
): { step(limit: number): AuditVerification | null } {
  const start = checkedStart(ctx, incremental);
  let checked = 0;
  let fromSeq = isBroken(start) ? 0 : start.fromSeq;
  let fromHash = isBroken(start) ? GENESIS_HASH : start.fromHash;
  return {
    step(limit) {
      if (isBroken(start)) return { ok: false, checked, firstBroken: start };
      const walk = walkChain(ctx, { ...start, fromSeq, fromHash, limit });
      checked += walk.checked;
      if (!walk.ok) return { ok: false, checked, firstBroken: walk.firstBroken };
      fromSeq = walk.lastSeq;
      fromHash = walk.lastHash;
      if (!walk.done) return null;
      // Counting every money table costs a scan of each (about a second on a 1,000,000-sale
      // ledger), too much for the check at start; the full checks (soon after start, daily,
      // "check now") do it.
      const stray = incremental ? null : strayRows(ctx, fromSeq + 1);
      if (stray !== null) return { ok: false, checked, firstBroken: stray };
      saveCheckpoint(ctx, start, fromSeq, fromHash);
      return { ok: true, checked, firstBroken: null };
    },
  };
}
