/**
 * The keyed audit chain against the attacks an unkeyed chain let through: a paid sale edited in
 * SQLite and the chain recomputed (the old formula, or a guessed key), a copied ledger opened
 * with another till's key, the old unkeyed rows recomputed after the switch-over, a forged
 * checkpoint. Each test performs the edit on the real file, as someone with the file would.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import { Ledger } from './index';
import { cartsPathFor } from './db';
import {
  openTestLedger,
  TEST_AUDIT_KEY,
  TestClock,
  tempDir,
  operatorOf,
  type TestLedger,
} from './test-support/helpers';
import { keyedWith, tamperAndRechain, unkeyed } from './test-support/tamper';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
});
afterEach(() => t.cleanup());

/** Three paid sales; returns the second (the one the attacker edits). */
function trade(l: Ledger = t.ledger, op = t.op) {
  l.openShift(1000, op);
  const sales = [];
  for (const sku of ['DRK-001', 'SNK-001', 'DRY-001']) {
    const s = l.addItem({ sku });
    sales.push(l.pay(s.id, { method: 'cash', amountFen: s.totalFen }, op));
  }
  return sales[1] as NonNullable<(typeof sales)[number]>;
}

function seqOf(file: string, kind: string, ref: string): number {
  const raw = new Database(file, { readonly: true });
  try {
    return (
      raw.prepare('SELECT seq FROM audit WHERE kind = ? AND ref = ?').get(kind, ref) as {
        seq: number;
      }
    ).seq;
  } finally {
    raw.close();
  }
}

/** The first link the fraud below touches: the sale's payment (linked just before the sale). */
function firstEditedSeq(file: string, sale: { id: string; payments: { id: string }[] }): number {
  return seqOf(file, 'payment', `${sale.id}/${sale.payments[0]?.id ?? ''}`);
}

/** The fraud: a paid one-line sale rung up for 1 yuan less, every total kept consistent. */
const raiseSale = (id: string) =>
  `UPDATE sale_lines SET unit_price_fen = unit_price_fen - 100, gross_fen = gross_fen - 100,
     net_fen = net_fen - 100 WHERE sale_id = '${id}';
   UPDATE sales SET subtotal_fen = subtotal_fen - 100, total_fen = total_fen - 100,
     paid_fen = paid_fen - 100 WHERE id = '${id}';
   UPDATE payments SET amount_fen = amount_fen - 100,
     tendered_fen = tendered_fen - 100 WHERE sale_id = '${id}'`;

test('rows are MACed with the key: the MAC is not the unkeyed hash of the same link', () => {
  trade();
  t.ledger.close();
  const raw = new Database(t.file, { readonly: true });
  const row = raw.prepare('SELECT * FROM audit WHERE seq = 2').get() as Record<string, string>;
  const state = raw.prepare('SELECT keyed_from FROM audit_state').get() as { keyed_from: number };
  raw.close();
  t.reopen();
  assert.equal(state.keyed_from, 1, 'a fresh ledger is keyed from its first row');
  assert.match(row.hash ?? '', /^[0-9a-f]{64}$/);
  assert.equal(t.ledger.verifyAudit().ok, true);
});

test('a paid sale edited in SQLite with the unkeyed chain recomputed fails at that sale', () => {
  const sale = trade();
  const seq = seqOf(t.file, 'sale', sale.id);
  t.ledger.close();
  tamperAndRechain(t.file, raiseSale(sale.id), unkeyed);
  const v = t.reopen().verifyAudit();
  assert.equal(v.ok, false);
  // The first link the attacker recomputed is the first row of the chain (the shift): every
  // link is now unkeyed, so the very first fails.
  assert.equal(v.firstBroken?.seq, 1);
  assert.match(v.firstBroken?.reason ?? '', /differs from what was recorded/);

  // Recomputing only from the edited sale on names the sale itself.
  t.cleanup();
  t = openTestLedger();
  const again = trade();
  const at = firstEditedSeq(t.file, again);
  t.ledger.close();
  tamperAndRechain(t.file, raiseSale(again.id), unkeyed, at);
  const w = t.reopen().verifyAudit();
  assert.equal(w.firstBroken?.seq, at);
  assert.match(w.firstBroken?.reason ?? '', new RegExp(again.id));
  assert.ok(seq > at);
});

