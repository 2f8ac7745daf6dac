/**
 * A sale of 0 fen (a 100 % discount, free items) completes without a payment: issue 12, part 9
 * ("a 100 % discount leaves a ¥0.00 sale that cannot complete").
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import { dailyReport, sale as saleSchema, xReport } from '../contract';
import { saleCompletedPayload } from '../../cloud/api';
import { toCloudEvent } from '../../cloud/client/events';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';
import { payAny } from './test-support/face-debit';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
  t.clock.set('2025-03-14T02:00:00.000Z'); // 10:00 in Shanghai
});
afterEach(() => t.cleanup());

const WATER = 'DRK-001'; // 200 fen
const CHIPS = 'SNK-001'; // 750 fen

function freeSale() {
  const l = t.ledger;
  l.addItem({ sku: WATER, qty: 2 });
  const s = l.addItem({ sku: CHIPS });
  return l.setSaleDiscount(s.id, s.subtotalFen); // 100 % off
}

test('a 0-fen sale completes with no payment, a receipt number, its audit link and outbox event', () => {
  const l = t.ledger;
  l.openShift(0, t.op);
  const s = freeSale();
  assert.equal(s.totalFen, 0);
  assert.equal(s.dueFen, 0);
  const outboxBefore = l.pendingOutboxCount();

  const done = l.completeZero(s.id, t.op);
  saleSchema.parse(done);
  assert.equal(done.status, 'completed');
  assert.deepEqual(done.payments, []);
  assert.equal(done.paidFen, 0);
  assert.equal(done.changeFen, 0);
  assert.ok(done.receiptNo);
  assert.equal(done.operator?.id, t.op);
  assert.deepEqual(l.getSale(s.id), done);
  assert.deepEqual(l.getSaleByReceipt(done.receiptNo ?? ''), done);
  assert.equal(l.currentSale(), null, 'the till is free for the next sale');

  // Exactly one new event, sale.completed, which the cloud's ingestion accepts as it stands.
  assert.equal(l.pendingOutboxCount(), outboxBefore + 1);
  const event = l.pendingOutbox(1000).at(-1);
  assert.ok(event);
  assert.equal(event.type, 'sale.completed');
  // As the sync sends it (cloud/client/events.ts) and the cloud's ingestion validates it.
  const sent = toCloudEvent(event, 'T1', () => '2025-03-14');
  const payload = saleCompletedPayload.parse(sent.payload);
  assert.deepEqual([payload.totalFen, payload.payments], [0, []]);

  // No payment row; the sale is chained in the audit log and the chain verifies.
  const db = new Database(t.file, { readonly: true });
  try {
    const payments = db.prepare('SELECT count(*) AS n FROM payments WHERE sale_id = ?').get(s.id);
    assert.deepEqual(payments, { n: 0 });
    const audit = db.prepare("SELECT count(*) AS n FROM audit WHERE kind = 'sale' AND ref = ?");
    assert.deepEqual(audit.get(s.id), { n: 1 });
  } finally {
    db.close();
  }
  assert.equal(l.verifyAudit().ok, true);
  // Done once: the same sale cannot complete again.
  throwsCode(() => l.completeZero(s.id, t.op), 'SALE_NOT_OPEN');
});

test('X and daily reports count the 0-fen sale as a sale with 0 net', () => {
  const l = t.ledger;
  l.openShift(0, t.op);
  l.completeZero(freeSale().id, t.op);
  const paid = l.addItem({ sku: WATER });
  payAny(l, paid.id, { method: 'cash', amountFen: 200 }, t.op);
  const x = xReport.parse(l.xReport());
  assert.deepEqual(
    [x.totals.salesCount, x.totals.salesFen, x.totals.netFen, x.totals.discountFen],
    [2, 200, 200, 1150],
  );
  const day = dailyReport.parse(l.dailyReport('2025-03-14'));
  assert.equal(day.totals.salesCount, 2);
  assert.equal(day.totals.salesFen, 200);
});

test('a sale with anything to pay can never complete without payment', () => {
  const l = t.ledger;
  l.openShift(0, t.op);
  let s = l.addItem({ sku: WATER, qty: 2 });
  throwsCode(() => l.completeZero(s.id, t.op), 'VALIDATION', /400 fen/);
  // One fen left to pay is still something to pay.
  s = l.setSaleDiscount(s.id, 399);
  throwsCode(() => l.completeZero(s.id, t.op), 'VALIDATION', /1 fen/);
  assert.equal(l.getSale(s.id).status, 'open');
  // An empty sale, a held one, no shift: refused too.
  l.removeLine(s.id, 1);
  throwsCode(() => l.completeZero(s.id, t.op), 'SALE_EMPTY');
  const held = freeSale();
  l.hold(held.id);
  throwsCode(() => l.completeZero(held.id, t.op), 'SALE_NOT_OPEN');
  l.recall(held.id);
  l.closeShift(0, t.op);
  throwsCode(() => l.completeZero(held.id, t.op), 'NO_OPEN_SHIFT');
  throwsCode(() => l.completeZero('no-such-sale', t.op), 'NOT_FOUND');
});
