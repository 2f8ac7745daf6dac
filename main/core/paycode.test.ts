/**
 * Payment codes at the till: `sale.payByCode` through the core, the real Alipay and WeChat Pay
 * adapters, and the loopback gateways that verify signatures and keep the buyer's money
 * (payments/test-support). Each test is something a buyer, a network or a crash can do; the
 * gateway's charged trades are what left the buyer's account, the ledger what the till recorded.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MAX_AMOUNT_FEN, type EventPayload, type Sale } from '../contract';
import { createPosCore, type PosCore } from './core';
import type { Logger } from './logger';
import {
  AlipayAcquirer,
  AttemptJournal,
  outTradeNo,
  WechatPayAcquirer,
  type Acquirer,
} from './payments';
import { AlipayGateway, makeRsaPair, type RsaPair } from './payments/test-support/alipay-gateway';
import { FakeClock } from './payments/test-support/fake-clock';
import { WechatPayGateway } from './payments/test-support/wechatpay-gateway';
import { call, callerFor, refusal, signInCashier } from './test-support/calls';

const ALIPAY_APP = '2021000000000001';
const ALIPAY_CODE = '284112345678901234';
const WX = {
  appId: 'wx2421b1c4370ec43b',
  mchId: '10000100',
  apiKey: '192006250b4c09247ec02edce69f6a2d',
};
const WECHAT_CODE = '134567890123456789';

let app: RsaPair;
let alipayKeys: RsaPair;
let alipay: AlipayGateway;
let wechat: WechatPayGateway;
const dirs: string[] = [];
const cores: PosCore[] = [];

before(() => {
  app = makeRsaPair();
  alipayKeys = makeRsaPair();
});

beforeEach(async () => {
  await alipay?.close();
  await wechat?.close();
  alipay = await AlipayGateway.start({
    appId: ALIPAY_APP,
    appPublicKeyPem: app.publicPem,
    alipayPrivateKeyPem: alipayKeys.privatePem,
  });
  wechat = await WechatPayGateway.start(WX);
});

after(async () => {
  cores.forEach((c) => c.close());
  await alipay.close();
  await wechat.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function acquirers(): Partial<Record<'alipay' | 'wechat', Acquirer>> {
  return {
    alipay: new AlipayAcquirer(
      { appId: ALIPAY_APP, gateway: alipay.url, timeoutMs: 400 },
      { appPrivateKeyPem: app.privatePem, alipayPublicKeyPem: alipayKeys.publicPem },
    ),
    wechat: new WechatPayAcquirer(
      { appId: WX.appId, mchId: WX.mchId, baseUrl: wechat.url, timeoutMs: 300 },
      { apiKey: WX.apiKey },
    ),
  };
}

function startCore(dataDir?: string, withAcquirers = true, logger?: Logger) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'pos-paycode-'));
  if (dataDir === undefined) dirs.push(dir);
  const clock = new FakeClock();
  const core = createPosCore(
    {
      dataDir: dir,
      shopName: 'Test Shop',
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
      defaultLocale: 'zh-CN',
    },
    logger,
    { payments: withAcquirers ? { acquirers: acquirers(), clock } : { acquirers: {} } },
  );
  cores.push(core);
  const progress: EventPayload<'paycode.progress'>[] = [];
  const completed: Sale[] = [];
  core.onEvent((name, payload) => {
    if (name === 'paycode.progress') progress.push(payload as EventPayload<'paycode.progress'>);
    if (name === 'sale.completed') completed.push((payload as { sale: Sale }).sale);
  });
  return { core, dir, clock, progress, completed };
}

async function openSale(core: PosCore, qty = 2): Promise<Sale> {
  await signInCashier(core);
  if (core.ledger.currentShift() === null) await call(core, 'shift.open', { floatFen: 0 });
  return call(core, 'sale.addItem', { sku: 'DRK-001', qty });
}

describe('sale.payByCode', () => {
  it('Alipay answers at once: the sale completes with one alipay payment of the due amount', async () => {
    const { core, dir, progress, completed } = startCore();
    await core.payCode.recovered;
    const sale = await openSale(core);
    const result = await call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE });
    assert.equal(result.status, 'paid');
    assert.ok(result.status === 'paid');
    assert.equal(result.sale.status, 'completed');
    assert.deepEqual(
      result.sale.payments.map((p) => [p.method, p.amountFen]),
      [['alipay', sale.totalFen]],
    );
    assert.equal(alipay.chargedTrades().length, 1);
    assert.equal(alipay.chargedTrades()[0]?.amountFen, sale.totalFen);
    assert.equal(completed.length, 1);
    assert.deepEqual(
      progress.map((p) => p.stage),
      ['charging'],
    );
    // The code is never echoed whole: the events carry its ends only.
    assert.equal(progress[0]?.masked, '2841…1234');
    assert.equal(JSON.stringify(progress).includes(ALIPAY_CODE), false);
    assert.equal(core.ledger.acquirerPaymentsOf(sale.id)[0]?.outTradeNo, outTradeNo(sale.id, 1));
    assert.equal(statSync(join(dir, 'payments.db')).mode & 0o777, 0o600);
  });

  it('WeChat Pay: the buyer confirms on the phone (USERPAYING), the till counts down, then paid', async () => {
    const { core, progress } = startCore();
    const sale = await openSale(core);
    wechat.script('/pay/micropay', 'wait');
    wechat.confirmAfterQueries = 2;
    const result = await call(core, 'sale.payByCode', { saleId: sale.id, code: WECHAT_CODE });
    assert.ok(result.status === 'paid');
    assert.equal(result.sale.payments[0]?.method, 'wechat');
    const waiting = progress.filter((p) => p.stage === 'waiting_for_buyer');
    assert.ok(waiting.length >= 2);
    assert.equal(waiting[0]?.secondsLeft, 30);
    assert.ok((waiting.at(-1)?.secondsLeft ?? 30) < 30, 'the countdown moves');
    assert.equal(wechat.chargedTrades().length, 1);
  });

  it('a buyer who never confirms: 30 s of asking, then cancelled; nothing charged, sale open', async () => {
    const { core, progress, clock } = startCore();
    const sale = await openSale(core);
    alipay.script('alipay.trade.pay', 'wait');
    alipay.confirmAfterQueries = Infinity;
    const result = await call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE });
    assert.equal(result.status, 'refused');
    assert.ok(result.status === 'refused');
    assert.equal(result.code, 'BUYER_TIMEOUT');
    assert.ok(clock.slept.reduce((a, b) => a + b, 0) >= 30_000);
    assert.equal(progress.at(-1)?.stage, 'cancelling');
    assert.equal(alipay.calls('alipay.trade.cancel').length, 1);
    assert.equal(alipay.chargedTrades().length, 0);
    const now = await call(core, 'sale.get', { saleId: sale.id });
    assert.equal(now.status, 'open');
    assert.equal(now.payments.length, 0);
  });

  it("ACQ.SYSTEM_ERROR and silence: asked, then cancelled; refused in the acquirer's words", async () => {
    const { core } = startCore();
    const sale = await openSale(core);
    for (const behaviour of ['system_error', 'silence'] as const) {
      alipay.script('alipay.trade.pay', behaviour);
      const result = await call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE });
      assert.equal(result.status, 'refused', behaviour);
      assert.ok(result.status === 'refused' && result.message.length > 0);
    }
    assert.equal(alipay.chargedTrades().length, 0);
    assert.equal((await call(core, 'sale.get', { saleId: sale.id })).payments.length, 0);
  });

  it("a declined code comes back with the acquirer's reason; the next code pays under a new number", async () => {
    const { core } = startCore();
    const sale = await openSale(core);
    alipay.script('alipay.trade.pay', {
      refuse: 'ACQ.BUYER_BALANCE_NOT_ENOUGH',
      message: 'Buyer balance is not enough',
    });
    const refused = await call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE });
    assert.ok(refused.status === 'refused');
    assert.equal(refused.code, 'ACQ.BUYER_BALANCE_NOT_ENOUGH');
    const paid = await call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE });
    assert.ok(paid.status === 'paid');
    assert.equal(core.ledger.acquirerPaymentsOf(sale.id)[0]?.outTradeNo, outTradeNo(sale.id, 2));
  });

  it('the same code scanned twice (at once, and again after): one charge, one payment', async () => {
    const { core } = startCore();
    const sale = await openSale(core);
    alipay.script('alipay.trade.pay', 'wait');
    const [a, b] = await Promise.all([
      call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE }),
      call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE }),
    ]);
    assert.ok(a.status === 'paid' && b.status === 'paid');
    assert.equal(a.sale.status, 'completed');
    assert.equal(b.sale.status, 'completed');
    assert.equal(alipay.calls('alipay.trade.pay').length, 1);
    assert.equal(alipay.chargedTrades().length, 1);
    assert.equal(core.ledger.getSale(sale.id).payments.length, 1);
    // Once the sale is paid, a third scan of it changes nothing.
    const again = await core.dispatch(
      'sale.payByCode',
      { saleId: sale.id, code: ALIPAY_CODE },
      callerFor(core),
    );
    assert.equal(again.ok, false);
    assert.equal(alipay.chargedTrades().length, 1);
  });

  it('killed between the charge and its answer: on restart recover() puts the money on its sale, once', async () => {
    const first = startCore();
    const sale = await openSale(first.core);
    first.core.close();
    // What a till killed mid-charge leaves: the attempt written as pending, the buyer charged.
    const journal = new AttemptJournal(join(first.dir, 'payments.db'));
    const no = outTradeNo(sale.id, 1);
    journal.begin({
      outTradeNo: no,
      saleId: sale.id,
      attempt: 1,
      acquirer: 'alipay',
      scheme: 'alipay',
      amountFen: sale.totalFen,
    });
    await acquirers().alipay?.payByCode({
      outTradeNo: no,
      amountFen: sale.totalFen,
      code: ALIPAY_CODE,
      subject: 'Test Shop',
    });
    journal.close();

    const second = startCore(first.dir);
    await second.core.payCode.recovered;
    // Recorded under whoever signs in next (a payment names its operator).
    await signInCashier(second.core);
    await second.core.payCode.idle();
    const paid = second.core.ledger.getSale(sale.id);
    assert.deepEqual(
      paid.payments.map((p) => [p.method, p.amountFen]),
      [['alipay', sale.totalFen]],
    );
    assert.equal(second.completed.length, 1);
    second.core.close();

    // Another restart hands nothing out again, and a new scan is not a second charge.
    const third = startCore(first.dir);
    await third.core.payCode.recovered;
    assert.equal(third.core.payCode.waitingToRecord, 0);
    assert.equal(alipay.calls('alipay.trade.pay').length, 1);
    assert.equal(alipay.chargedTrades().length, 1);
  });

  it('money for a sale voided while the till was down goes back to the buyer, never on a sale', async () => {
    const first = startCore();
    const sale = await openSale(first.core);
    await call(first.core, 'sale.void', { saleId: sale.id });
    first.core.close();
    const journal = new AttemptJournal(join(first.dir, 'payments.db'));
    const no = outTradeNo(sale.id, 1);
    journal.begin({
      outTradeNo: no,
      saleId: sale.id,
      attempt: 1,
      acquirer: 'alipay',
      scheme: 'alipay',
      amountFen: sale.totalFen,
    });
    await acquirers().alipay?.payByCode({
      outTradeNo: no,
      amountFen: sale.totalFen,
      code: ALIPAY_CODE,
      subject: 'Test Shop',
    });
    journal.close();
    const second = startCore(first.dir);
    await second.core.payCode.recovered;
    await signInCashier(second.core);
    await second.core.payCode.idle();
    assert.equal(alipay.calls('alipay.trade.refund').length, 1);
    const trade = alipay.trades.get(no);
    assert.equal(trade?.refunds.size, 1);
    assert.equal(second.core.ledger.acquirerPaymentsOf(sale.id).length, 0);
  });

  it('bad input is refused before any request: malformed, foreign, product codes, nothing due', async () => {
    const { core } = startCore();
    const sale = await openSale(core);
    for (const code of ['12345', '6901234567892', '88' + '1'.repeat(16), '28411234567890123x']) {
      assert.equal(await refusal(core, 'sale.payByCode', { saleId: sale.id, code }), 'VALIDATION');
    }
    // A code for a sale that is not open (voided): refused, not charged.
    await call(core, 'sale.void', { saleId: sale.id });
    assert.equal(
      await refusal(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE }),
      'SALE_NOT_OPEN',
    );
    assert.equal(alipay.received.length, 0);
    assert.equal(wechat.received.length, 0);
  });

  it('over-limit and zero amounts are refused before any request (AMOUNT_OUT_OF_RANGE)', async () => {
    const { core } = startCore();
    // One line at the line limit (100 × ¥10,000 by a manager's override) and one more item:
    // the sale is above what one payment may be.
    const sale = await openSale(core, 100);
    await call(core, 'sale.overridePrice', {
      saleId: sale.id,
      lineNo: 1,
      unitPriceFen: 1_000_000,
      managerPin: '888888',
    });
    const big = await call(core, 'sale.addItem', { sku: 'DRK-002', qty: 1 });
    assert.ok(big.dueFen > MAX_AMOUNT_FEN);
    assert.equal(
      await refusal(core, 'sale.payByCode', { saleId: big.id, code: ALIPAY_CODE }),
      'AMOUNT_OUT_OF_RANGE',
    );
    // A 100 % discount: nothing is due, so there is nothing to charge.
    await call(core, 'sale.removeLine', { saleId: big.id, lineNo: 1 });
    const small = core.ledger.getSale(big.id);
    await call(core, 'sale.setSaleDiscount', {
      saleId: big.id,
      discountFen: small.subtotalFen - small.lineDiscountFen,
      managerPin: '888888',
    });
    assert.equal(core.ledger.getSale(big.id).dueFen, 0);
    assert.equal(
      await refusal(core, 'sale.payByCode', { saleId: big.id, code: ALIPAY_CODE }),
      'AMOUNT_OUT_OF_RANGE',
    );
    assert.equal(alipay.received.length, 0);
  });

  it('without an acquirer: NOT_SUPPORTED naming the wallet; the till still records QR and card', async () => {
    const { core } = startCore(undefined, false);
    const sale = await openSale(core);
    const reply = await core.dispatch(
      'sale.payByCode',
      { saleId: sale.id, code: ALIPAY_CODE },
      callerFor(core),
    );
    assert.ok(!reply.ok);
    assert.equal(reply.error.code, 'NOT_SUPPORTED');
    assert.equal(reply.error.message, 'No acquirer is configured for Alipay codes.');
    const paid = await call(core, 'sale.pay', {
      saleId: sale.id,
      method: 'qr',
      amountFen: sale.totalFen,
    });
    assert.equal(paid.status, 'completed');
  });

  it("attack: sale.pay with an acquirer's method is refused (a client cannot type a payment in)", async () => {
    const { core } = startCore();
    const sale = await openSale(core);
    for (const method of ['alipay', 'wechat', 'unionpay', 'stored_value']) {
      const code = await refusal(core, 'sale.pay', {
        saleId: sale.id,
        method,
        amountFen: sale.totalFen,
        reference: '2026120622001400001',
      });
      assert.equal(code, 'VALIDATION', method);
    }
    assert.equal(core.ledger.getSale(sale.id).payments.length, 0);
  });

  it('a refund of a code-paid sale goes back through Alipay first, keyed by the refund id, then is recorded', async () => {
    const { core } = startCore();
    const sale = await openSale(core, 3);
    const paid = await call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE });
    assert.ok(paid.status === 'paid');
    // No manager PIN: refused before the acquirer hears of it.
    assert.equal(
      await refusal(core, 'refund.create', { saleId: sale.id, reason: 'broken' }),
      'PIN_REQUIRED',
    );
    assert.equal(alipay.calls('alipay.trade.refund').length, 0);

    const refund = await call(core, 'refund.create', {
      saleId: sale.id,
      lines: [{ lineNo: 1, qty: 1 }],
      reason: 'broken',
      managerPin: '888888',
    });
    const asked = alipay.calls('alipay.trade.refund');
    assert.equal(asked.length, 1);
    assert.equal(asked[0]?.biz.out_request_no, refund.id);
    assert.equal(asked[0]?.biz.out_trade_no, outTradeNo(sale.id, 1));
    assert.deepEqual(
      refund.byMethod.map((m) => [m.method, m.amountFen]),
      [['alipay', refund.amountFen]],
    );
    const trade = alipay.trades.get(outTradeNo(sale.id, 1));
    assert.equal(trade?.refunds.get(refund.id)?.amountFen, refund.amountFen);
    assert.equal(core.ledger.verifyAudit().ok, true);
  });

  it('Alipay refuses the refund: ACQUIRER_REFUND_FAILED and nothing is recorded', async () => {
    const { core } = startCore();
    const sale = await openSale(core);
    const paid = await call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE });
    assert.ok(paid.status === 'paid');
    alipay.script('alipay.trade.refund', { refuse: 'ACQ.SELLER_BALANCE_NOT_ENOUGH' });
    assert.equal(
      await refusal(core, 'sale.voidCompleted', {
        saleId: sale.id,
        reason: 'wrong sale',
        managerPin: '888888',
      }),
      'ACQUIRER_REFUND_FAILED',
    );
    assert.equal(core.ledger.refundableLines(sale.id)[0]?.refundedQty, 0);
    // Asked again (the acquirer has the money now): the void goes through, refunded once.
    const refund = await call(core, 'sale.voidCompleted', {
      saleId: sale.id,
      reason: 'wrong sale',
      managerPin: '888888',
    });
    assert.equal(refund.amountFen, sale.totalFen);
    const trade = alipay.trades.get(outTradeNo(sale.id, 1));
    assert.equal(trade?.refunds.size, 1);
  });

  it('the code and the keys never reach the log, the ledger or the journal files', async () => {
    const lines: string[] = [];
    const capture: Logger = {
      info: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
      warn: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
      error: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
    };
    const { core, dir } = startCore(undefined, true, capture);
    const sale = await openSale(core);
    alipay.script('alipay.trade.pay', { refuse: 'ACQ.PAYMENT_AUTH_CODE_INVALID' });
    await call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE });
    const paid = await call(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE });
    assert.ok(paid.status === 'paid');
    assert.ok(lines.some((l) => l.includes('acquirer paid')));
    const keyBody = app.privatePem.split('\n')[1] as string;
    const files = readdirSync(dir)
      .filter((f) => !statSync(join(dir, f)).isDirectory())
      .map((f) => readFileSync(join(dir, f)).toString('latin1'));
    for (const text of [lines.join('\n'), ...files]) {
      assert.equal(text.includes(ALIPAY_CODE), false);
      assert.equal(text.includes(keyBody), false);
    }
  });

  it('needs someone signed in at the till, and a customer display may not use it', async () => {
    const { core } = startCore();
    const sale = await openSale(core);
    await call(core, 'auth.signOut', {});
    assert.equal(
      await refusal(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE }),
      'SIGN_IN_REQUIRED',
    );
    const customer = core.openCaller('customer');
    assert.equal(
      await refusal(core, 'sale.payByCode', { saleId: sale.id, code: ALIPAY_CODE }, customer),
      'FORBIDDEN',
    );
    assert.equal(alipay.received.length, 0);
  });
});
