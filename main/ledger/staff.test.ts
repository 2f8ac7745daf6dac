import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { PosError, type Staff, type StaffRole } from '../contract';
import { Ledger, seedDemoStaff } from './index';
import { hashPin, lockDurationMs, MAX_FAILURES, MAX_LOCK_MS, pinMatches } from './staff';
import {
  openTestLedger,
  TEST_AUDIT_KEY,
  TEST_PIN_PEPPER,
  throwsCode,
  type TestLedger,
} from './test-support/helpers';

/** The demo person of this role. */
function demo(t: TestLedger, role: StaffRole): Staff {
  const person = t.ledger.listStaff().find((s) => s.role === role);
  assert.ok(person, `a demo ${role}`);
  return person;
}

function rawHashes(t: TestLedger): { id: string; pin_hash: string }[] {
  t.ledger.close();
  const raw = new Database(t.file, { readonly: true });
  const rows = raw.prepare('SELECT id, pin_hash FROM staff ORDER BY rowid').all() as {
    id: string;
    pin_hash: string;
  }[];
  raw.close();
  t.reopen();
  return rows;
}

test('demo staff are seeded once, PINs stored keyed with the pepper and salted per person', () => {
  const t = openTestLedger();
  try {
    const seeded = seedDemoStaff(t.ledger);
    assert.deepEqual(
      seeded.map((s) => [s.role, s.pin]),
      [
        ['manager', '888888'],
        ['cashier', '1234'],
      ],
    );
    assert.deepEqual(seedDemoStaff(t.ledger), [], 'a second start seeds nobody');
    const rows = rawHashes(t);
    for (const r of rows) {
      assert.match(r.pin_hash, /^hscrypt\$16384\$8\$1\$[0-9a-f]{32}\$[0-9a-f]{64}$/);
      assert.ok(!r.pin_hash.includes('888888') && !r.pin_hash.includes('1234'));
    }
    assert.notEqual(rows[0]?.pin_hash.split('$')[4], rows[1]?.pin_hash.split('$')[4]);
  } finally {
    t.cleanup();
  }
});

test('attack: the ledger file alone cannot be cracked: its PIN hashes do not verify without the pepper', () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const [manager, cashier] = rawHashes(t);
    assert.ok(manager && cashier);
    // The right PIN, checked the way a thief with only ledger.db would (no pepper, or a guessed one).
    assert.equal(pinMatches('888888', manager.pin_hash, null), false);
    assert.equal(pinMatches('1234', cashier.pin_hash, Buffer.alloc(32)), false);
    // Even a plain scrypt of the PIN under the stored salt is not the stored hash.
    const salt = Buffer.from(manager.pin_hash.split('$')[4] ?? '', 'hex');
    assert.notEqual(hashPin('888888', null, salt).split('$')[5], manager.pin_hash.split('$')[5]);
    // With the terminal's pepper it verifies.
    assert.equal(pinMatches('888888', manager.pin_hash, TEST_PIN_PEPPER), true);
    // And a ledger opened with another pepper (a copy on another machine) accepts no PIN.
    t.reopen({ pinPepper: Buffer.alloc(32, 9) });
    throwsCode(() => t.ledger.verifyStaffPin(cashier.id, '1234'), 'PIN_WRONG');
  } finally {
    t.cleanup();
  }
});

test('an old unpeppered hash still verifies and is rewritten peppered on the next correct PIN', () => {
  // A ledger of the last release, whose hashes were made without a pepper.
  const old = openTestLedger({ pinPepper: undefined });
  try {
    seedDemoStaff(old.ledger);
    const cashier = demo(old, 'cashier');
    old.ledger.close();
    const hashOf = () => {
      const raw = new Database(old.file, { readonly: true });
      const row = raw.prepare('SELECT pin_hash FROM staff WHERE id = ?').get(cashier.id) as {
        pin_hash: string;
      };
      raw.close();
      return row.pin_hash;
    };
    assert.match(hashOf(), /^scrypt\$/);
    const peppered = Ledger.open({
      auditKey: TEST_AUDIT_KEY,
      file: old.file,
      now: old.clock.now,
      pinPepper: TEST_PIN_PEPPER,
    });
    try {
      assert.equal(peppered.verifyStaffPin(cashier.id, '1234').id, cashier.id);
      assert.match(hashOf(), /^hscrypt\$/);
      assert.equal(peppered.verifyStaffPin(cashier.id, '1234').id, cashier.id);
      throwsCode(() => peppered.verifyStaffPin(cashier.id, '4321'), 'PIN_WRONG');
    } finally {
      peppered.close();
    }
    old.ledger = Ledger.open({
      auditKey: TEST_AUDIT_KEY,
      file: old.file,
      now: old.clock.now,
      pinPepper: TEST_PIN_PEPPER,
    });
  } finally {
    old.cleanup();
  }
});

