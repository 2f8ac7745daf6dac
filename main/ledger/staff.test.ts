import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { seedDemoStaff } from './index';
import { lockDurationMs, MAX_FAILURES } from './staff';
import { openTestLedger, throwsCode } from './test-support/helpers';

test('demo staff are seeded once, with PINs stored hashed (salted per person)', () => {
  const t = openTestLedger();
  try {
    const seeded = seedDemoStaff(t.ledger);
    assert.deepEqual(
      seeded.map((s) => [s.role, s.pin]),
      [
        ['manager', '8888'],
        ['cashier', '1234'],
      ],
    );
    assert.deepEqual(seedDemoStaff(t.ledger), [], 'a second start seeds nobody');
    t.ledger.close();
    const raw = new Database(t.file, { readonly: true });
    const rows = raw.prepare('SELECT pin_hash FROM staff').all() as { pin_hash: string }[];
    raw.close();
    t.reopen();
    for (const r of rows) {
      assert.match(r.pin_hash, /^scrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
      assert.ok(!r.pin_hash.includes('8888') && !r.pin_hash.includes('1234'));
    }
    assert.notEqual(rows[0]?.pin_hash.split('$')[4], rows[1]?.pin_hash.split('$')[4]);
  } finally {
    t.cleanup();
  }
});

test('a PIN identifies its person; a role filter refuses the others', () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    assert.equal(t.ledger.verifyPin('1234').role, 'cashier');
    assert.equal(t.ledger.verifyPin('8888', ['manager']).role, 'manager');
    throwsCode(() => t.ledger.verifyPin('1234', ['manager']), 'PIN_WRONG');
    throwsCode(() => t.ledger.verifyPin('12'), 'VALIDATION');
    throwsCode(
      () => t.ledger.addStaff({ name: 'Copy', role: 'cashier', pin: '1234' }),
      'VALIDATION',
    );
    const cashier = t.ledger.listStaff().find((s) => s.role === 'cashier');
    assert.ok(cashier);
    t.ledger.setStaffPin(cashier.id, '4321');
    throwsCode(() => t.ledger.verifyPin('1234'), 'PIN_WRONG');
    assert.equal(t.ledger.verifyPin('4321').id, cashier.id);
  } finally {
    t.cleanup();
  }
});

test('repeated wrong PINs lock PIN entry, with a doubling wait that survives a restart', () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    for (let i = 0; i < MAX_FAILURES; i++)
      throwsCode(() => t.ledger.verifyPin('0000'), 'PIN_WRONG');
    // Even the right PIN is refused while locked.
    throwsCode(() => t.ledger.verifyPin('8888'), 'PIN_LOCKED');
    t.reopen();
    throwsCode(() => t.ledger.verifyPin('8888'), 'PIN_LOCKED');
    t.clock.advance(lockDurationMs(MAX_FAILURES) + 1);
    assert.equal(t.ledger.verifyPin('8888').role, 'manager');
    assert.equal(t.ledger.pinLockedUntil(), null);
    assert.equal(lockDurationMs(MAX_FAILURES + 1), 2 * lockDurationMs(MAX_FAILURES));
    assert.equal(lockDurationMs(50), 5 * 60_000);
  } finally {
    t.cleanup();
  }
});

test('an approved action is written with its approval and outbox event, or not at all', () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const manager = t.ledger.verifyPin('8888');
    t.ledger.openShift(0, t.op);
    const sale = t.ledger.addItem({ sku: 'DRK-001' });
    const paid = t.ledger.pay(sale.id, { method: 'cash', amountFen: sale.totalFen }, t.op);
    const before = t.ledger.pendingOutboxCount();
    const refund = t.ledger.withApproval(
      manager,
      'sale.voidCompleted',
      () => t.ledger.voidCompletedSale(paid.id, 'customer changed mind', t.op),
      (r) => ({ ref: r.id }),
    );
    assert.equal(refund.amountFen, paid.totalFen);
    assert.equal(t.ledger.pendingOutboxCount(), before + 2, 'refund.created + approval.used');
    const [approval] = t.ledger.listApprovals();
    assert.equal(approval?.staffId, manager.id);
    assert.equal(approval?.ref, refund.id);
    // A failing action leaves no approval behind.
    throwsCode(
      () =>
        t.ledger.withApproval(
          manager,
          'refund',
          () => t.ledger.refund(paid.id, undefined, 'again', t.op),
          (r) => ({ ref: r.id }),
        ),
      'REFUND_EXCEEDS_PAID',
    );
    assert.equal(t.ledger.listApprovals().length, 1);
    assert.deepEqual(t.ledger.refundableLines(paid.id), [{ lineNo: 1, qty: 1, refundedQty: 1 }]);
    assert.equal(t.ledger.verifyAudit().ok, true);
  } finally {
    t.cleanup();
  }
});

test('a price override changes the cart line, keeps the bounds and splits later scans', () => {
  const t = openTestLedger();
  try {
    const sale = t.ledger.addItem({ sku: 'DRK-001' });
    const { sale: after, fromFen } = t.ledger.overridePrice(sale.id, 1, 150);
    assert.equal(fromFen, sale.lines[0]?.unitPriceFen);
    assert.equal(after.totalFen, 150);
    assert.equal(t.ledger.addItem({ sku: 'DRK-001' }).lines.length, 2);
    throwsCode(() => t.ledger.overridePrice(sale.id, 9, 100), 'NOT_FOUND');
    t.ledger.setLineDiscount(sale.id, 1, 100);
    throwsCode(() => t.ledger.overridePrice(sale.id, 1, 50), 'AMOUNT_OUT_OF_RANGE');
  } finally {
    t.cleanup();
  }
});

test('settings default to a 20 % discount limit and can be changed', () => {
  const t = openTestLedger();
  try {
    assert.deepEqual(t.ledger.settings(), { discountLimitBp: 2000, autoPrintReceipt: true });
    t.ledger.setSettings({ discountLimitBp: 1500 });
    t.reopen();
    assert.deepEqual(t.ledger.settings(), { discountLimitBp: 1500, autoPrintReceipt: true });
    throwsCode(() => t.ledger.setSettings({ discountLimitBp: 10_001 }), 'VALIDATION');
    assert.equal(t.ledger.categories()[0]?.category, 'drinks');
    assert.equal(t.ledger.browseCategory('drinks', 3).length, 3);
  } finally {
    t.cleanup();
  }
});
