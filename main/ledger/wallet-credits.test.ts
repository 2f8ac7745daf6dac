/**
 * The wallet credits a refund owes (migration 6): written in the refund's own transaction, one
 * per face payment the money goes back to, keyed rf:<refundId>:<paymentId>; the cloud's first
 * answer is recorded once; both tables refuse changes; the sync worker's connection sees the
 * same pending credits.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import { SyncStore, walletCreditKey } from './index';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';
import { payAny } from './test-support/face-debit';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
  t.ledger.openShift(10_000, t.op);
});
afterEach(() => t.cleanup());

/** 3 x water and 1 x chips (total 1350), paid 500 in cash and the rest (850) by face. */
function sellSplit() {
  const l = t.ledger;
  l.addItem({ sku: 'DRK-001', qty: 3 });
  let s = l.addItem({ sku: 'SNK-001' });
  s = payAny(l, s.id, { method: 'cash', amountFen: 500 }, t.op);
  s = payAny(l, s.id, { method: 'face', amountFen: s.dueFen, reference: 'pay_cloud-1' }, t.op);
  assert.equal(s.status, 'completed');
  return s;
}

test('a refund to a face payment owes that payment a credit, written with the refund', () => {
  const s = sellSplit();
  const face = s.payments.find((p) => p.method === 'face');
  assert.ok(face);
  // Non-cash first (pricing rule 7): the face payment gets the money back before cash.
  const refund = t.ledger.refund(s.id, [{ lineNo: 1, qty: 1 }], 'damaged', t.op);
  assert.deepEqual(
    refund.byMethod.map((m) => m.method),
    ['face'],
  );
  assert.deepEqual(t.ledger.walletCreditsOf(refund.id), [
    { paymentId: face.id, amountFen: refund.amountFen, status: 'pending', code: null },
  ]);
  assert.deepEqual(t.ledger.pendingWalletCreditsOf(refund.id), [
    {
      key: `rf:${refund.id}:${face.id}`,
      refundId: refund.id,
      paymentId: face.id,
      // The sale it paid: the cloud credits only its own debit for that sale.
      saleId: s.id,
      cloudPaymentId: 'pay_cloud-1',
      amountFen: refund.amountFen,
      reason: 'damaged',
      createdAt: refund.createdAt,
    },
  ]);
  assert.equal(walletCreditKey(refund.id, face.id), `rf:${refund.id}:${face.id}`);
  assert.equal(t.ledger.pendingWalletCreditCount(), 1);
  // A key the cloud accepts (8-100 of [A-Za-z0-9_.:-]).
  assert.match(`rf:${refund.id}:${face.id}`, /^[A-Za-z0-9_.:-]{8,100}$/);
});

test('the cash part of a refund and a face payment without a cloud id owe nothing', () => {
  const l = t.ledger;
  const s = sellSplit();
  const all = l.voidCompletedSale(s.id, 'void', t.op);
  const credits = l.walletCreditsOf(all.id);
  assert.equal(credits.length, 1, 'one credit: the face part, not the cash');
  assert.equal(credits[0]?.amountFen, all.byMethod.find((m) => m.method === 'face')?.amountFen);

  // A face payment without the cloud's signed debit cannot be written at all (issue 9: one with
  // a typed reference once credited a real payer's wallet when refunded).
  const open = l.addItem({ sku: 'DRK-001' });
  const typed = { method: 'face', amountFen: 200, reference: 'pay_someone-else' } as const;
  throwsCode(() => l.pay(open.id, typed as never, t.op), 'VALIDATION');
  assert.equal(l.getSale(open.id).payments.length, 0);
});

test('a refund that fails writes no credit (one transaction)', () => {
  const s = sellSplit();
  assert.throws(() => t.ledger.refund(s.id, [{ lineNo: 1, qty: 9 }], 'too many', t.op));
  assert.equal(t.ledger.pendingWalletCreditCount(), 0);
});