test("a person's PIN signs that person in; a role filter refuses the others", () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const cashier = demo(t, 'cashier');
    const manager = demo(t, 'manager');
    assert.equal(t.ledger.verifyStaffPin(cashier.id, '1234').role, 'cashier');
    assert.equal(
      t.ledger.verifyStaffPin(manager.id, '888888', { roles: ['manager'] }).role,
      'manager',
    );
    throwsCode(
      () => t.ledger.verifyStaffPin(cashier.id, '1234', { roles: ['manager'] }),
      'PIN_WRONG',
    );
    throwsCode(() => t.ledger.verifyStaffPin(manager.id, '1234'), 'PIN_WRONG');
    throwsCode(() => t.ledger.verifyStaffPin(cashier.id, '12'), 'VALIDATION');
    throwsCode(() => t.ledger.verifyStaffPin('nobody', '1234'), 'NOT_FOUND');
    assert.equal(t.ledger.verifyRolePin('manager', '888888').id, manager.id);
    throwsCode(() => t.ledger.verifyRolePin('manager', '1234'), 'PIN_WRONG');
    t.ledger.setStaffPin(cashier.id, '4321');
    throwsCode(() => t.ledger.verifyStaffPin(cashier.id, '1234'), 'PIN_WRONG');
    assert.equal(t.ledger.verifyStaffPin(cashier.id, '4321').id, cashier.id);
  } finally {
    t.cleanup();
  }
});

test("a manager's PIN is at least 6 digits, a cashier's at least 4; managers' PINs are distinct", () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const manager = demo(t, 'manager');
    const e = throwsCode(() => t.ledger.setStaffPin(manager.id, '4321'), 'VALIDATION');
    assert.match(e.message, /at least 6 digits/);
    throwsCode(
      () => t.ledger.addStaff({ name: 'Boss', role: 'manager', pin: '12345' }),
      'VALIDATION',
    );
    throwsCode(
      () => t.ledger.addStaff({ name: 'Boss', role: 'manager', pin: '888888' }),
      'VALIDATION',
    );
    t.ledger.addStaff({ name: 'Boss', role: 'manager', pin: '246813' });
    t.ledger.addStaff({ name: 'New', role: 'cashier', pin: '1234' });
    assert.equal(t.ledger.verifyStaffPin(manager.id, '888888').id, manager.id);
    // The shop may ask for longer PINs, never shorter ones.
    throwsCode(() => t.ledger.setSettings({ cashierPinDigits: 3 }), 'VALIDATION');
    throwsCode(() => t.ledger.setSettings({ managerPinDigits: 5 }), 'VALIDATION');
    t.ledger.setSettings({ cashierPinDigits: 6 });
    const e6 = throwsCode(
      () => t.ledger.addStaff({ name: 'Short', role: 'cashier', pin: '4321' }),
      'VALIDATION',
    );
    assert.match(e6.message, /at least 6 digits/);
    t.ledger.addStaff({ name: 'Long', role: 'cashier', pin: '432109' });
  } finally {
    t.cleanup();
  }
});

