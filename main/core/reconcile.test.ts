/**
 * Issue 10 (reports): a day's reconciliation with an acquirer, `report.reconcile`, through the
 * core, the real Alipay adapter and the loopback Alipay gateway (payments/test-support), whose
 * day bill is the zip of GBK CSV Alipay serves. The gateway's trades are what the buyer paid;
 * the ledger is what the till recorded; the reconciliation sets one against the other.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { reconciliation as reconciliationSchema, type Sale } from '../contract';
import { createPosCore, type PosCore } from './core';
import { AlipayAcquirer, outTradeNo } from './payments';
import { AlipayGateway, makeRsaPair, type RsaPair } from './payments/test-support/alipay-gateway';
import { FakeClock } from './payments/test-support/fake-clock';
import { call, managerSession, refusal, signInCashier } from './test-support/calls';

const ALIPAY_APP = '2021000000000001';
const ALIPAY_CODE = '284112345678901234';

let app: RsaPair;
let alipayKeys: RsaPair;
let alipay: AlipayGateway;
const dirs: string[] = [];
const cores: PosCore[] = [];

before(() => {
  app = makeRsaPair();
  alipayKeys = makeRsaPair();
});

beforeEach(async () => {
  await alipay?.close();
  alipay = await AlipayGateway.start({
    appId: ALIPAY_APP,
    appPublicKeyPem: app.publicPem,
    alipayPrivateKeyPem: alipayKeys.privatePem,
  });
});

after(async () => {
  cores.forEach((c) => c.close());
  await alipay.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function alipayAcquirer() {
  return new AlipayAcquirer(
    { appId: ALIPAY_APP, gateway: alipay.url, timeoutMs: 400 },
    { appPrivateKeyPem: app.privatePem, alipayPublicKeyPem: alipayKeys.publicPem },
  );
}

function startCore(): PosCore {
  const dir = mkdtempSync(join(tmpdir(), 'pos-reconcile-'));
  dirs.push(dir);
  const core = createPosCore(
    {
      dataDir: dir,
      shopName: 'Test Shop',
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
      defaultLocale: 'zh-CN',
    },
    undefined,
    { payments: { acquirers: { alipay: alipayAcquirer() }, clock: new FakeClock() } },
  );
  cores.push(core);
  return core;
}

/** Today in Shanghai: the day the gateway stamps its trades with (Beijing time). */
function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

async function sellByCode(core: PosCore, qty: number): Promise<Sale> {
  await signInCashier(core);
  if (core.ledger.currentShift() === null) await call(core, 'shift.open', { floatFen: 0 });
  const sale = await call(core, 'sale.addItem', { sku: 'DRK-001', qty });
  const paid = await call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE });
  assert.ok(paid.status === 'paid');
  return paid.sale;
}

async function reconcile(core: PosCore) {
  await managerSession(core);
  const r = await call(core, 'report.reconcile', { businessDate: today(), acquirer: 'alipay' });
  return reconciliationSchema.parse(r);
}