test('the same rewrite under a guessed key fails at the edited sale', () => {
  const sale = trade();
  const seq = firstEditedSeq(t.file, sale);
  t.ledger.close();
  tamperAndRechain(t.file, raiseSale(sale.id), keyedWith(Buffer.alloc(32, 1)), seq);
  const v = t.reopen().verifyAudit();
  assert.equal(v.ok, false);
  assert.equal(v.firstBroken?.seq, seq);
  assert.equal(v.firstBroken?.kind, 'payment');
  assert.match(v.firstBroken?.reason ?? '', new RegExp(sale.id));
  assert.equal(v.checked, seq - 1);
});

test('the rewrite with the right key verifies on the till (only the cloud anchor catches it)', () => {
  // Documents the limit of a local check: see main/sync/anchor.test.ts for the cloud's catch.
  const sale = trade();
  const seq = firstEditedSeq(t.file, sale);
  t.ledger.close();
  tamperAndRechain(t.file, raiseSale(sale.id), keyedWith(TEST_AUDIT_KEY), seq);
  assert.deepEqual(t.reopen().verifyAudit().firstBroken, null);
});

test('a ledger opened with another key (a copied file) fails at the switch-over record', () => {
  trade();
  const v = t.reopen({ auditKey: Buffer.alloc(32, 9) }).verifyAudit();
  assert.equal(v.ok, false);
  assert.equal(v.firstBroken?.kind, 'audit');
  assert.match(v.firstBroken?.reason ?? '', /does not match the key/);
});

test('a key shorter than 32 bytes is refused at open', () => {
  t.ledger.close();
  assert.throws(
    () => Ledger.open({ file: t.file, auditKey: Buffer.alloc(16, 1) }),
    /auditKey: expected at least 32/,
  );
  t.reopen();
});

/** The ledger the first shipped code wrote (schema 2, unkeyed chain): see migrations.test.ts. */
function restoreV2(dir: string): string {
  const file = join(dir, 'shop.db');
  for (const [sql, target] of [
    ['ledger-v2.sql', file],
    ['ledger-v2.carts.sql', cartsPathFor(file)],
  ] as const) {
    const db = new Database(target);
    db.exec(readFileSync(join(import.meta.dirname, 'test-support/fixtures', sql), 'utf8'));
    db.close();
  }
  return file;
}

test('an old unkeyed chain is verified before the key takes over, and stays protected', () => {
  const { dir, cleanup } = tempDir();
  const clock = new TestClock('2025-06-02T02:00:00.000Z');
  try {
    const file = restoreV2(dir);
    let l = Ledger.open({ file, now: clock.now, auditKey: TEST_AUDIT_KEY, auditKeyIsNew: true });
    const open = l.currentSale();
    assert.ok(open);
    l.pay(open.id, { method: 'cash', amountFen: open.totalFen }, operatorOf(l));
    assert.equal(l.verifyAudit().ok, true, 'old rows unkeyed, new rows keyed: both verify');
    const legacyHead = (
      new Database(file, { readonly: true })
        .prepare('SELECT keyed_from FROM audit_state')
        .get() as { keyed_from: number }
    ).keyed_from;
    l.close();
    assert.ok(legacyHead > 1);

    // After the switch-over, the attacker edits an old sale and recomputes the old, unkeyed
    // part of the chain (which needs no key) and every keyed link after it with a guess.
    const first = new Database(file, { readonly: true })
      .prepare("SELECT id FROM sales WHERE receipt_no = 'T01-000001'")
      .get() as { id: string };
    tamperAndRechain(
      file,
      `UPDATE sales SET closed_at = '2025-06-01T03:00:00.000Z' WHERE id = '${first.id}'`,
      unkeyed,
    );
    l = Ledger.open({ file, now: clock.now, auditKey: TEST_AUDIT_KEY, auditKeyIsNew: true });
    const v = l.verifyAudit();
    l.close();
    assert.equal(v.ok, false);
    assert.equal(v.firstBroken?.kind, 'audit');
    assert.match(v.firstBroken?.reason ?? '', /switch-over record does not match/);
  } finally {
    cleanup();
  }
});