test('wrong PINs lock only the person they were entered for, with a doubling wait that survives a restart', () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const cashier = demo(t, 'cashier');
    const manager = demo(t, 'manager');
    for (let i = 0; i < MAX_FAILURES; i++)
      throwsCode(() => t.ledger.verifyStaffPin(manager.id, '000000'), 'PIN_WRONG');
    // Even the right PIN is refused while locked...
    throwsCode(() => t.ledger.verifyStaffPin(manager.id, '888888'), 'PIN_LOCKED');
    t.reopen();
    throwsCode(() => t.ledger.verifyStaffPin(manager.id, '888888'), 'PIN_LOCKED');
    // ...but five wrong PINs against the manager lock nobody else out.
    assert.equal(t.ledger.verifyStaffPin(cashier.id, '1234').id, cashier.id);
    assert.equal(t.ledger.verifyRolePin('manager', '888888').id, manager.id);
    assert.equal(t.ledger.pinLockedUntil({ staffId: cashier.id }), null);
    t.clock.advance(lockDurationMs(MAX_FAILURES) + 1);
    assert.equal(t.ledger.verifyStaffPin(manager.id, '888888').role, 'manager');
    assert.equal(t.ledger.pinLockedUntil({ staffId: manager.id }), null);
    assert.equal(lockDurationMs(MAX_FAILURES + 1), 2 * lockDurationMs(MAX_FAILURES));
    assert.equal(lockDurationMs(50), 5 * 60_000);
  } finally {
    t.cleanup();
  }
});

test("attack: a cashier guessing the manager's PIN is locked on the managers' bucket, and their own PIN does not unlock it", () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const cashier = demo(t, 'cashier');
    const manager = demo(t, 'manager');
    // The old hole: guess, sign in with one's own PIN to reset the count, guess again.
    let locked = false;
    for (let guess = 0; guess < 20 && !locked; guess++) {
      try {
        t.ledger.verifyRolePin('manager', String(100_000 + guess), cashier.id);
      } catch (error) {
        if (PosError.is(error) && error.code === 'PIN_LOCKED') locked = true;
        else assert.ok(PosError.is(error) && error.code === 'PIN_WRONG');
      }
      assert.equal(t.ledger.verifyStaffPin(cashier.id, '1234').id, cashier.id);
    }
    assert.ok(locked, "the managers' bucket locked despite the cashier's own sign-ins");
    throwsCode(() => t.ledger.verifyRolePin('manager', '888888', cashier.id), 'PIN_LOCKED');
    // Picking the manager at sign-in is that manager's own bucket, locked the same way.
    for (let i = 0; i < MAX_FAILURES; i++)
      throwsCode(
        () => t.ledger.verifyStaffPin(manager.id, String(200_000 + i), { by: cashier.id }),
        'PIN_WRONG',
      );
    throwsCode(() => t.ledger.verifyStaffPin(manager.id, '888888'), 'PIN_LOCKED');
    // The manager sees who tried.
    const attempts = t.ledger.pinAttempts(50);
    const wrong = attempts.filter((a) => a.outcome === 'wrong' && a.by?.id === cashier.id);
    assert.ok(wrong.length >= 2 * MAX_FAILURES);
    assert.ok(wrong.some((a) => a.role === 'manager' && a.staff === null));
    assert.ok(wrong.some((a) => a.staff?.id === manager.id && a.lockedUntil !== null));
    assert.equal(attempts[0]?.outcome, 'locked');
    // Once the wait is over, the manager's correct PIN resets the managers' bucket.
    t.clock.advance(MAX_LOCK_MS + 1);
    assert.equal(t.ledger.verifyRolePin('manager', '888888').id, manager.id);
    assert.equal(t.ledger.pinLockedUntil({ role: 'manager' }), null);
  } finally {
    t.cleanup();
  }
});

test('an approved action is written with its approval and outbox event, or not at all', () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const manager = t.ledger.verifyRolePin('manager', '888888');
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
    const pins = { cashierPinDigits: 4, managerPinDigits: 6 };
    assert.deepEqual(t.ledger.settings(), {
      discountLimitBp: 2000,
      autoPrintReceipt: true,
      ...pins,
    });
    t.ledger.setSettings({ discountLimitBp: 1500 });
    t.reopen();
    assert.deepEqual(t.ledger.settings(), {
      discountLimitBp: 1500,
      autoPrintReceipt: true,
      ...pins,
    });
    throwsCode(() => t.ledger.setSettings({ discountLimitBp: 10_001 }), 'VALIDATION');
    assert.equal(t.ledger.categories()[0]?.category, 'drinks');
    assert.equal(t.ledger.browseCategory('drinks', 3).length, 3);
  } finally {
    t.cleanup();
  }
});
