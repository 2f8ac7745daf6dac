/**
 * The pay-by-code flow through the real Alipay adapter (alipay-sdk, RSA2 both ways) against the
 * loopback gateway that verifies signatures and keeps trade state. Each test is one thing a
 * cashier, a network or an attacker can do; the gateway's ledger of trades is the buyer's money.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { MAX_AMOUNT_FEN, PosError } from '../../contract';
import type { Logger } from '../logger';
import { AlipayAcquirer } from './acquirers/alipay';
import { AttemptJournal } from './journal';
import { PayByCode, type PayProgress } from './pay-by-code';
import { isPaidTrade } from './proof';
import { AlipayGateway, makeRsaPair, type RsaPair } from './test-support/alipay-gateway';
import { FakeClock } from './test-support/fake-clock';
import { outTradeNo } from './trade-no';

const APP_ID = '2021000000000001';
const CODE = '284112345678901234'; // Alipay: 28 + 16 digits
const SALE = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

let app: RsaPair;
let alipay: RsaPair;
let gateway: AlipayGateway;
let dir: string;
let journal: AttemptJournal;
let clock: FakeClock;
let saleN = 0;

function newSale(): string {
  saleN += 1;
  return `0193a1b2-c3d4-7e5f-8a9b-${String(saleN).padStart(12, '0')}`;
}

function acquirer(keys: Partial<{ appPrivateKeyPem: string }> = {}): AlipayAcquirer {
  return new AlipayAcquirer(
    { appId: APP_ID, gateway: gateway.url, timeoutMs: 400 },
    {
      appPrivateKeyPem: keys.appPrivateKeyPem ?? app.privatePem,
      alipayPublicKeyPem: alipay.publicPem,
    },
  );
}

function flow(logger?: Logger, a: AlipayAcquirer = acquirer()): PayByCode {
  return new PayByCode({
    acquirers: { alipay: a },
    journal,
    clock,
    ...(logger === undefined ? {} : { logger }),
  });
}

before(async () => {
  app = makeRsaPair();
  alipay = makeRsaPair();
});

beforeEach(async () => {
  await gateway?.close();
  journal?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  gateway = await AlipayGateway.start({
    appId: APP_ID,
    appPublicKeyPem: app.publicPem,
    alipayPrivateKeyPem: alipay.privatePem,
  });
  dir = mkdtempSync(join(tmpdir(), 'acq-'));
  journal = new AttemptJournal(join(dir, 'payments.db'));
  clock = new FakeClock();
});

after(async () => {
  await gateway.close();
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Alipay pay by code', () => {
  it('pays at once: one signed bar_code request, a minted proof, the journal file owner-only', async () => {
    const sale = newSale();
    const result = await flow().pay({ saleId: sale, amountFen: 1234, code: CODE, subject: 'Shop' });
    assert.equal(result.status, 'paid');
    assert.ok(result.status === 'paid' && isPaidTrade(result.trade));
    if (result.status !== 'paid') return;
    assert.equal(result.trade.amountFen, 1234);
    assert.equal(result.trade.saleId, sale);
    assert.equal(result.trade.acquirer, 'alipay');
    assert.equal(result.trade.buyer, 'lem***@alipay.com');
    const calls = gateway.calls('alipay.trade.pay');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.signatureValid, true);
    assert.deepEqual(
      {
        scene: calls[0]?.biz.scene,
        auth: calls[0]?.biz.auth_code,
        amount: calls[0]?.biz.total_amount,
        no: calls[0]?.biz.out_trade_no,
      },
      { scene: 'bar_code', auth: CODE, amount: '12.34', no: outTradeNo(sale, 1) },
    );
    assert.equal(gateway.chargedTrades().length, 1);
    assert.equal(statSync(join(dir, 'payments.db')).mode & 0o777, 0o600);
  });

  it('a proof rebuilt from JSON is not a proof', async () => {
    const result = await flow().pay({
      saleId: newSale(),
      amountFen: 500,
      code: CODE,
      subject: 'S',
    });
    assert.ok(result.status === 'paid');
    if (result.status !== 'paid') return;
    const copy = JSON.parse(JSON.stringify(result.trade)) as unknown;
    assert.deepEqual(copy, { ...result.trade });
    assert.equal(isPaidTrade(copy), false);
    assert.throws(() => {
      (result.trade as { amountFen: number }).amountFen = 1;
    }, TypeError);
  });

  it('waits while the buyer confirms (WAIT_BUYER_PAY), then paid on query', async () => {
    gateway.script('alipay.trade.pay', 'wait');
    gateway.confirmAfterQueries = 2;
    const seen: PayProgress[] = [];
    const result = await flow().pay({
      saleId: newSale(),
      amountFen: 990,
      code: CODE,
      subject: 'S',
      onProgress: (p) => seen.push(p),
    });
    assert.equal(result.status, 'paid');
    assert.ok(seen.includes('waiting_for_buyer'));
    assert.equal(gateway.calls('alipay.trade.pay').length, 1);
    assert.equal(gateway.calls('alipay.trade.query').length, 3);
    assert.ok(clock.slept.every((ms) => ms === 3_000));
    assert.equal(gateway.chargedTrades().length, 1);
  });

  it('a buyer who never confirms: polled for 30 s, then cancelled; nothing charged', async () => {
    gateway.script('alipay.trade.pay', 'wait');
    gateway.confirmAfterQueries = Infinity;
    const result = await flow().pay({
      saleId: newSale(),
      amountFen: 990,
      code: CODE,
      subject: 'S',
    });
    assert.equal(result.status, 'refused');
    assert.equal(result.status === 'refused' && result.code, 'BUYER_TIMEOUT');
    assert.equal(gateway.calls('alipay.trade.cancel').length, 1);
    assert.equal(
      clock.slept.reduce((a, b) => a + b, 0),
      30_000,
    );
    assert.equal(gateway.chargedTrades().length, 0);
    assert.equal([...gateway.trades.values()][0]?.status, 'TRADE_CLOSED');
  });

  it('charged, then the answer is lost (silence / dropped line): query finds it paid, once', async () => {
    for (const behaviour of ['act_then_silence', 'act_then_drop'] as const) {
      gateway.script('alipay.trade.pay', behaviour);
      const sale = newSale();
      const result = await flow().pay({ saleId: sale, amountFen: 700, code: CODE, subject: 'S' });
      assert.equal(result.status, 'paid', behaviour);
      assert.equal(result.status === 'paid' && result.trade.outTradeNo, outTradeNo(sale, 1));
    }
    // The HTTP client may resend a request whose connection dropped; under the same out_trade_no
    // Alipay answers ACQ.TRADE_HAS_SUCCESS, so resending never charges twice.
    const numbers = new Set(gateway.calls('alipay.trade.pay').map((call) => call.biz.out_trade_no));
    assert.equal(numbers.size, 2);
    assert.equal(gateway.chargedTrades().length, 2);
    assert.equal(gateway.calls('alipay.trade.cancel').length, 0);
  });

  it('ACQ.SYSTEM_ERROR, HTTP 500 or silence without a charge: query, then cancel; never paid', async () => {
    for (const behaviour of ['system_error', 'http_500', 'silence'] as const) {
      gateway.script('alipay.trade.pay', behaviour);
      const result = await flow().pay({
        saleId: newSale(),
        amountFen: 700,
        code: CODE,
        subject: 'S',
      });
      assert.equal(result.status, 'refused', behaviour);
    }
    assert.equal(gateway.chargedTrades().length, 0);
    assert.equal(gateway.calls('alipay.trade.cancel').length, 3);
  });

  it('the same code scanned twice: one charge, both scans get the same payment', async () => {
    gateway.script('alipay.trade.pay', 'wait');
    const sale = newSale();
    const payments = flow();
    const [first, second] = await Promise.all([
      payments.pay({ saleId: sale, amountFen: 1500, code: CODE, subject: 'S' }),
      payments.pay({ saleId: sale, amountFen: 1500, code: CODE, subject: 'S' }),
    ]);
    const third = await payments.pay({ saleId: sale, amountFen: 1500, code: CODE, subject: 'S' });
    assert.equal(first.status, 'paid');
    assert.equal(second, first);
    assert.equal(third.status, 'paid');
    assert.equal(third.status === 'paid' && third.replayed, true);
    assert.equal(
      third.status === 'paid' && first.status === 'paid' && third.trade.acquirerTradeNo,
      first.status === 'paid' && first.trade.acquirerTradeNo,
    );
    assert.equal(gateway.calls('alipay.trade.pay').length, 1);
    assert.equal(gateway.chargedTrades().length, 1);
  });

  it('ACQ.TRADE_HAS_SUCCESS (the number was already paid): paid by query, no second charge', async () => {
    const sale = newSale();
    // An earlier life of the terminal charged attempt 1 and lost its journal.
    await acquirer().payByCode({
      outTradeNo: outTradeNo(sale, 1),
      amountFen: 300,
      code: CODE,
      subject: 'S',
    });
    const result = await flow().pay({ saleId: sale, amountFen: 300, code: CODE, subject: 'S' });
    assert.equal(result.status, 'paid');
    assert.equal(gateway.calls('alipay.trade.pay').length, 2);
    assert.equal(gateway.chargedTrades().length, 1);
  });

  it('a refusal carries the reason in words; a new scan then pays under a new number', async () => {
    gateway.script('alipay.trade.pay', {
      refuse: 'ACQ.BUYER_BALANCE_NOT_ENOUGH',
      message: '余额不足',
    });
    const sale = newSale();
    const payments = flow();
    const refused = await payments.pay({ saleId: sale, amountFen: 800, code: CODE, subject: 'S' });
    assert.equal(refused.status, 'refused');
    if (refused.status !== 'refused') return;
    assert.equal(refused.code, 'ACQ.BUYER_BALANCE_NOT_ENOUGH');
    assert.match(refused.message, /balance is not enough/);
    const paid = await payments.pay({ saleId: sale, amountFen: 800, code: CODE, subject: 'S' });
    assert.equal(paid.status === 'paid' && paid.trade.outTradeNo, outTradeNo(sale, 2));
    assert.equal(gateway.chargedTrades().length, 1);
  });

  it('a forged "paid" (signed with another key, nothing charged) is never taken for paid', async () => {
    gateway.script('alipay.trade.pay', 'forged_paid');
    const result = await flow().pay({
      saleId: newSale(),
      amountFen: 100,
      code: CODE,
      subject: 'S',
    });
    assert.equal(result.status, 'refused');
    assert.equal(gateway.chargedTrades().length, 0);
  });

  it('every answer forged: unknown, kept open, and the sale takes no new charge until settled', async () => {
    const forged = Array<'forged'>(12).fill('forged');
    gateway.script('alipay.trade.pay', 'forged_paid');
    gateway.script('alipay.trade.query', ...forged);
    gateway.script('alipay.trade.cancel', ...forged);
    const sale = newSale();
    const payments = flow();
    const result = await payments.pay({ saleId: sale, amountFen: 100, code: CODE, subject: 'S' });
    assert.equal(result.status, 'unknown');
    assert.equal(journal.unresolved().length, 1);
    // Scanned again: the open attempt is asked about first (still forged), no second charge.
    const again = await payments.pay({ saleId: sale, amountFen: 100, code: CODE, subject: 'S' });
    assert.equal(again.status, 'unknown');
    assert.equal(gateway.calls('alipay.trade.pay').length, 1);
    // Once Alipay answers honestly, recovery settles it (nothing was charged: cancelled).
    gateway.script('alipay.trade.query');
    (gateway as unknown as { scripts: Map<string, unknown[]> }).scripts.clear();
    const recovered = await payments.recover();
    assert.equal(recovered.length, 1);
    assert.equal(recovered[0]?.status, 'refused');
    assert.equal(journal.unresolved().length, 0);
  });

  it('a terminal that died mid-charge recovers on start: paid once (handed out until recorded), or cancelled', async () => {
    const paidSale = newSale();
    const lostSale = newSale();
    for (const [sale, charge] of [
      [paidSale, true],
      [lostSale, false],
    ] as const) {
      journal.begin({
        outTradeNo: outTradeNo(sale, 1),
        saleId: sale,
        attempt: 1,
        acquirer: 'alipay',
        scheme: 'alipay',
        amountFen: 250,
      });
      if (charge)
        await acquirer().payByCode({
          outTradeNo: outTradeNo(sale, 1),
          amountFen: 250,
          code: CODE,
          subject: 'S',
        });
    }
    journal.close();
    journal = new AttemptJournal(join(dir, 'payments.db'));
    const results = await flow().recover();
    assert.deepEqual(
      results.map((r) => r.status),
      ['paid', 'refused'],
    );
    // Until the ledger says it recorded the payment, every start hands the proof out again.
    const payments = flow();
    const second = await payments.recover();
    assert.equal(second.length, 1);
    assert.equal(second[0]?.status === 'paid' && second[0].trade.saleId, paidSale);
    if (second[0]?.status === 'paid') payments.recorded(second[0].trade);
    assert.deepEqual(await payments.recover(), []);
    const proof = second[0]?.status === 'paid' ? second[0].trade : null;
    assert.ok(proof !== null);
    assert.throws(() => payments.recorded({ ...proof }), /not a payment proof/);
    const again = await payments.pay({
      saleId: paidSale,
      amountFen: 250,
      code: CODE,
      subject: 'S',
    });
    assert.equal(again.status === 'paid' && again.replayed, true);
    assert.equal(gateway.calls('alipay.trade.pay').length, 1);
    assert.equal(gateway.chargedTrades().length, 1);
  });

  it('zero, negative, fractional and over-limit amounts are refused before any request', async () => {
    for (const amountFen of [0, -100, 12.5, MAX_AMOUNT_FEN + 1, Number.NaN]) {
      await assert.rejects(
        () => flow().pay({ saleId: newSale(), amountFen, code: CODE, subject: 'S' }),
        (error: unknown) => PosError.is(error) && error.code === 'AMOUNT_OUT_OF_RANGE',
        String(amountFen),
      );
    }
    assert.equal(gateway.received.length, 0);
  });

  it('malformed, foreign and product codes are refused before any request; WeChat without keys too', async () => {
    for (const code of [
      '',
      '28411234',
      '4006381333931',
      '99112345678901234567',
      '28a112345678901234',
    ]) {
      await assert.rejects(
        () => flow().pay({ saleId: newSale(), amountFen: 100, code, subject: 'S' }),
        (error: unknown) =>
          PosError.is(error) && error.code === 'VALIDATION' && error.field === 'code',
        code,
      );
    }
    await assert.rejects(
      () => flow().pay({ saleId: 'sale-1', amountFen: 100, code: CODE, subject: 'S' }),
      (error: unknown) => PosError.is(error) && error.field === 'saleId',
    );
    await assert.rejects(
      () =>
        flow().pay({ saleId: newSale(), amountFen: 100, code: '134567890123456789', subject: 'S' }),
      (error: unknown) =>
        PosError.is(error) && error.code === 'NOT_SUPPORTED' && /WeChat Pay/.test(error.message),
    );
    assert.equal(gateway.received.length, 0);
  });

  it('a request signed with the wrong app key is refused by Alipay: refused, nothing charged', async () => {
    const stranger = makeRsaPair();
    const result = await flow(undefined, acquirer({ appPrivateKeyPem: stranger.privatePem })).pay({
      saleId: newSale(),
      amountFen: 100,
      code: CODE,
      subject: 'S',
    });
    assert.equal(result.status, 'refused');
    assert.equal(result.status === 'refused' && result.code, 'isv.invalid-signature');
    assert.equal(gateway.received[0]?.signatureValid, false);
    assert.equal(gateway.trades.size, 0);
  });

  it('keys and payment codes never reach the log or a serialised acquirer', async () => {
    const lines: string[] = [];
    const capture: Logger = {
      info: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
      warn: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
      error: (m, f) => lines.push(m + JSON.stringify(f ?? {})),
    };
    gateway.script('alipay.trade.pay', 'wait', { refuse: 'ACQ.PAYMENT_AUTH_CODE_INVALID' });
    gateway.confirmAfterQueries = Infinity;
    const a = acquirer();
    await flow(capture, a).pay({ saleId: newSale(), amountFen: 100, code: CODE, subject: 'S' });
    await flow(capture, a).pay({ saleId: newSale(), amountFen: 100, code: CODE, subject: 'S' });
    const keyBody = app.privatePem.split('\n')[1] as string;
    const text = lines.join('\n') + JSON.stringify(a) + String(a);
    assert.ok(lines.length > 0);
    assert.ok(!text.includes(keyBody));
    assert.ok(!text.includes(CODE));
  });
});

describe('Alipay QR, refunds', () => {
  it('precreate gives a QR; once scanned, query says paid', async () => {
    const a = acquirer();
    const no = outTradeNo(SALE, 1);
    const qr = await a.precreate({
      outTradeNo: no,
      amountFen: 4200,
      subject: 'S',
      expiresInMinutes: 5,
    });
    assert.equal(qr.kind, 'qr');
    if (qr.kind !== 'qr') return;
    assert.equal((await a.query(no)).kind, 'waiting');
    gateway.scanAndPay(qr.qrCode);
    const paid = await a.query(no);
    assert.equal(paid.kind === 'paid' && paid.amountFen, 4200);
    assert.equal(gateway.calls('alipay.trade.precreate')[0]?.biz.timeout_express, '5m');
  });

  it('refunds once per refund number; the refund query finds it; over-refund is refused', async () => {
    const a = acquirer();
    const no = outTradeNo(SALE, 1);
    await a.payByCode({ outTradeNo: no, amountFen: 1000, code: CODE, subject: 'S' });
    const request = { outTradeNo: no, refundNo: 'R1', amountFen: 400, totalFen: 1000 };
    assert.equal((await a.refund(request)).kind, 'refunded');
    assert.equal((await a.refund(request)).kind, 'refunded');
    assert.equal((await a.refundQuery(no, 'R2')).kind, 'not_found');
    const found = await a.refundQuery(no, 'R1');
    assert.equal(found.kind === 'refunded' && found.amountFen, 400);
    const over = await a.refund({ ...request, refundNo: 'R3', amountFen: 700 });
    assert.equal(over.kind, 'refused');
    const trade = gateway.trades.get(no);
    assert.equal(
      [...(trade?.refunds.values() ?? [])].reduce((s, r) => s + r.amountFen, 0),
      400,
    );
  });

  it('the day bill (zip of GBK CSV) lists the payments and refunds as Alipay saw them', async () => {
    const a = acquirer();
    const paidNo = outTradeNo(SALE, 1);
    const reversedNo = outTradeNo(SALE, 2);
    await a.payByCode({ outTradeNo: paidNo, amountFen: 1000, code: CODE, subject: 'S' });
    await a.payByCode({ outTradeNo: reversedNo, amountFen: 50, code: CODE, subject: 'S' });
    await a.cancel(reversedNo);
    await a.refund({ outTradeNo: paidNo, refundNo: 'R1', amountFen: 250, totalFen: 1000 });
    const lines = await a.settlementList('2026-12-06');
    assert.deepEqual(
      lines.map((l) => [l.kind, l.outTradeNo, l.amountFen, l.refundNo ?? '']),
      [
        ['payment', paidNo, 1000, ''],
        ['refund', paidNo, 250, 'R1'],
      ],
    );
    assert.equal(
      gateway.calls('alipay.data.dataservice.bill.downloadurl.query')[0]?.biz.bill_date,
      '2026-12-06',
    );
  });

  it('silence, a server error and a dead gateway are unknown, each with its own code', async () => {
    const a = acquirer();
    const no = outTradeNo(SALE, 1);
    gateway.script('alipay.trade.query', 'silence', 'http_500');
    const codes = [];
    for (let i = 0; i < 2; i++) {
      const outcome = await a.query(no);
      codes.push(outcome.kind === 'unknown' ? outcome.code : outcome.kind);
    }
    await gateway.close();
    const dead = await a.query(no);
    codes.push(dead.kind === 'unknown' ? dead.code : dead.kind);
    assert.deepEqual(codes, ['TIMEOUT', 'HTTP_5XX', 'NETWORK']);
  });

  it('a forged query answer is unknown, never paid', async () => {
    const a = acquirer();
    const no = outTradeNo(SALE, 1);
    gateway.script('alipay.trade.query', 'forged_paid');
    const outcome = await a.query(no);
    assert.equal(outcome.kind, 'unknown');
    assert.equal(outcome.kind === 'unknown' && outcome.code, 'BAD_SIGNATURE');
  });
});
