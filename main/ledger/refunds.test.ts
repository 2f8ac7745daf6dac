import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { refund as refundSchema, sale as saleSchema } from '../contract';
import { openTestLedger, prng, throwsCode, type TestLedger } from './test-support/helpers';
import { payAny } from './test-support/face-debit';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
  t.ledger.openShift(10_000, t.op);
});
afterEach(() => t.cleanup());

/** 3 x water (600) + 1 x chips (750) + 2 x milk (700), 101 fen sale discount: total 1949. */
function sellMixed(tenders: { method: 'cash' | 'face' | 'qr' | 'card'; amountFen: number }[]) {
  const l = t.ledger;
  l.addItem({ sku: 'DRK-001', qty: 3 });
  l.addItem({ sku: 'SNK-001' });
  let s = l.addItem({ sku: 'DRY-001', qty: 2 });
  s = l.setSaleDiscount(s.id, 101);
  for (const tender of tenders) s = payAny(l, s.id, tender, t.op);
  assert.equal(s.status, 'completed');
  return s;
}

test('partial refund by line, then an over-refund is refused', () => {
  const l = t.ledger;
  const s = sellMixed([{ method: 'cash', amountFen: 2000 }]);
  const line1 = s.lines[0];
  assert.ok(line1);
  const r1 = l.refund(s.id, [{ lineNo: 1, qty: 2 }], 'customer changed mind', t.op);
  refundSchema.parse(r1);
  // cum(2 of 3) of the line's net, half up.
  const expected = Math.floor((2 * line1.netFen * 2 + 3) / 6);
  assert.deepEqual(r1.lines, [{ lineNo: 1, qty: 2, amountFen: expected }]);
  assert.equal(r1.amountFen, expected);
  assert.equal(r1.receiptNo, s.receiptNo);
  assert.deepEqual(
    r1.byMethod.map((m) => [m.method, m.amountFen]),
    [['cash', expected]],
  );
  const err = throwsCode(
    () => l.refund(s.id, [{ lineNo: 1, qty: 2 }], 'again', t.op),
    'REFUND_EXCEEDS_PAID',
    /3 sold, 2 already refunded, 2 requested/,
  );
  assert.equal(err.field, 'lines.0.qty');
  throwsCode(() => l.refund(s.id, [{ lineNo: 4, qty: 1 }], 'x', t.op), 'VALIDATION');
  throwsCode(() => l.refund(s.id, [{ lineNo: 1, qty: 0 }], 'x', t.op), 'VALIDATION');
  throwsCode(() => l.refund(s.id, [{ lineNo: 1, qty: 1 }], '  ', t.op), 'VALIDATION');
  throwsCode(
    () =>
      l.refund(
        s.id,
        [
          { lineNo: 2, qty: 1 },
          { lineNo: 2, qty: 1 },
        ],
        'x',
        t.op,
      ),
    'VALIDATION',
  );
  // The rest (undefined = everything not yet refunded) brings the total to exactly what was paid.
  const r2 = l.refund(s.id, undefined, 'store closing', t.op);
  assert.deepEqual(
    r2.lines.map((x) => [x.lineNo, x.qty]),
    [
      [1, 1],
      [2, 1],
      [3, 2],
    ],
  );
  assert.equal(r1.amountFen + r2.amountFen, s.totalFen);
  throwsCode(() => l.refund(s.id, undefined, 'x', t.op), 'REFUND_EXCEEDS_PAID', /fully refunded/);
  const after = l.getSale(s.id);
  saleSchema.parse(after);
  assert.equal(after.refundedFen, s.totalFen);
  // The sale itself is unchanged by refunds.
  assert.deepEqual({ ...after, refundedFen: 0 }, s);
  assert.equal(l.currentShift()?.cashRefundsFen, s.totalFen);
});

test('refunding every line in random pieces totals exactly what was paid, per line too', () => {
  const l = t.ledger;
  const rand = prng(3);
  for (let round = 0; round < 5; round++) {
    let s = l.addItem({ sku: 'DRK-003', qty: 7 });
    s = l.addItem({ sku: 'SNK-010', qty: 3 });
    s = l.addItem({ sku: 'DRY-002', qty: 11 });
    s = l.setLineDiscount(s.id, 2, 333);
    s = l.setSaleDiscount(s.id, 997);
    s = payAny(l, s.id, { method: 'face', amountFen: s.totalFen }, t.op);
    const left = new Map(s.lines.map((x) => [x.lineNo, x.qty]));
    const perLine = new Map<number, number>();
    let total = 0;
    while ([...left.values()].some((q) => q > 0)) {
      const open = [...left.entries()].filter(([, q]) => q > 0);
      const pick = open.slice(0, 1 + Math.floor(rand() * open.length));
      const lines = pick.map(([lineNo, q]) => ({ lineNo, qty: 1 + Math.floor(rand() * q) }));
      const r = l.refund(s.id, lines, 'piece', t.op);
      for (const x of r.lines) {
        left.set(x.lineNo, (left.get(x.lineNo) ?? 0) - x.qty);
        perLine.set(x.lineNo, (perLine.get(x.lineNo) ?? 0) + x.amountFen);
      }
      total += r.amountFen;
    }
    assert.equal(total, s.totalFen);
    for (const x of s.lines) assert.equal(perLine.get(x.lineNo), x.netFen);
    throwsCode(() => l.refund(s.id, [{ lineNo: 1, qty: 1 }], 'more', t.op), 'REFUND_EXCEEDS_PAID');
  }
});

test('money goes back to non-cash payments first, cash last, never above a payment', () => {
  const l = t.ledger;
  const s = sellMixed([
    { method: 'cash', amountFen: 500 },
    { method: 'face', amountFen: 1000 },
    { method: 'card', amountFen: 449 },
  ]);
  const [cash, face, card] = s.payments;
  assert.ok(cash && face && card);
  const r1 = l.refund(s.id, [{ lineNo: 2, qty: 1 }], 'damaged', t.op); // chips: about 711
  assert.deepEqual(r1.byMethod, [{ paymentId: face.id, method: 'face', amountFen: r1.amountFen }]);
  const r2 = l.refund(s.id, undefined, 'all', t.op);
  const back = new Map<string, number>();
  for (const m of [...r1.byMethod, ...r2.byMethod])
    back.set(m.paymentId, (back.get(m.paymentId) ?? 0) + m.amountFen);
  assert.deepEqual([back.get(cash.id), back.get(face.id), back.get(card.id)], [500, 1000, 449]);
  assert.deepEqual(
    r2.byMethod.map((m) => m.method),
    ['face', 'card', 'cash'],
  );
});

test('refunds need a completed sale and an open shift', () => {
  const l = t.ledger;
  const open = l.addItem({ sku: 'DRK-001' });
  throwsCode(() => l.refund(open.id, undefined, 'x', t.op), 'NOT_FOUND');
  const voided = l.voidSale(open.id, t.op);
  throwsCode(() => l.refund(voided.id, undefined, 'x', t.op), 'REFUND_EXCEEDS_PAID');
  const s = sellMixed([{ method: 'qr', amountFen: 1949 }]);
  l.closeShift(10_000, t.op);
  throwsCode(() => l.refund(s.id, undefined, 'x', t.op), 'NO_OPEN_SHIFT');
  assert.equal(l.getSale(s.id).refundedFen, 0);
});
