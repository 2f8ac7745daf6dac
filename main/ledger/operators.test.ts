/** Every money row names the person signed in at the till (migration 5). */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import { refund as refundSchema, sale as saleSchema, shift as shiftSchema } from '../contract';
import { seedDemoStaff } from './index';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
  seedDemoStaff(t.ledger);
});
afterEach(() => t.cleanup());

function staff(role: 'cashier' | 'manager') {
  const who = t.ledger.listStaff().find((s) => s.role === role);
  assert.ok(who);
  return { id: who.id, name: who.name };
}

function column(table: string, where = '1 = 1'): unknown[] {
  t.ledger.close();
  const raw = new Database(t.file, { readonly: true });
  try {
    return (
      raw.prepare(`SELECT operator_id FROM ${table} WHERE ${where}`).all() as {
        operator_id: unknown;
      }[]
    ).map((r) => r.operator_id);
  } finally {
    raw.close();
    t.reopen();
  }
}

test('sales, payments, refunds, shifts and cash movements record who did them', () => {
  const cashier = staff('cashier');
  const manager = staff('manager');
  const l = t.ledger;
  const opened = l.openShift(10_000, cashier.id);
  assert.deepEqual(opened.openedBy, cashier);
  assert.equal(opened.closedBy, null);

  let s = l.addItem({ sku: 'DRK-001', qty: 2 });
  assert.equal(s.operator, null, 'an open cart has no operator yet');
  // Split tender across a change of person: each payment names its own, the sale the last.
  s = l.pay(s.id, { method: 'card', amountFen: 100 }, cashier.id);
  s = l.pay(s.id, { method: 'cash', amountFen: s.dueFen }, manager.id);
  saleSchema.parse(s);
  assert.deepEqual(s.operator, manager);
  assert.deepEqual(l.getSale(s.id).operator, manager);
  assert.deepEqual(l.getSaleByReceipt(s.receiptNo ?? '').operator, manager);

  const r = l.refund(s.id, [{ lineNo: 1, qty: 1 }], 'damaged', cashier.id);
  refundSchema.parse(r);
  assert.deepEqual(r.operator, cashier);
  l.cashMovement('in', 500, 'coins', cashier.id);
  const v = l.voidSale(l.addItem({ sku: 'SNK-001' }).id, manager.id);
  assert.deepEqual(v.operator, manager);
  const closed = l.closeShift(10_000, manager.id);
  shiftSchema.parse(closed);
  assert.deepEqual([closed.openedBy, closed.closedBy], [cashier, manager]);
  assert.deepEqual(l.xReport().shift.openedBy, cashier);
  assert.deepEqual(
    l.shiftsOfDate(l.businessDate()).map((x) => x.openedBy),
    [cashier],
  );
  assert.deepEqual(l.takeZReport().shifts[0]?.closedBy, manager);
  assert.deepEqual(l.listZReports()[0]?.shifts[0]?.openedBy, cashier);

  // The outbox tells the cloud who, too.
  const events = l.pendingOutbox(100);
  const paymentEvents = events.filter((e) => e.type === 'payment.recorded');
  assert.deepEqual(
    paymentEvents.map((e) => (e.payload as { operator: unknown }).operator),
    [cashier, manager],
  );
  const cash = events.find((e) => e.type === 'shift.cash');
  assert.deepEqual(
    (cash?.payload as { movement: { operator: unknown } }).movement.operator,
    cashier,
  );

  assert.deepEqual(column('payments'), [cashier.id, manager.id]);
  assert.deepEqual(column('sales', "status = 'completed'"), [manager.id]);
  assert.deepEqual(column('refunds'), [cashier.id]);
  assert.deepEqual(column('cash_movements'), [cashier.id]);
  assert.deepEqual(column('shifts'), [cashier.id]);
  assert.deepEqual(column('shift_closes'), [manager.id]);
  assert.equal(t.ledger.verifyAudit().ok, true);
});

test('a money row for nobody, or for someone who does not work here, is refused', () => {
  const l = t.ledger;
  throwsCode(() => l.openShift(0, ''), 'SIGN_IN_REQUIRED');
  throwsCode(() => l.openShift(0, 'no-such-person'), 'SIGN_IN_REQUIRED');
  l.openShift(0, staff('cashier').id);
  const s = l.addItem({ sku: 'DRK-001' });
  throwsCode(
    () => l.pay(s.id, { method: 'card', amountFen: s.totalFen }, 'ghost'),
    'SIGN_IN_REQUIRED',
  );
  throwsCode(() => l.cashMovement('in', 100, 'x', 'ghost'), 'SIGN_IN_REQUIRED');
  throwsCode(() => l.closeShift(0, 'ghost'), 'SIGN_IN_REQUIRED');
  throwsCode(() => l.voidSale(s.id, 'ghost'), 'SIGN_IN_REQUIRED');
  assert.equal(l.getSale(s.id).payments.length, 0, 'nothing was written');
  assert.equal(l.currentShift()?.cashInFen, 0);
});