describe('report.reconcile (Alipay)', () => {
  it('a day with payments and a refund: every line matched, both sides total the same', async () => {
    const core = startCore();
    const first = await sellByCode(core, 3);
    const second = await sellByCode(core, 1);
    const refund = await call(core, 'refund.create', {
      saleId: first.id,
      lines: [{ lineNo: 1, qty: 1 }],
      reason: 'broken',
      managerPin: '888888',
    });
    const r = await reconcile(core);
    // (Two payments in the same second may list in either order.)
    assert.deepEqual(
      r.lines
        .map((l) => [l.status, l.ledger?.kind, l.ledger?.outTradeNo, l.ledger?.refundNo])
        .sort(),
      [
        ['matched', 'payment', outTradeNo(first.id, 1), ''],
        ['matched', 'payment', outTradeNo(second.id, 1), ''],
        ['matched', 'refund', outTradeNo(first.id, 1), refund.id],
      ].sort(),
    );
    assert.equal(r.balanced, true);
    assert.deepEqual(r.ledgerTotals, r.acquirerTotals);
    assert.deepEqual(r.ledgerTotals, {
      paymentsCount: 2,
      paymentsFen: first.totalFen + second.totalFen,
      refundsCount: 1,
      refundsFen: refund.amountFen,
      netFen: first.totalFen + second.totalFen - refund.amountFen,
    });
    // The acquirer's trade numbers are Alipay's, on both sides.
    const trade = alipay.trades.get(outTradeNo(first.id, 1));
    const line = r.lines.find((l) => l.ledger?.outTradeNo === outTradeNo(first.id, 1));
    assert.equal(line?.acquirer?.acquirerTradeNo, trade?.tradeNo);
    assert.equal(line?.ledger?.acquirerTradeNo, trade?.tradeNo);
  });

  it('money the ledger lacks (taken while the till was down, not yet recovered) is at the acquirer only', async () => {
    const core = startCore();
    const sale = await sellByCode(core, 2);
    // The charge reached Alipay, but the till never recorded it (killed before the answer).
    const lost = outTradeNo(randomUUID(), 1);
    const charged = await alipayAcquirer().payByCode({
      outTradeNo: lost,
      amountFen: 1234,
      code: ALIPAY_CODE,
      subject: 'Test Shop',
    });
    assert.equal(charged.kind, 'paid');
    const r = await reconcile(core);
    assert.deepEqual(
      r.lines.map((l) => [l.status, (l.ledger ?? l.acquirer)?.outTradeNo]),
      [
        ['matched', outTradeNo(sale.id, 1)],
        ['acquirer_only', lost],
      ],
    );
    assert.equal(r.lines[1]?.ledger, null);
    assert.equal(r.lines[1]?.acquirer?.amountFen, 1234);
    assert.equal(r.balanced, false);
    assert.equal(r.acquirerTotals.paymentsFen - r.ledgerTotals.paymentsFen, 1234);
    assert.equal(r.acquirerTotals.netFen - r.ledgerTotals.netFen, 1234);
  });

  it('an amount that differs is flagged, with both amounts; a reversed trade is in the ledger only', async () => {
    const core = startCore();
    const sale = await sellByCode(core, 2);
    const other = await sellByCode(core, 1);
    // Alipay's bill says another amount for the first trade than the till recorded.
    const trade = alipay.trades.get(outTradeNo(sale.id, 1));
    assert.ok(trade);
    trade.amountFen = sale.totalFen - 1;
    // And the second is gone from Alipay's list (say, reversed at Alipay's end).
    alipay.trades.delete(outTradeNo(other.id, 1));
    const r = await reconcile(core);
    assert.deepEqual(
      r.lines
        .map((l) => [l.status, l.ledger?.amountFen, l.acquirer?.amountFen ?? null])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      [
        ['amount_differs', sale.totalFen, sale.totalFen - 1],
        ['ledger_only', other.totalFen, null],
      ],
    );
    assert.equal(r.balanced, false);
  });

  it('Alipay unreachable: ACQUIRER_UNAVAILABLE, nothing half-compared; an acquirer not set up: NOT_SUPPORTED', async () => {
    const core = startCore();
    await sellByCode(core, 1);
    await managerSession(core);
    assert.equal(
      await refusal(core, 'report.reconcile', { businessDate: today(), acquirer: 'reference' }),
      'NOT_SUPPORTED',
    );
    assert.equal(
      await refusal(core, 'report.reconcile', { businessDate: '2025-13-01', acquirer: 'alipay' }),
      'VALIDATION',
    );
    await alipay.close();
    assert.equal(
      await refusal(core, 'report.reconcile', { businessDate: today(), acquirer: 'alipay' }),
      'ACQUIRER_UNAVAILABLE',
    );
  });

  it("attack: the cashier's screen, a customer display and a register may not read the acquirer's money", async () => {
    const core = startCore();
    await sellByCode(core, 1);
    const asked = () => alipay.calls('alipay.data.dataservice.bill.downloadurl.query').length;
    const payload = { businessDate: today(), acquirer: 'alipay' };
    // Signed in as the cashier, without a manager session on this screen.
    assert.equal(await refusal(core, 'report.reconcile', payload), 'MANAGER_REQUIRED');
    assert.equal(
      await refusal(core, 'report.reconcile', payload, core.openCaller('customer')),
      'FORBIDDEN',
    );
    assert.equal(asked(), 0, 'refused before the acquirer is asked');
  });
});
