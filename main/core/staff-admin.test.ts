/** Staff management through the core: who may do it, what each change records, what it ends. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Channel } from '../contract';
import { createPosCore, type PosCore } from './core';
import {
  call,
  callerFor,
  DEMO_MANAGER_PIN,
  demoStaffId,
  managerSession,
  refusal,
  signInCashier,
} from './test-support/calls';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newCore(): PosCore {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-core-staff-'));
  dirs.push(dataDir);
  return createPosCore({
    dataDir,
    shopName: 'Test Shop',
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
    defaultLocale: 'zh-CN',
  });
}

const approved = { managerPin: DEMO_MANAGER_PIN };

/** Every staff-management request, well formed, as an attacker would send it. */
function managerRequests(core: PosCore): [Channel, unknown][] {
  const cashier = demoStaffId(core, 'cashier');
  return [
    ['staff.all', {}],
    ['staff.demoPins', {}],
    ['staff.add', { name: 'Mallory', role: 'manager', pin: '135792', ...approved }],
    ['staff.update', { staffId: cashier, role: 'manager', pin: '135792', ...approved }],
    ['staff.setActive', { staffId: demoStaffId(core, 'manager'), active: false, ...approved }],
    ['staff.setPin', { staffId: cashier, pin: '2580', ...approved }],
  ];
}

test("attack: a cashier's screen and the customer display cannot manage staff, even with the manager's PIN", async () => {
  const core = newCore();
  try {
    await signInCashier(core);
    const customer = callerFor(core, 'customer');
    for (const [channel, payload] of managerRequests(core)) {
      assert.equal(await refusal(core, channel, payload), 'MANAGER_REQUIRED', channel);
      assert.equal(await refusal(core, channel, payload, customer), 'FORBIDDEN', channel);
    }
    assert.equal(
      await refusal(
        core,
        'staff.changeOwnPin',
        {
          staffId: demoStaffId(core, 'cashier'),
          currentPin: '1234',
          pin: '2580',
        },
        customer,
      ),
      'FORBIDDEN',
    );
    // Nothing changed: the same two people, the same PINs.
    assert.equal(core.ledger.listAllStaff().length, 2);
    assert.equal(core.ledger.staffOnDemoPins().length, 2);
    assert.equal(core.ledger.listApprovals().length, 0);
  } finally {
    core.close();
  }
});

test('the manager adds a cashier, who signs in with the new PIN; each change is an approval and an outbox event', async () => {
  const core = newCore();
  try {
    await managerSession(core);
    assert.equal(
      await refusal(core, 'staff.add', { name: '周收银', role: 'cashier', pin: '2580' }),
      'PIN_REQUIRED',
    );
    const zhou = await call(core, 'staff.add', {
      name: '周收银',
      role: 'cashier',
      pin: '2580',
      ...approved,
    });
    await call(core, 'staff.update', { staffId: zhou.id, name: '周小收', ...approved });
    await call(core, 'staff.setActive', { staffId: zhou.id, active: false, ...approved });
    await call(core, 'staff.setActive', { staffId: zhou.id, active: true, ...approved });
    await call(core, 'staff.setPin', { staffId: zhou.id, pin: '3690', ...approved });

    const signedIn = await call(core, 'auth.signIn', { staffId: zhou.id, pin: '3690' });
    assert.deepEqual(signedIn, { id: zhou.id, name: '周小收', role: 'cashier' });

    const managerId = demoStaffId(core, 'manager');
    const approvals = core.ledger.listApprovals().reverse();
    assert.deepEqual(
      approvals.map((a) => [a.action, a.ref, a.staffId]),
      [
        ['staff.add', zhou.id, managerId],
        ['staff.update', zhou.id, managerId],
        ['staff.disable', zhou.id, managerId],
        ['staff.enable', zhou.id, managerId],
        ['staff.setPin', zhou.id, managerId],
      ],
    );
    const events = core.ledger
      .pendingOutbox(100)
      .filter((e) => e.type === 'approval.used')
      .map((e) => e.payload as { action: string; ref: string });
    assert.deepEqual(
      events.map((e) => [e.action, e.ref]),
      approvals.map((a) => [a.action, a.ref]),
    );
    const written = JSON.stringify(core.ledger.pendingOutbox(100)) + JSON.stringify(approvals);
    for (const pin of ['2580', '3690']) assert.ok(!written.includes(pin), 'no PIN is recorded');
  } finally {
    core.close();
  }
});

