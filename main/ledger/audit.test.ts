import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import { auditVerification } from '../contract';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';
import { payAny } from './test-support/face-debit';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
});
afterEach(() => t.cleanup());

/** A small day of trade: every kind of money row. */
function trade() {
  const l = t.ledger;
  l.openShift(1000, t.op);
  l.addItem({ sku: 'DRK-001', qty: 2 });
  let a = l.addItem({ sku: 'SNK-001' });
  a = payAny(l, a.id, { method: 'face', amountFen: 500 }, t.op);
  a = payAny(l, a.id, { method: 'cash', amountFen: 650 }, t.op);
  const b = l.addItem({ sku: 'DRY-001' });
  const bPaid = payAny(l, b.id, { method: 'qr', amountFen: 350 }, t.op);
  l.refund(a.id, [{ lineNo: 1, qty: 1 }], 'x', t.op);
  l.cashMovement('in', 100, 'coins', t.op);
  const v = l.addItem({ sku: 'DRK-002' });
  l.voidSale(v.id, t.op);
  l.closeShift(1750, t.op);
  l.takeZReport();
  return { a, b: bPaid };
}

/** Runs SQL on the closed ledger file with the protective triggers dropped, then reopens. */
function tamper(sql: string) {
  t.ledger.close();
  const raw = new Database(t.file);
  for (const { name } of raw
    .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    .all() as { name: string }[])
    raw.exec(`DROP TRIGGER ${name}`);
  raw.exec(sql);
  raw.close();
  return t.reopen();
}

function auditSeqOf(kind: string, refLike: string): number {
  t.ledger.close();
  const raw = new Database(t.file, { readonly: true });
  const row = raw
    .prepare('SELECT seq FROM audit WHERE kind = ? AND ref LIKE ?')
    .get(kind, refLike) as { seq: number };
  raw.close();
  t.reopen();
  return row.seq;
}

test('an untouched ledger verifies', () => {
  trade();
  const v = t.ledger.verifyAudit();
  auditVerification.parse(v);
  // shift open, 3 payments, 2 sales, refund, cash in, void, shift close, Z.
  assert.deepEqual(v, { ok: true, checked: 11, firstBroken: null });
});

test('changing a payment amount behind the triggers is caught at its link', () => {
  const { a } = trade();
  const face = a.payments.find((p) => p.method === 'face');
  assert.ok(face);
  const seq = auditSeqOf('payment', `%/${face.id}`);
  const l = tamper(`UPDATE payments SET amount_fen = amount_fen - 100 WHERE id = '${face.id}'`);
  const v = l.verifyAudit();
  assert.equal(v.ok, false);
  assert.equal(v.checked, seq - 1);
  assert.deepEqual(v.firstBroken && [v.firstBroken.seq, v.firstBroken.kind], [seq, 'payment']);
  assert.match(v.firstBroken?.reason ?? '', /differs from what was recorded/);
});

test('changing a completed sale line is caught at the sale link', () => {
  const { b } = trade();
  const seq = auditSeqOf('sale', b.id);
  const l = tamper(
    `UPDATE sale_lines SET qty = 2, gross_fen = 700, net_fen = 700 WHERE sale_id = '${b.id}'`,
  );
  const v = l.verifyAudit();
  assert.deepEqual(v.firstBroken && [v.firstBroken.seq, v.firstBroken.kind], [seq, 'sale']);
});

test('who sold it is part of the chain: changing or clearing an operator is caught', () => {
  const { b } = trade();
  const other = t.ledger.addStaff({ name: 'Someone else', role: 'cashier', pin: '7777' });
  const saleSeq = auditSeqOf('sale', b.id);
  let v = tamper(`UPDATE sales SET operator_id = '${other.id}' WHERE id = '${b.id}'`).verifyAudit();
  assert.deepEqual(v.firstBroken && [v.firstBroken.seq, v.firstBroken.kind], [saleSeq, 'sale']);

  t.cleanup();
  t = openTestLedger();
  trade();
  // NULL is how a row from before the operator column reads; one written since cannot pass.
  v = tamper('UPDATE shifts SET operator_id = NULL').verifyAudit();
  assert.deepEqual(v.firstBroken && [v.firstBroken.seq, v.firstBroken.kind], [1, 'shift_open']);
});

test('a money row that names nobody is refused by the database itself', () => {
  trade();
  t.ledger.close();
  const raw = new Database(t.file);
  try {
    assert.throws(
      () =>
        raw.exec(
          `INSERT INTO cash_movements (id, shift_id, kind, amount_fen, reason, created_at)
           VALUES ('x', (SELECT id FROM shifts LIMIT 1), 'in', 1, 'x', '2025-01-01T00:00:00Z')`,
        ),
      /records who was signed in/,
    );
  } finally {
    raw.close();
    t.reopen();
  }
});