test('a broken old chain is not blessed by the switch-over: the failure stays on record', () => {
  const { dir, cleanup } = tempDir();
  const clock = new TestClock('2025-06-02T02:00:00.000Z');
  try {
    const file = restoreV2(dir);
    const raw = new Database(file);
    for (const { name } of raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
      .all() as { name: string }[])
      raw.exec(`DROP TRIGGER ${name}`);
    raw.exec("UPDATE payments SET amount_fen = amount_fen + 1 WHERE method = 'face'");
    const seq = (
      raw
        .prepare(
          "SELECT a.seq FROM audit a JOIN payments p ON a.ref = p.sale_id || '/' || p.id WHERE p.method = 'face'",
        )
        .get() as { seq: number }
    ).seq;
    raw.close();
    const l = Ledger.open({ file, now: clock.now, auditKey: TEST_AUDIT_KEY, auditKeyIsNew: true });
    try {
      // It keeps trading (a till must), and every check names the old broken row.
      const open = l.currentSale();
      assert.ok(open);
      l.pay(open.id, { method: 'cash', amountFen: open.totalFen }, operatorOf(l));
      const v = l.verifyAudit();
      assert.equal(v.ok, false);
      assert.equal(v.firstBroken?.seq, seq);
      assert.match(v.firstBroken?.reason ?? '', /before the audit key, found at switch-over/);
      assert.equal(l.verifyAudit({ incremental: true }).firstBroken?.seq, seq);
    } finally {
      l.close();
    }
  } finally {
    cleanup();
  }
});

test('the start check goes on from the checkpoint; a forged checkpoint is ignored', () => {
  trade();
  assert.deepEqual(t.ledger.verifyAudit({ incremental: true }).ok, true);
  // Only the new rows are walked the next time.
  const s = t.ledger.addItem({ sku: 'DRK-001' });
  t.ledger.pay(s.id, { method: 'cash', amountFen: s.totalFen }, t.op);
  assert.equal(t.ledger.verifyAudit({ incremental: true }).checked, 2);

  // A row edited after the checkpoint is caught by the start check.
  const late = firstEditedSeq(t.file, t.ledger.getSale(s.id));
  t.ledger.close();
  tamperAndRechain(t.file, raiseSale(s.id), keyedWith(Buffer.alloc(32, 3)), late);
  let v = t.reopen().verifyAudit({ incremental: true });
  assert.equal(v.firstBroken?.seq, late);

  // An attacker who moves the checkpoint past an edit (without the key) gains nothing: the
  // checkpoint's MAC fails and the check starts from the first row.
  t.cleanup();
  t = openTestLedger();
  const sale = trade();
  const seq = firstEditedSeq(t.file, sale);
  t.ledger.close();
  tamperAndRechain(
    t.file,
    `${raiseSale(sale.id)}; UPDATE audit_state SET checkpoint_seq = (SELECT max(seq) FROM audit),
       checkpoint_mac = '${'0'.repeat(64)}'`,
    keyedWith(Buffer.alloc(32, 3)),
    seq,
  );
  v = t.reopen().verifyAudit({ incremental: true });
  assert.equal(v.firstBroken?.seq, seq);
});

test('a check in slices gives the same answer as one pass', () => {
  trade();
  const whole = t.ledger.verifyAudit();
  const check = t.ledger.startAuditCheck(false);
  let result = check.step(2);
  let steps = 1;
  while (result === null) {
    result = check.step(2);
    steps += 1;
  }
  assert.deepEqual(result, whole);
  assert.ok(steps >= 3);
});

test('clearing the switch-over record and rechaining the unkeyed way is not blessed', () => {
  // The attacker makes the ledger look as if it predated the key: every link recomputed with
  // the old unkeyed formula and the switch-over record cleared. The till's key existed before,
  // so the next open records the chain as broken instead of taking it over.
  const sale = trade();
  t.ledger.close();
  tamperAndRechain(
    t.file,
    `${raiseSale(sale.id)}; UPDATE audit_state SET keyed_from = NULL, keyed_from_mac = NULL`,
    unkeyed,
  );
  const v = t.reopen().verifyAudit();
  assert.equal(v.ok, false);
  assert.match(v.firstBroken?.reason ?? '', /switch-over record is missing/);
  // Deleting the record outright is no better.
  t.cleanup();
  t = openTestLedger();
  trade();
  t.ledger.close();
  tamperAndRechain(t.file, 'DELETE FROM audit_state', unkeyed);
  assert.match(t.reopen().verifyAudit().firstBroken?.reason ?? '', /switch-over record is missing/);
});
