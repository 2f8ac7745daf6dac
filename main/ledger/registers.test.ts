/**
 * Register orders in the ledger: random orders (lines, merchant and platform discounts) whose
 * line nets always sum to the amount, paid and completed like any sale, with their origin on
 * the outbox event; the till's cart and a register's order exclude each other (BUSY).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CreateOrderRequest, RegisterDevice } from '../contract';
import { openTestLedger, prng, throwsCode } from './test-support/helpers';

function register(t: ReturnType<typeof openTestLedger>, name: string): RegisterDevice {
  return t.ledger.registers.add(name, `token-${name}-${'x'.repeat(40)}`);
}

test('random orders: line nets sum to the amount, discounts shared by largest remainder', () => {
  const t = openTestLedger();
  try {
    const till = register(t, 'Counter');
    t.ledger.openShift(0, t.op);
    const random = prng(1010);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    for (let n = 0; n < 200; n += 1) {
      const lines = Array.from({ length: int(1, 6) }, (_, i) => ({
        name: `item ${i}`,
        qty: int(1, 7),
        unitPriceFen: int(0, 5000),
      }));
      const gross = lines.reduce((a, l) => a + l.qty * l.unitPriceFen, 0);
      if (gross < 3) continue;
      const merchant = int(0, Math.floor(gross / 3));
      const platform = int(0, Math.floor(gross / 3));
      const discounts: CreateOrderRequest['discounts'] = [];
      if (merchant > 0) discounts.push({ kind: 'merchant', amountFen: merchant });
      if (platform > 0) discounts.push({ kind: 'platform', amountFen: platform });
      const amountFen = gross - merchant - platform;
      const { order } = t.ledger.registers.openOrder(till, {
        orderNo: `N${n}`,
        amountFen,
        lines,
        discounts,
      });
      const sale = t.ledger.getSale(order.saleId);
      assert.equal(sale.totalFen, amountFen);
      assert.equal(
        sale.lines.reduce((a, l) => a + l.netFen, 0),
        amountFen,
        `order ${n}: nets sum to the amount`,
      );
      for (const l of sale.lines) assert.ok(l.netFen >= 0 && l.netFen <= l.grossFen);
      const paid = t.ledger.pay(sale.id, { method: 'card', amountFen }, t.op);
      assert.equal(paid.status, 'completed');
    }
    const completed = t.ledger.pendingOutbox(1000).filter((e) => e.type === 'sale.completed');
    assert.ok(completed.length > 150);
    for (const e of completed)
      assert.equal((e.payload as { origin?: { kind: string } }).origin?.kind, 'register');
  } finally {
    t.cleanup();
  }
});

test("the till's cart and a register's order exclude each other", () => {
  const t = openTestLedger();
  try {
    const counter = register(t, 'Counter');
    const own = t.ledger.addItem({ sku: 'DRK-001' });
    throwsCode(
      () => t.ledger.registers.openOrder(counter, { orderNo: 'A', amountFen: 100 }),
      'BUSY',
      /the till has a sale under way/,
    );
    t.ledger.voidSale(own.id, t.op);
    // Once the till is free, the order takes the customer display.
    const { order } = t.ledger.registers.openOrder(counter, { orderNo: 'A', amountFen: 100 });
    throwsCode(() => t.ledger.addItem({ sku: 'DRK-001' }), 'BUSY', /order A of register Counter/);
    throwsCode(() => t.ledger.setSaleDiscount(order.saleId, 10), 'BUSY');
    throwsCode(() => t.ledger.overridePrice(order.saleId, 1, 1), 'BUSY');
    // Idempotent: the same again is the same order; another amount is a conflict.
    assert.equal(
      t.ledger.registers.openOrder(counter, { orderNo: 'A', amountFen: 100 }).created,
      false,
    );
    throwsCode(
      () => t.ledger.registers.openOrder(counter, { orderNo: 'A', amountFen: 90 }),
      'ORDER_CONFLICT',
      /amountFen \(was 100, now 90\)/,
    );
  } finally {
    t.cleanup();
  }
});
