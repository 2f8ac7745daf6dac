import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { MAX_QTY, makeEan13, sale as saleSchema, saleSummary } from '../contract';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';
import { payAny } from './test-support/face-debit';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
});
afterEach(() => t.cleanup());

const WATER = 'DRK-001'; // 200 fen, 13 %
const CHIPS = 'SNK-001'; // 750 fen
const MILK = 'DRY-001'; // 350 fen, 9 %

test('adding items opens a sale; the same product again adds to its line', () => {
  const l = t.ledger;
  assert.equal(l.currentSale(), null);
  let s = l.addItem({ sku: WATER, qty: 1 });
  assert.equal(s.status, 'open');
  l.addItem({ barcode: l.getProduct(CHIPS).barcode, qty: 2 });
  s = l.addItem({ sku: WATER, qty: 2 });
  assert.deepEqual(
    s.lines.map((x) => [x.lineNo, x.sku, x.qty, x.grossFen]),
    [
      [1, WATER, 3, 600],
      [2, CHIPS, 2, 1500],
    ],
  );
  // A discounted line is not widened: the next scan gets its own line.
  l.setLineDiscount(s.id, 1, 50);
  s = l.addItem({ sku: WATER });
  assert.deepEqual(
    s.lines.map((x) => [x.lineNo, x.sku, x.qty, x.lineDiscountFen]),
    [
      [1, WATER, 3, 50],
      [2, CHIPS, 2, 0],
      [3, WATER, 1, 0],
    ],
  );
  assert.equal(s.subtotalFen, 2300);
  assert.equal(s.totalFen, 2250);
  saleSchema.parse(s);
  assert.deepEqual(l.currentSale(), s);
});

test('qty, remove (renumbers), line and sale discounts', () => {
  const l = t.ledger;
  let s = l.addItem({ sku: WATER });
  s = l.addItem({ sku: CHIPS });
  s = l.addItem({ sku: MILK });
  s = l.setQty(s.id, 2, 4);
  assert.equal(s.lines[1]?.grossFen, 3000);
  s = l.removeLine(s.id, 1);
  assert.deepEqual(
    s.lines.map((x) => [x.lineNo, x.sku]),
    [
      [1, CHIPS],
      [2, MILK],
    ],
  );
  s = l.setSaleDiscount(s.id, 335);
  assert.equal(s.saleDiscountFen, 335);
  assert.equal(s.totalFen, 3000 + 350 - 335);
  assert.equal(
    s.lines.reduce((a, x) => a + x.saleDiscountShareFen, 0),
    335,
  );
  throwsCode(() => l.setSaleDiscount(s.id, 3351), 'AMOUNT_OUT_OF_RANGE');
  throwsCode(() => l.setLineDiscount(s.id, 2, 351), 'AMOUNT_OUT_OF_RANGE');
  // Lowering a quantity below what its discount needs is refused, not silently clamped.
  s = l.setLineDiscount(s.id, 1, 1000);
  throwsCode(() => l.setQty(s.id, 1, 1), 'AMOUNT_OUT_OF_RANGE');
  throwsCode(() => l.setQty(s.id, 9, 1), 'NOT_FOUND');
  throwsCode(() => l.removeLine('nope', 1), 'NOT_FOUND');
  assert.deepEqual(l.getSale(s.id), s, 'refused edits changed nothing');
});

test('bounds: qty and amounts are checked at the ledger', () => {
  const l = t.ledger;
  throwsCode(() => l.addItem({ sku: WATER, qty: 0 }), 'VALIDATION');
  throwsCode(() => l.addItem({ sku: WATER, qty: -1 }), 'VALIDATION');
  throwsCode(() => l.addItem({ sku: WATER, qty: 1.5 }), 'VALIDATION');
  throwsCode(() => l.addItem({ sku: WATER, qty: MAX_QTY + 1 }), 'VALIDATION');
  throwsCode(() => l.addItem({ sku: WATER, barcode: '6901000100001' }), 'VALIDATION');
  assert.equal(l.currentSale(), null, 'nothing was opened by refused input');
  l.upsertProducts([
    {
      sku: 'GOLD',
      barcode: makeEan13('690999990000'),
      nameZh: '金条',
      nameEn: 'Gold bar',
      category: 'valuables',
      priceFen: 60_000_000,
      taxRateBp: 1300,
    },
  ]);
  let s = l.addItem({ sku: 'GOLD' });
  throwsCode(() => l.addItem({ sku: 'GOLD' }), 'AMOUNT_OUT_OF_RANGE', /1,000,000/);
  throwsCode(() => l.setQty(s.id, 1, 2), 'AMOUNT_OUT_OF_RANGE');
  s = l.getSale(s.id);
  assert.equal(s.lines[0]?.qty, 1);
  throwsCode(() => l.setSaleDiscount(s.id, -1), 'AMOUNT_OUT_OF_RANGE');
  throwsCode(() => l.setSaleDiscount(s.id, 0.5), 'VALIDATION');
  throwsCode(() => l.setLineDiscount(s.id, 1, 100_000_001), 'AMOUNT_OUT_OF_RANGE');
});

