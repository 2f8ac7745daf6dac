/** Manager approvals are enforced by the core at the moment of the action, whatever the screen. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { EventName } from '../contract';
import { createPosCore, type PosCore } from './core';
import { discountNeedsApproval } from './handlers';
import { call, demoStaffId, refusal, signInCashier } from './test-support/calls';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newCore(): { core: PosCore; dataDir: string } {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-core-approvals-'));
  dirs.push(dataDir);
  const core = createPosCore({
    dataDir,
    shopName: 'Test Shop',
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
    defaultLocale: 'zh-CN',
  });
  return { core, dataDir };
}

test('refund, void of a paid sale, price override, big discounts and Z need a manager PIN', async () => {
  const { core } = newCore();
  const events: EventName[] = [];
  core.onEvent((name) => events.push(name));
  try {
    await signInCashier(core);
    await call(core, 'shift.open', { floatFen: 0 });
    let sale = await call(core, 'sale.addItem', { sku: 'DRK-001', qty: 10 });
    // 20 % of the line is allowed without a PIN; more needs one.
    sale = await call(core, 'sale.setLineDiscount', {
      saleId: sale.id,
      lineNo: 1,
      discountFen: 400,
    });
    assert.equal(sale.lineDiscountFen, 400);
    const big = { saleId: sale.id, lineNo: 1, discountFen: 401 };
    assert.equal(await refusal(core, 'sale.setLineDiscount', big), 'PIN_REQUIRED');
    assert.equal(
      await refusal(core, 'sale.setLineDiscount', { ...big, managerPin: '1234' }),
      'PIN_WRONG',
      "a cashier's PIN is not a manager's",
    );
    sale = await call(core, 'sale.setLineDiscount', { ...big, managerPin: '888888' });
    assert.equal(sale.lineDiscountFen, 401);
    assert.equal(
      await refusal(core, 'sale.setSaleDiscount', { saleId: sale.id, discountFen: 1000 }),
      'PIN_REQUIRED',
    );
    assert.equal(
      await refusal(core, 'sale.overridePrice', { saleId: sale.id, lineNo: 1, unitPriceFen: 100 }),
      'PIN_REQUIRED',
    );
    sale = await call(core, 'sale.setLineDiscount', { saleId: sale.id, lineNo: 1, discountFen: 0 });
    sale = await call(core, 'sale.overridePrice', {
      saleId: sale.id,
      lineNo: 1,
      unitPriceFen: 150,
      managerPin: '888888',
    });
    assert.equal(sale.totalFen, 1500);
    const paid = await call(core, 'sale.pay', { saleId: sale.id, method: 'card', amountFen: 1500 });

    assert.equal(
      await refusal(core, 'refund.create', { saleId: paid.id, reason: 'broken' }),
      'PIN_REQUIRED',
    );
    assert.equal(
      await refusal(core, 'refund.create', {
        saleId: paid.id,
        lines: [{ lineNo: 1, qty: 11 }],
        reason: 'broken',
        managerPin: '888888',
      }),
      'REFUND_EXCEEDS_PAID',
    );
    const part = await call(core, 'refund.create', {
      saleId: paid.id,
      lines: [{ lineNo: 1, qty: 2 }],
      reason: 'broken',
      managerPin: '888888',
    });
    assert.equal(part.amountFen, 300);
    assert.equal(
      await refusal(core, 'sale.voidCompleted', { saleId: paid.id, reason: 'void' }),
      'PIN_REQUIRED',
    );
    const rest = await call(core, 'sale.voidCompleted', {
      saleId: paid.id,
      reason: 'void',
      managerPin: '888888',
    });
    assert.equal(rest.amountFen, 1200);
    assert.deepEqual(await call(core, 'sale.refundable', { saleId: paid.id }), [
      { lineNo: 1, qty: 10, refundedQty: 10 },
    ]);

    await call(core, 'shift.close', { countedFen: 0 });
    assert.equal(await refusal(core, 'report.z', {}), 'PIN_REQUIRED');
    const z = await call(core, 'report.z', { managerPin: '888888' });
    assert.equal(z.number, 1);
    assert.equal(
      await refusal(core, 'report.z', { businessDate: z.businessDate, managerPin: '888888' }),
      'Z_ALREADY_TAKEN',
    );

    const approvals = core.ledger.listApprovals();
    assert.deepEqual(approvals.map((a) => a.action).reverse(), [
      'discount.line',
      'price.override',
      'refund',
      'sale.voidCompleted',
      'report.z',
    ]);
    const status = await call(core, 'sync.status', {});
    assert.equal(status.state, 'offline');
    assert.equal(status.pendingEvents, core.ledger.pendingOutboxCount());
    assert.ok(events.includes('sync.status'));
  } finally {
    core.close();
  }
});

test('sign in and out, the manager session, posters from the data directory', async () => {
  const { core, dataDir } = newCore();
  const changes: unknown[] = [];
  core.onEvent((name, payload) => {
    if (name === 'auth.changed') changes.push(payload);
  });
  try {
    assert.equal(await call(core, 'auth.current', {}), null);
    assert.equal(
      await refusal(core, 'auth.signIn', { staffId: demoStaffId(core, 'cashier'), pin: '0000' }),
      'PIN_WRONG',
    );
    const cashier = await call(core, 'auth.signIn', {
      staffId: demoStaffId(core, 'cashier'),
      pin: '1234',
    });
    assert.equal(cashier.role, 'cashier');
    assert.deepEqual(await call(core, 'auth.current', {}), cashier);
    assert.equal(await refusal(core, 'manager.signIn', { pin: '1234' }), 'PIN_WRONG');
    const session = await call(core, 'manager.signIn', { pin: '888888' });
    assert.equal(session.manager.role, 'manager');
    assert.deepEqual(await call(core, 'auth.current', {}), cashier, 'the till keeps its cashier');
    await call(core, 'auth.signOut', {});
    assert.equal(await call(core, 'manager.current', {}), null, 'signing out ends it too');
    assert.equal(changes.length, 2);

    assert.equal((await call(core, 'display.posters', {})).length, 3);
    const own = [
      {
        id: 'x',
        image: 'posters/x.png',
        title: { 'zh-CN': '甲', en: 'A' },
        text: { 'zh-CN': '乙', en: 'B' },
      },
    ];
    writeFileSync(join(dataDir, 'posters.json'), JSON.stringify(own));
    assert.deepEqual(await call(core, 'display.posters', {}), own);
    writeFileSync(join(dataDir, 'posters.json'), '{not json');
    assert.equal((await call(core, 'display.posters', {})).length, 3);
  } finally {
    core.close();
  }
});

test('the discount limit is integer arithmetic on fen', () => {
  assert.equal(discountNeedsApproval(200, 1000, 2000), false);
  assert.equal(discountNeedsApproval(201, 1000, 2000), true);
  assert.equal(discountNeedsApproval(1, 0, 2000), true);
  assert.equal(discountNeedsApproval(0, 0, 2000), false);
});

test("attack: a cashier guessing the manager's PIN at approvals is locked out of approvals, and signing in again does not reset it", async () => {
  const { core, dataDir } = newCore();
  try {
    await signInCashier(core);
    await call(core, 'shift.open', { floatFen: 0 });
    const sale = await call(core, 'sale.addItem', { sku: 'DRK-001' });
    const paid = await call(core, 'sale.pay', {
      saleId: sale.id,
      method: 'cash',
      amountFen: sale.totalFen,
    });
    // The old hole: after each wrong guess, the cashier's own correct PIN reset the count.
    const outcomes: string[] = [];
    for (let guess = 0; guess < 8; guess++) {
      outcomes.push(
        await refusal(core, 'refund.create', {
          saleId: paid.id,
          reason: 'guess',
          managerPin: String(100_000 + guess),
        }),
      );
      await signInCashier(core);
    }
    assert.deepEqual(outcomes.slice(0, 5), Array(5).fill('PIN_WRONG'));
    assert.deepEqual(outcomes.slice(5), Array(3).fill('PIN_LOCKED'));
    // Even the manager's right PIN waits out the lock on approvals...
    assert.equal(
      await refusal(core, 'refund.create', { saleId: paid.id, reason: 'x', managerPin: '888888' }),
      'PIN_LOCKED',
    );
    // ...while the cashier and the manager each still sign in at the till as themselves.
    assert.equal((await signInCashier(core)).role, 'cashier');
    const manager = await call(core, 'auth.signIn', {
      staffId: demoStaffId(core, 'manager'),
      pin: '888888',
    });
    assert.equal(manager.role, 'manager');
    // A manager sees who tried, when and what it earned.
    const session = await call(core, 'manager.signIn', { pin: '888888' }).catch(() => null);
    assert.equal(session, null, "the managers' bucket is still locked for a session too");
    const attempts = core.ledger.pinAttempts(50);
    const cashierId = demoStaffId(core, 'cashier');
    assert.ok(
      attempts.some(
        (a) =>
          a.role === 'manager' &&
          a.by?.id === cashierId &&
          a.outcome === 'wrong' &&
          a.lockedUntil !== null,
      ),
    );
  } finally {
    core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('five wrong PINs at sign-in for one person lock only that person', async () => {
  const { core, dataDir } = newCore();
  try {
    const managerId = demoStaffId(core, 'manager');
    for (let i = 0; i < 5; i++)
      assert.equal(
        await refusal(core, 'auth.signIn', { staffId: managerId, pin: String(200_000 + i) }),
        'PIN_WRONG',
      );
    assert.equal(
      await refusal(core, 'auth.signIn', { staffId: managerId, pin: '888888' }),
      'PIN_LOCKED',
    );
    assert.equal((await signInCashier(core)).role, 'cashier');
    assert.equal((await call(core, 'manager.signIn', { pin: '888888' })).manager.id, managerId);
    // The manager's screen lists the attempts, newest first: this session's PIN (any manager's,
    // accepted), the locked one, and the five wrong ones before it.
    const attempts = await call(core, 'staff.pinAttempts', { limit: 10 });
    const forManager = attempts.filter((a) => a.staff?.id === managerId);
    assert.deepEqual(
      forManager.map((a) => a.outcome),
      ['accepted', 'locked', 'wrong', 'wrong', 'wrong', 'wrong', 'wrong'],
    );
    assert.equal(forManager[0]?.role, 'manager');
    assert.ok(forManager[2]?.lockedUntil, 'the fifth wrong PIN earned a lock');
    assert.deepEqual((await call(core, 'auth.staff', {})).map((s) => s.role).sort(), [
      'cashier',
      'manager',
    ]);
  } finally {
    core.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