test('a deleted row, a deleted audit row, an edited hash and a stray row are all caught', () => {
  const { a, b } = trade();
  const refundSeq = auditSeqOf('refund', '%');
  // (The refund's wallet credit to the face payment goes first: it references the refund row.)
  let v = tamper(
    'DELETE FROM wallet_credit_results; DELETE FROM wallet_credits; DELETE FROM refund_payments',
  ).verifyAudit();
  assert.deepEqual(v.firstBroken && [v.firstBroken.seq, v.firstBroken.kind], [refundSeq, 'refund']);

  t.cleanup();
  t = openTestLedger();
  trade();
  v = tamper('DELETE FROM audit WHERE seq = 3').verifyAudit();
  assert.deepEqual(v.firstBroken?.seq, 3);
  assert.match(v.firstBroken?.reason ?? '', /missing/);

  t.cleanup();
  t = openTestLedger();
  trade();
  // Flip the first hex digit (a hash may already start with 'f': ids, and so hashes, vary).
  v = tamper(
    `UPDATE audit SET hash = (CASE substr(hash, 1, 1) WHEN 'f' THEN 'e' ELSE 'f' END)
       || substr(hash, 2) WHERE seq = 5`,
  ).verifyAudit();
  assert.ok(v.firstBroken && v.firstBroken.seq <= 6 && v.firstBroken.seq >= 5);

  t.cleanup();
  t = openTestLedger();
  const again = trade();
  v = tamper(
    `INSERT INTO payments VALUES ('${again.b.id}', 'zzz', (SELECT id FROM shifts LIMIT 1),
     'card', 1, NULL, 0, NULL, '2025-01-01T00:00:00.000Z', (SELECT id FROM staff LIMIT 1))`,
  ).verifyAudit();
  assert.equal(v.ok, false);
  assert.equal(v.firstBroken?.kind, 'payment');
  assert.match(v.firstBroken?.reason ?? '', /zzz has no audit link/);
  assert.ok(a && b);
});

test('outbox: one event per money movement, in order, until marked sent', () => {
  const l = t.ledger;
  const { a } = trade();
  throwsCode(() => payAny(l, a.id, { method: 'cash', amountFen: 1 }, t.op), 'SALE_NOT_OPEN');
  const events = l.pendingOutbox(100);
  assert.deepEqual(
    events.map((e) => e.type),
    [
      'shift.opened',
      'payment.recorded',
      'payment.recorded',
      'sale.completed',
      'payment.recorded',
      'sale.completed',
      'refund.created',
      'shift.cash',
      'shift.closed',
      'z.taken',
    ],
  );
  assert.deepEqual(
    events.map((e) => e.seq),
    [...events.map((e) => e.seq)].sort((x, y) => x - y),
  );
  assert.equal(new Set(events.map((e) => e.id)).size, events.length);
  const completed = events[3];
  assert.deepEqual(completed?.payload, a);
  l.markOutboxSent(events.slice(0, 4).map((e) => e.id));
  l.markOutboxSent([events[0]?.id ?? '', 'unknown-id']); // idempotent
  assert.deepEqual(
    l.pendingOutbox(2).map((e) => e.id),
    events.slice(4, 6).map((e) => e.id),
  );
  throwsCode(() => l.pendingOutbox(0), 'VALIDATION');
  // Out of order: event 6 is delivered before 5; 5 and 6 then leave together.
  l.markOutboxSent([events[5]?.id ?? '']);
  assert.deepEqual(
    l.pendingOutbox(2).map((e) => e.id),
    [events[4]?.id, events[6]?.id],
  );
  l.markOutboxSent([events[4]?.id ?? '']);
  assert.equal(l.pendingOutbox(100).length, events.length - 6);
  l.close();
  const raw = new Database(t.file);
  assert.deepEqual(raw.prepare('SELECT acked_through AS n FROM outbox_state').get(), {
    n: events[5]?.seq,
  });
  assert.throws(() => raw.prepare("UPDATE outbox SET payload = '{}'").run(), /immutable/);
  assert.throws(() => raw.prepare('DELETE FROM outbox').run(), /undelivered/);
  raw.prepare('DELETE FROM outbox WHERE seq <= 6').run(); // delivered events may be pruned
  raw.close();
  assert.equal(t.reopen().pendingOutbox(100).length, events.length - 6);
});