test('hold, list, recall; recall waits for a busy terminal; an empty cart is discarded', () => {
  const l = t.ledger;
  const a = l.addItem({ sku: WATER, qty: 2 });
  const held = l.hold(a.id);
  saleSummary.parse(held);
  assert.deepEqual(held, {
    id: a.id,
    receiptNo: null,
    status: 'held',
    openedAt: a.openedAt,
    heldAt: held.heldAt,
    lineCount: 1,
    itemCount: 2,
    firstItems: [{ nameZh: a.lines[0]?.nameZh, nameEn: a.lines[0]?.nameEn, qty: 2 }],
    totalFen: 400,
  });
  assert.ok(held.heldAt !== null && held.heldAt >= a.openedAt, 'held after it was opened');
  assert.equal(l.currentSale(), null);
  throwsCode(() => l.addItem({ sku: CHIPS }) && l.setQty(a.id, 1, 3), 'SALE_NOT_OPEN');
  const b = l.currentSale();
  assert.ok(b && b.id !== a.id);
  throwsCode(() => l.recall(a.id), 'SALE_NOT_OPEN', /hold, pay or void/);
  t.clock.advance(1000);
  l.hold(b.id);
  t.clock.advance(1000);
  assert.deepEqual(
    l.listHeld().map((x) => x.id),
    [a.id, b.id],
  );
  // An empty active sale does not block a recall.
  const c = l.addItem({ sku: MILK });
  l.removeLine(c.id, 1);
  const recalled = l.recall(a.id);
  assert.equal(recalled.status, 'open');
  assert.equal(recalled.totalFen, 400);
  throwsCode(() => l.getSale(c.id), 'NOT_FOUND');
  assert.deepEqual(
    l.listHeld().map((x) => x.id),
    [b.id],
  );
  throwsCode(() => l.hold(l.addItem({ sku: WATER }).id) && l.hold(b.id), 'SALE_NOT_OPEN');
  // Held sales survive a restart.
  l.close();
  const l2 = t.reopen();
  assert.deepEqual(
    l2.listHeld().map((x) => x.id),
    [b.id, a.id],
  );
  const empty = l2.addItem({ sku: WATER });
  l2.removeLine(empty.id, 1);
  throwsCode(() => l2.hold(empty.id), 'SALE_EMPTY');
});

test('void before payment; refused once paid; a voided sale is kept and chained', () => {
  const l = t.ledger;
  l.openShift(0, t.op);
  const a = l.addItem({ sku: WATER, qty: 2 });
  const voided = l.voidSale(a.id, t.op);
  saleSchema.parse(voided);
  assert.equal(voided.status, 'voided');
  assert.equal(voided.receiptNo, null);
  assert.deepEqual(l.getSale(a.id), voided);
  assert.equal(l.currentSale(), null);
  throwsCode(() => l.voidSale(a.id, t.op), 'SALE_NOT_OPEN');
  throwsCode(() => payAny(l, a.id, { method: 'cash', amountFen: 400 }, t.op), 'SALE_NOT_OPEN');

  const b = l.addItem({ sku: CHIPS, qty: 2 });
  payAny(l, b.id, { method: 'face', amountFen: 500 }, t.op);
  throwsCode(() => l.voidSale(b.id, t.op), 'SALE_HAS_PAYMENTS');
  throwsCode(() => l.addItem({ sku: WATER }), 'SALE_HAS_PAYMENTS');
  throwsCode(() => l.setQty(b.id, 1, 1), 'SALE_HAS_PAYMENTS');
  throwsCode(() => l.hold(b.id), 'SALE_HAS_PAYMENTS');
  // A held sale can be voided too.
  const done = payAny(l, b.id, { method: 'qr', amountFen: 1000 }, t.op);
  assert.equal(done.status, 'completed');
  const c = l.addItem({ sku: MILK });
  l.hold(c.id);
  assert.equal(l.voidSale(c.id, t.op).status, 'voided');
  assert.deepEqual(l.verifyAudit().ok, true);
});