test('bad input is refused and changes nothing: guessable, short, duplicate, last manager', async () => {
  const core = newCore();
  try {
    await managerSession(core);
    const add = (name: string, role: 'cashier' | 'manager', pin: string) =>
      refusal(core, 'staff.add', { name, role, pin, ...approved });
    assert.equal(await add('A', 'cashier', '1111'), 'VALIDATION', 'one digit repeated');
    assert.equal(await add('A', 'cashier', '1234'), 'VALIDATION', 'the demo PIN, a run');
    assert.equal(await add('A', 'cashier', '9876'), 'VALIDATION', 'a run down');
    assert.equal(await add('A', 'manager', '888888'), 'VALIDATION', "the demo manager's");
    assert.equal(await add('A', 'cashier', '258'), 'VALIDATION', 'too short');
    assert.equal(await add('A', 'manager', '25803'), 'VALIDATION', 'short for a manager');
    assert.equal(await add('王店长', 'cashier', '2580'), 'VALIDATION', 'a taken name');
    const managerId = demoStaffId(core, 'manager');
    assert.equal(
      await refusal(core, 'staff.setActive', { staffId: managerId, active: false, ...approved }),
      'VALIDATION',
      'the last manager disabling themselves',
    );
    assert.equal(
      await refusal(core, 'staff.update', { staffId: managerId, role: 'cashier', ...approved }),
      'VALIDATION',
      'the last manager demoting themselves',
    );
    assert.equal(core.ledger.listAllStaff().length, 2);
    assert.equal(core.ledger.listApprovals().length, 0);
    assert.ok((await call(core, 'manager.current', {})) !== null, 'still the manager');
  } finally {
    core.close();
  }
});

test('disabling the person at the till signs them out; a disabled manager loses their session', async () => {
  const core = newCore();
  try {
    const cashier = demoStaffId(core, 'cashier');
    await signInCashier(core);
    await managerSession(core);
    await call(core, 'staff.setActive', { staffId: cashier, active: false, ...approved });
    assert.equal(await call(core, 'auth.current', {}), null);
    assert.equal(
      await refusal(core, 'auth.signIn', { staffId: cashier, pin: '1234' }),
      'NOT_FOUND',
    );

    const boss2 = await call(core, 'staff.add', {
      name: '赵经理',
      role: 'manager',
      pin: '135792',
      ...approved,
    });
    const other = core.openCaller('staff');
    await call(core, 'manager.signIn', { pin: '135792' }, other);
    await call(core, 'staff.setActive', { staffId: boss2.id, active: false, ...approved });
    assert.equal(await call(core, 'manager.current', {}, other), null);
    assert.equal(await refusal(core, 'staff.all', {}, other), 'MANAGER_REQUIRED');
  } finally {
    core.close();
  }
});

test('each person changes their own PIN with their current one, nobody else’s', async () => {
  const core = newCore();
  try {
    const cashier = demoStaffId(core, 'cashier');
    const manager = demoStaffId(core, 'manager');
    const own = { staffId: cashier, currentPin: '1234', pin: '2580' };
    assert.equal(await refusal(core, 'staff.changeOwnPin', own), 'SIGN_IN_REQUIRED');
    await signInCashier(core);
    assert.equal(
      await refusal(core, 'staff.changeOwnPin', {
        staffId: manager,
        currentPin: DEMO_MANAGER_PIN,
        pin: '135792',
      }),
      'FORBIDDEN',
      "the cashier cannot change the manager's PIN, even knowing it",
    );
    const reply = await core.dispatch(
      'staff.changeOwnPin',
      { ...own, currentPin: '4321' },
      callerFor(core),
    );
    assert.ok(!reply.ok && reply.error.code === 'PIN_WRONG');
    assert.equal(!reply.ok && reply.error.field, 'currentPin');
    assert.equal(await refusal(core, 'staff.changeOwnPin', { ...own, pin: '0000' }), 'VALIDATION');

    await call(core, 'staff.changeOwnPin', own);
    assert.equal(
      await refusal(core, 'auth.signIn', { staffId: cashier, pin: '1234' }),
      'PIN_WRONG',
    );
    await call(core, 'auth.signIn', { staffId: cashier, pin: '2580' });
    const last = core.ledger.listApprovals(1)[0];
    assert.deepEqual([last?.action, last?.staffId], ['staff.changeOwnPin', cashier]);

    // The manager on their own screen, with nobody's sign-in needed at the till.
    const screen = core.openCaller('staff');
    await call(core, 'auth.signOut', {});
    await managerSession(core, screen);
    await call(
      core,
      'staff.changeOwnPin',
      { staffId: manager, currentPin: DEMO_MANAGER_PIN, pin: '135792' },
      screen,
    );
    assert.deepEqual(core.ledger.staffOnDemoPins(), []);
  } finally {
    core.close();
  }
});