test("the cloud's first answer is recorded, once; a pending credit is what has none", () => {
  const s = sellSplit();
  const refund = t.ledger.refund(s.id, [{ lineNo: 2, qty: 1 }], 'damaged', t.op);
  const [owed] = t.ledger.pendingWalletCreditsOf(refund.id);
  assert.ok(owed);
  assert.equal(
    t.ledger.recordWalletCredit(owed.key, { status: 'credited', cloudRefundId: 'r1' }),
    true,
  );
  assert.equal(
    t.ledger.recordWalletCredit(owed.key, { status: 'failed', code: 'NOT_FOUND' }),
    false,
    'a second answer changes nothing',
  );
  assert.equal(t.ledger.walletCreditsOf(refund.id)[0]?.status, 'credited');
  assert.equal(t.ledger.pendingWalletCreditCount(), 0);
  assert.equal(
    t.ledger.recordWalletCredit('rf:nothing:here', { status: 'credited', cloudRefundId: 'x' }),
    false,
    'no answer for a credit nobody owes',
  );

  const second = t.ledger.voidCompletedSale(s.id, 'void', t.op);
  const [owedToo] = t.ledger.pendingWalletCreditsOf(second.id);
  assert.ok(owedToo);
  t.ledger.recordWalletCredit(owedToo.key, {
    status: 'declined',
    cloudRefundId: 'r2',
    code: 'REFUND_EXCEEDS_PAID',
  });
  assert.deepEqual(t.ledger.walletCreditsOf(second.id)[0], {
    paymentId: owedToo.paymentId,
    amountFen: owedToo.amountFen,
    status: 'declined',
    code: 'REFUND_EXCEEDS_PAID',
  });
});

test('credits and their answers are append-only', () => {
  const s = sellSplit();
  const refund = t.ledger.refund(s.id, [{ lineNo: 1, qty: 1 }], 'damaged', t.op);
  const [owed] = t.ledger.pendingWalletCreditsOf(refund.id);
  assert.ok(owed);
  t.ledger.recordWalletCredit(owed.key, { status: 'credited', cloudRefundId: 'r1' });
  const raw = new Database(t.file);
  try {
    assert.throws(
      () => raw.prepare('UPDATE wallet_credits SET amount_fen = 1').run(),
      /append-only/,
    );
    assert.throws(() => raw.prepare('DELETE FROM wallet_credits').run(), /append-only/);
    assert.throws(
      () => raw.prepare("UPDATE wallet_credit_results SET status = 'failed'").run(),
      /append-only/,
    );
    assert.throws(() => raw.prepare('DELETE FROM wallet_credit_results').run(), /append-only/);
  } finally {
    raw.close();
  }
});

test("the sync worker's connection sees pending credits in order and records answers", () => {
  const s = sellSplit();
  const first = t.ledger.refund(s.id, [{ lineNo: 1, qty: 1 }], 'one', t.op);
  t.clock.advance(60_000);
  const second = t.ledger.refund(s.id, [{ lineNo: 1, qty: 1 }], 'two', t.op);
  const store = SyncStore.open({ file: t.file, now: t.clock.now });
  try {
    assert.equal(store.pendingWalletCreditCount(), 2);
    assert.equal(store.oldestPendingCredit()?.toISOString(), first.createdAt);
    assert.deepEqual(
      store.dueWalletCredits(new Date(first.createdAt), 10).map((c) => c.refundId),
      [first.id],
      'only those written by the cut-off',
    );
    const due = store.dueWalletCredits(t.clock.now(), 10);
    assert.deepEqual(
      due.map((c) => c.refundId),
      [first.id, second.id],
    );
    assert.equal(
      store.recordWalletCredit(due[0]?.key ?? '', { status: 'credited', cloudRefundId: 'r1' }),
      true,
    );
    assert.equal(store.oldestPendingCredit()?.toISOString(), second.createdAt);
    assert.equal(t.ledger.walletCreditsOf(first.id)[0]?.status, 'credited');
    assert.equal(t.ledger.pendingWalletCreditCount(), 1);
  } finally {
    store.close();
  }
});
