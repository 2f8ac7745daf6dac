/**
 * The pay-by-code flow through the WeChat Pay v2 adapter (XML, HMAC-SHA256) against the loopback
 * gateway that checks signatures and keeps trade state. The gateway's trades are the buyer's money.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { WechatPayAcquirer } from './acquirers/wechatpay';
import { fromXml, toXml, wechatSign, wechatSignatureValid } from './acquirers/wechat-xml';
import { AttemptJournal } from './journal';
import { PayByCode } from './pay-by-code';
import { isPaidTrade } from './proof';
import { FakeClock } from './test-support/fake-clock';
import { WechatPayGateway } from './test-support/wechatpay-gateway';
import { outTradeNo } from './trade-no';

const APP_ID = 'wx2421b1c4370ec43b';
const MCH_ID = '10000100';
const API_KEY = '192006250b4c09247ec02edce69f6a2d';
const CODE = '134567890123456789'; // WeChat: 13 + 16 digits

let gateway: WechatPayGateway;
let dir: string;
let journal: AttemptJournal;
let clock: FakeClock;
let saleN = 0;

function newSale(): string {
  saleN += 1;
  return `0193a1b2-c3d4-7e5f-9a9b-${String(saleN).padStart(12, '0')}`;
}

function acquirer(apiKey = API_KEY): WechatPayAcquirer {
  return new WechatPayAcquirer(
    {
      appId: APP_ID,
      mchId: MCH_ID,
      baseUrl: gateway.url,
      timeoutMs: 300,
      deviceIp: '192.168.1.20',
    },
    { apiKey },
  );
}

function flow(a: WechatPayAcquirer = acquirer()): PayByCode {
  return new PayByCode({ acquirers: { wechat: a }, journal, clock });
}

beforeEach(async () => {
  await gateway?.close();
  journal?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  gateway = await WechatPayGateway.start({ appId: APP_ID, mchId: MCH_ID, apiKey: API_KEY });
  dir = mkdtempSync(join(tmpdir(), 'acq-wx-'));
  journal = new AttemptJournal(join(dir, 'payments.db'));
  clock = new FakeClock();
});

after(async () => {
  await gateway.close();
  journal.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('WeChat Pay XML and signatures', () => {
  it("signs as WeChat's documented example does, and any edited field breaks the signature", () => {
    // The v2 documentation's worked example (key 192006250b4c09247ec02edce69f6a2d).
    const fields = {
      appid: 'wxd930ea5d5a258f4f',
      mch_id: '10000100',
      device_info: '1000',
      body: 'test',
      nonce_str: 'ibuaiVcKdpRxkhJA',
    };
    assert.equal(
      wechatSign(fields, API_KEY),
      '6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6',
    );
    const signed = { ...fields, sign: wechatSign(fields, API_KEY) };
    assert.equal(wechatSignatureValid(signed, API_KEY), true);
    assert.equal(wechatSignatureValid({ ...signed, body: 'tesT' }, API_KEY), false);
    assert.equal(wechatSignatureValid(signed, 'another-key'), false);
  });

  it('reads flat XML and CDATA, and refuses DOCTYPE/ENTITY documents', () => {
    assert.deepEqual(fromXml(toXml({ a: '1 < 2 & 3', b: '' })), { a: '1 < 2 & 3', b: '' });
    assert.deepEqual(fromXml('<xml><return_code>SUCCESS</return_code></xml>'), {
      return_code: 'SUCCESS',
    });
    assert.equal(
      fromXml('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><a>&e;</a></xml>'),
      null,
    );
    assert.equal(fromXml('not xml'), null);
  });
});

describe('WeChat Pay pay by code', () => {
  it('pays at once: one signed micropay with the fen amount, a minted proof', async () => {
    const sale = newSale();
    const result = await flow().pay({ saleId: sale, amountFen: 1234, code: CODE, subject: 'Shop' });
    assert.equal(result.status, 'paid');
    assert.ok(result.status === 'paid' && isPaidTrade(result.trade));
    const [call] = gateway.calls('/pay/micropay');
    assert.equal(call?.signatureValid, true);
    assert.deepEqual(
      [
        call?.fields.total_fee,
        call?.fields.auth_code,
        call?.fields.out_trade_no,
        call?.fields.sign_type,
      ],
      ['1234', CODE, outTradeNo(sale, 1), 'HMAC-SHA256'],
    );
    assert.ok((call?.fields.out_trade_no ?? '').length <= 32);
    assert.equal(gateway.chargedTrades().length, 1);
  });

  it('USERPAYING: polls orderquery until paid', async () => {
    gateway.script('/pay/micropay', 'wait');
    gateway.confirmAfterQueries = 3;
    const result = await flow().pay({
      saleId: newSale(),
      amountFen: 500,
      code: CODE,
      subject: 'S',
    });
    assert.equal(result.status, 'paid');
    assert.equal(gateway.calls('/pay/orderquery').length, 4);
    assert.equal(gateway.chargedTrades().length, 1);
  });

  it('USERPAYING for 30 s: reversed, nothing charged', async () => {
    gateway.script('/pay/micropay', 'wait');
    gateway.confirmAfterQueries = Infinity;
    const result = await flow().pay({
      saleId: newSale(),
      amountFen: 500,
      code: CODE,
      subject: 'S',
    });
    assert.equal(result.status === 'refused' && result.code, 'BUYER_TIMEOUT');
    assert.equal(gateway.calls('/secapi/pay/reverse').length, 1);
    assert.equal(gateway.chargedTrades().length, 0);
  });

  it('charged then silent: paid once by query; SYSTEMERROR, silence, 500 uncharged: reversed', async () => {
    // The gateway charges, then the answer is lost.
    gateway.script('/pay/micropay', 'act_then_silence');
    const result = await flow().pay({
      saleId: newSale(),
      amountFen: 800,
      code: CODE,
      subject: 'S',
    });
    assert.equal(result.status, 'paid');
    // SYSTEMERROR, silence or HTTP 500 without a charge: query (not found), reverse; never paid.
    for (const behaviour of ['system_error', 'silence', 'http_500'] as const) {
      gateway.script('/pay/micropay', behaviour);
      const other = await flow().pay({
        saleId: newSale(),
        amountFen: 800,
        code: CODE,
        subject: 'S',
      });
      assert.equal(other.status, 'refused', behaviour);
    }
    assert.equal(gateway.chargedTrades().length, 1);
    assert.equal(gateway.calls('/secapi/pay/reverse').length, 3);
  });

  it('the same code scanned twice: one micropay', async () => {
    gateway.script('/pay/micropay', 'wait');
    const sale = newSale();
    const payments = flow();
    const both = await Promise.all([
      payments.pay({ saleId: sale, amountFen: 100, code: CODE, subject: 'S' }),
      payments.pay({ saleId: sale, amountFen: 100, code: CODE, subject: 'S' }),
    ]);
    assert.equal(both[0], both[1]);
    assert.equal(gateway.calls('/pay/micropay').length, 1);
    assert.equal(gateway.chargedTrades().length, 1);
  });

  it('a refusal in words (NOTENOUGH); a forged "paid" never counts', async () => {
    gateway.script('/pay/micropay', { refuse: 'NOTENOUGH' }, 'forged_paid');
    const refused = await flow().pay({
      saleId: newSale(),
      amountFen: 100,
      code: CODE,
      subject: 'S',
    });
    assert.equal(refused.status === 'refused' && refused.code, 'NOTENOUGH');
    assert.match(refused.status === 'refused' ? refused.message : '', /balance is not enough/);
    const forged = await flow().pay({
      saleId: newSale(),
      amountFen: 100,
      code: CODE,
      subject: 'S',
    });
    assert.notEqual(forged.status, 'paid');
    assert.equal(gateway.chargedTrades().length, 0);
  });

  it('a terminal with the wrong API key: the gateway refuses every call; never paid, nothing charged', async () => {
    const result = await flow(acquirer('0'.repeat(32))).pay({
      saleId: newSale(),
      amountFen: 100,
      code: CODE,
      subject: 'S',
    });
    assert.equal(result.status, 'unknown');
    assert.ok(gateway.received.every((call) => !call.signatureValid));
    assert.equal(gateway.trades.size, 0);
  });
});

describe('WeChat Pay QR, refunds, bill', () => {
  it('refund accepted, then found done by refundquery; the day bill lists payment and refund', async () => {
    const a = acquirer();
    const no = outTradeNo(newSale(), 1);
    const paid = await a.payByCode({ outTradeNo: no, amountFen: 1000, code: CODE, subject: 'S' });
    assert.equal(paid.kind, 'paid');
    const request = { outTradeNo: no, refundNo: 'R1', amountFen: 300, totalFen: 1000 };
    assert.equal((await a.refund(request)).kind, 'processing');
    assert.equal((await a.refund(request)).kind, 'processing');
    const done = await a.refundQuery(no, 'R1');
    assert.equal(done.kind === 'refunded' && done.amountFen, 300);
    assert.equal((await a.refundQuery(no, 'R9')).kind, 'not_found');
    assert.equal((await a.refund({ ...request, refundNo: 'R2', amountFen: 800 })).kind, 'refused');
    const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const lines = await a.settlementList(day);
    assert.deepEqual(
      lines.map((l) => [l.kind, l.outTradeNo, l.amountFen, l.refundNo ?? '']),
      [
        ['payment', no, 1000, ''],
        ['refund', no, 300, 'R1'],
      ],
    );
  });

  it('precreate needs a notify URL; with one, the QR is paid and query says so', async () => {
    const no = outTradeNo(newSale(), 1);
    const without = await acquirer().precreate({
      outTradeNo: no,
      amountFen: 100,
      subject: 'S',
      expiresInMinutes: 5,
    });
    assert.equal(without.kind === 'refused' && without.code, 'NOT_CONFIGURED');
    const a = new WechatPayAcquirer(
      {
        appId: APP_ID,
        mchId: MCH_ID,
        baseUrl: gateway.url,
        notifyUrl: 'https://shop.example/notify',
      },
      { apiKey: API_KEY },
    );
    const qr = await a.precreate({
      outTradeNo: no,
      amountFen: 100,
      subject: 'S',
      expiresInMinutes: 5,
    });
    assert.equal(qr.kind, 'qr');
    if (qr.kind !== 'qr') return;
    assert.equal((await a.query(no)).kind, 'waiting');
    gateway.scanAndPay(qr.qrCode);
    assert.equal((await a.query(no)).kind, 'paid');
  });

  it('silence, a server error and a dead gateway are unknown, each with its own code', async () => {
    const a = acquirer();
    const no = outTradeNo(newSale(), 1);
    gateway.script('/pay/orderquery', 'silence', 'http_500');
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

  it('the API key is not in a serialised acquirer', () => {
    const a = acquirer();
    assert.ok(!JSON.stringify(a).includes(API_KEY));
  });
});