test('payments: split tender, change, over- and under-payment, shift required', () => {
  const l = t.ledger;
  let s = l.addItem({ sku: WATER, qty: 3 }); // 600
  s = l.addItem({ sku: CHIPS }); // 750 -> 1350
  throwsCode(() => payAny(l, s.id, { method: 'cash', amountFen: 1350 }, t.op), 'NO_OPEN_SHIFT');
  l.openShift(5000, t.op);
  throwsCode(() => payAny(l, s.id, { method: 'face', amountFen: 1351 }, t.op), 'OVERPAYMENT');
  throwsCode(
    () => payAny(l, s.id, { method: 'cash', amountFen: 1350, tenderedFen: 1000 }, t.op),
    'INSUFFICIENT_TENDER',
  );
  throwsCode(() => payAny(l, s.id, { method: 'card', amountFen: 0 }, t.op), 'VALIDATION');
  throwsCode(() => payAny(l, s.id, { method: 'cash', amountFen: 10.5 }, t.op), 'VALIDATION');
  throwsCode(
    () => payAny(l, s.id, { method: 'cash', amountFen: 100_000_001 }, t.op),
    'AMOUNT_OUT_OF_RANGE',
  );
  throwsCode(
    () => payAny(l, s.id, { method: 'bitcoin' as 'cash', amountFen: 100 }, t.op),
    'VALIDATION',
  );
  assert.equal(l.getSale(s.id).payments.length, 0, 'refused tenders wrote nothing');

  s = payAny(l, s.id, { method: 'face', amountFen: 350, reference: 'F-1' }, t.op);
  assert.equal(s.status, 'open');
  assert.equal(s.paidFen, 350);
  assert.equal(s.dueFen, 1000);
  throwsCode(() => payAny(l, s.id, { method: 'qr', amountFen: 1001 }, t.op), 'OVERPAYMENT');
  s = payAny(l, s.id, { method: 'card', amountFen: 400 }, t.op);
  assert.equal(s.dueFen, 600);
  // Cash over what is due: applied = due, change = tendered - due.
  s = payAny(l, s.id, { method: 'cash', amountFen: 600, tenderedFen: 1000 }, t.op);
  saleSchema.parse(s);
  assert.equal(s.status, 'completed');
  assert.equal(s.receiptNo, 'T01-000001');
  assert.equal(s.paidFen, 1350);
  assert.equal(s.dueFen, 0);
  assert.equal(s.changeFen, 400);
  assert.deepEqual(
    s.payments.map((p) => [p.method, p.amountFen, p.tenderedFen, p.changeFen, p.reference]),
    [
      ['face', 350, null, 0, 'F-1'],
      ['card', 400, null, 0, null],
      ['cash', 600, 1000, 400, null],
    ],
  );
  assert.deepEqual(l.getSale(s.id), s);
  assert.deepEqual(l.getSaleByReceipt('T01-000001'), s);
  throwsCode(() => l.getSaleByReceipt('T01-000002'), 'NOT_FOUND');
  assert.equal(l.currentSale(), null);

  // Cash given as a round note with no tendered field: amount over due gives change.
  const s2 = l.addItem({ sku: MILK });
  const paid2 = payAny(l, s2.id, { method: 'cash', amountFen: 10_000 }, t.op);
  assert.deepEqual([paid2.paidFen, paid2.changeFen, paid2.receiptNo], [350, 9650, 'T01-000002']);
  assert.equal(l.currentShift()?.cashSalesFen, 600 + 350, 'cash sales are net of change');
  throwsCode(() => payAny(l, s2.id, { method: 'cash', amountFen: 1 }, t.op), 'SALE_NOT_OPEN');
  const empty = l.addItem({ sku: MILK });
  l.removeLine(empty.id, 1);
  throwsCode(() => payAny(l, empty.id, { method: 'cash', amountFen: 1 }, t.op), 'SALE_EMPTY');
});

test('a fully discounted sale completes with a cash payment of nothing applied', () => {
  const l = t.ledger;
  l.openShift(0, t.op);
  let s = l.addItem({ sku: WATER });
  s = l.setLineDiscount(s.id, 1, 200);
  throwsCode(() => payAny(l, s.id, { method: 'face', amountFen: 1 }, t.op), 'OVERPAYMENT');
  s = payAny(l, s.id, { method: 'cash', amountFen: 100 }, t.op);
  assert.deepEqual([s.status, s.totalFen, s.paidFen, s.changeFen], ['completed', 0, 0, 100]);
});

test('receipt numbers are sequential per terminal and survive a restart', () => {
  const l = t.ledger;
  l.openShift(0, t.op);
  for (let i = 1; i <= 3; i++) {
    const s = l.addItem({ sku: WATER });
    assert.equal(
      payAny(l, s.id, { method: 'qr', amountFen: 200 }, t.op).receiptNo,
      `T01-00000${i}`,
    );
  }
  const l2 = t.reopen({ terminalId: 'T02' });
  l2.openShift(0, t.op);
  const s = l2.addItem({ sku: WATER });
  assert.equal(l2.pay(s.id, { method: 'qr', amountFen: 200 }, t.op).receiptNo, 'T02-000001');
});

test('a sale carries the product as it was when scanned', () => {
  const l = t.ledger;
  l.openShift(0, t.op);
  const s = l.addItem({ sku: WATER });
  l.upsertProducts([{ ...l.getProduct(WATER), priceFen: 250 }]);
  const s2 = l.addItem({ sku: WATER });
  assert.deepEqual(
    s2.lines.map((x) => [x.unitPriceFen, x.qty]),
    [
      [200, 1],
      [250, 1],
    ],
  );
  const done = payAny(l, s.id, { method: 'card', amountFen: 450 }, t.op);
  l.upsertProducts([{ ...l.getProduct(WATER), nameEn: 'Renamed' }]);
  assert.equal(l.getSale(done.id).lines[0]?.nameEn, 'Purified water 550ml');
});
