/** Managing staff in the ledger: names, roles, disabling, and who still has a demo PIN. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Staff, StaffRole } from '../contract';
import { seedDemoStaff } from './index';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';

function demo(t: TestLedger, role: StaffRole): Staff {
  const person = t.ledger.listStaff().find((s) => s.role === role);
  assert.ok(person, `a demo ${role}`);
  return person;
}

test('a disabled person cannot sign in or approve, keeps their history, and can be enabled again', () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const cashier = demo(t, 'cashier');
    t.ledger.openShift(0, cashier.id);
    const second = t.ledger.addStaff({ name: '赵经理', role: 'manager', pin: '246813' });

    const disabled = t.ledger.setStaffActive(cashier.id, false);
    assert.equal(disabled.active, false);
    throwsCode(() => t.ledger.verifyStaffPin(cashier.id, '1234'), 'NOT_FOUND');
    throwsCode(() => t.ledger.cashMovement('in', 100, 'change', cashier.id), 'SIGN_IN_REQUIRED');
    assert.ok(!t.ledger.listStaff().some((s) => s.id === cashier.id), 'not on the sign-in list');
    assert.deepEqual(
      t.ledger.listAllStaff().find((s) => s.id === cashier.id),
      { ...cashier, active: false },
      "still on the manager's list",
    );
    assert.equal(t.ledger.currentShift()?.openedBy?.name, cashier.name, 'the shift keeps the name');

    t.ledger.setStaffActive(second.id, false);
    throwsCode(() => t.ledger.verifyRolePin('manager', '246813'), 'PIN_WRONG');
    // A returning manager gets a new PIN: another manager may have been given the old one.
    t.ledger.addStaff({ name: '钱经理', role: 'manager', pin: '246813' });
    const e = throwsCode(() => t.ledger.setStaffActive(second.id, true), 'VALIDATION');
    assert.equal(e.field, 'pin');
    throwsCode(() => t.ledger.setStaffActive(second.id, true, '246813'), 'VALIDATION');
    t.ledger.setStaffActive(second.id, true, '975310');
    assert.equal(t.ledger.verifyRolePin('manager', '975310').id, second.id);

    t.ledger.setStaffActive(cashier.id, true);
    assert.equal(
      t.ledger.verifyStaffPin(cashier.id, '1234').id,
      cashier.id,
      'with the PIN they had',
    );
  } finally {
    t.cleanup();
  }
});

test('refused: disabling or demoting the last active manager, even by themselves', () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const boss = demo(t, 'manager');
    const e = throwsCode(() => t.ledger.setStaffActive(boss.id, false), 'VALIDATION');
    assert.match(e.message, /last active manager/);
    throwsCode(() => t.ledger.updateStaff(boss.id, { role: 'cashier' }), 'VALIDATION');
    assert.equal(t.ledger.verifyRolePin('manager', '888888').id, boss.id, 'nothing changed');

    // With a second manager, either may go.
    const other = t.ledger.addStaff({ name: '赵经理', role: 'manager', pin: '246813' });
    t.ledger.setStaffActive(boss.id, false);
    throwsCode(() => t.ledger.setStaffActive(other.id, false), 'VALIDATION');
  } finally {
    t.cleanup();
  }
});

test('names are unique, ignoring case and spaces, disabled people included', () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const cashier = demo(t, 'cashier');
    throwsCode(
      () => t.ledger.addStaff({ name: ` ${cashier.name} `, role: 'cashier', pin: '2580' }),
      'VALIDATION',
    );
    const anna = t.ledger.addStaff({ name: 'Anna', role: 'cashier', pin: '2580' });
    throwsCode(
      () => t.ledger.addStaff({ name: 'ANNA', role: 'cashier', pin: '2581' }),
      'VALIDATION',
    );
    throwsCode(() => t.ledger.updateStaff(cashier.id, { name: 'anna' }), 'VALIDATION');
    // Renaming someone to their own name (another spelling) is fine.
    assert.equal(t.ledger.updateStaff(anna.id, { name: 'ANNA' }).name, 'ANNA');
    t.ledger.setStaffActive(anna.id, false);
    const e = throwsCode(
      () => t.ledger.addStaff({ name: 'anna', role: 'cashier', pin: '2581' }),
      'VALIDATION',
    );
    assert.match(e.message, /enable them instead/);
    throwsCode(
      () => t.ledger.addStaff({ name: '   ', role: 'cashier', pin: '2581' }),
      'VALIDATION',
    );
  } finally {
    t.cleanup();
  }
});

test("a cashier becomes a manager only with a new manager's PIN; a rename keeps the PIN", () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const cashier = demo(t, 'cashier');
    const renamed = t.ledger.updateStaff(cashier.id, { name: '李小红' });
    assert.deepEqual(renamed, { ...cashier, name: '李小红' });
    assert.equal(t.ledger.verifyStaffPin(cashier.id, '1234').name, '李小红');

    const e = throwsCode(() => t.ledger.updateStaff(cashier.id, { role: 'manager' }), 'VALIDATION');
    assert.equal(e.field, 'pin');
    throwsCode(
      () => t.ledger.updateStaff(cashier.id, { role: 'manager', pin: '2468' }),
      'VALIDATION',
    );
    throwsCode(
      () => t.ledger.updateStaff(cashier.id, { role: 'manager', pin: '888888' }),
      'VALIDATION',
    );
    const promoted = t.ledger.updateStaff(cashier.id, { role: 'manager', pin: '135792' });
    assert.equal(promoted.role, 'manager');
    assert.equal(t.ledger.verifyRolePin('manager', '135792').id, cashier.id);
    throwsCode(() => t.ledger.updateStaff('nobody', { name: 'x' }), 'NOT_FOUND');
  } finally {
    t.cleanup();
  }
});

test('the demo PINs in use are named until each is changed', () => {
  const t = openTestLedger();
  try {
    seedDemoStaff(t.ledger);
    const manager = demo(t, 'manager');
    const cashier = demo(t, 'cashier');
    assert.deepEqual(
      t.ledger.staffOnDemoPins().map((s) => s.id),
      [manager.id, cashier.id],
    );
    t.ledger.setStaffPin(manager.id, '135792');
    assert.deepEqual(
      t.ledger.staffOnDemoPins().map((s) => s.id),
      [cashier.id],
    );
    t.ledger.setStaffPin(cashier.id, '2580');
    assert.deepEqual(t.ledger.staffOnDemoPins(), []);
  } finally {
    t.cleanup();
  }
});
