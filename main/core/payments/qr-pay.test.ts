/**
 * The QR flow (主扫) through the reference acquirer against the real reference cloud on loopback:
 * the terminal precreates, the payer's phone (the back office's scan route, as `cloud scan`)
 * pays the QR's URL, the flow learns it by query. Also: expiry, the sale changing while the QR
 * shows, a payment landing exactly as the cancel is sent, a forged "paid", and one flow per sale.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { ANSWER_SIGNATURE_HEADER } from '../../../cloud/acquire/answer-signature';
import type { CloudClient } from '../../../cloud/client';
import { databaseLabel, startTestCloud, type TestCloud } from '../../../cloud/test-support';
import { PosError } from '../../contract';
import { ReferenceAcquirer } from './acquirers/reference';
import { AttemptJournal } from './journal';
import { PayByCode, type FlowClock } from './pay-by-code';
import { isPaidTrade } from './proof';
import { QrPay } from './qr-pay';
import { FakeClock } from './test-support/fake-clock';
import { startLoopback, type LoopbackServer } from './test-support/loopback-server';

/** Time moves only by sleeping; the first sleep first runs `beforeFirstSleep` (the buyer scanning). */
class ScanningClock extends FakeClock {
  constructor(private beforeFirstSleep?: () => Promise<unknown>) {
    super();
  }
  override async sleep(ms: number): Promise<void> {
    const hook = this.beforeFirstSleep;
    this.beforeFirstSleep = undefined;
    if (hook !== undefined) await hook();
    return super.sleep(ms);
  }
}

/** A clock whose sleeps never end: the flow waits until it is stopped (no timing in the test). */
const STILL: FlowClock = {
  now: () => Date.parse('2026-12-06T02:00:00Z'),
  sleep: () => new Promise(() => {}),
};

describe(`QR payment with the reference acquirer (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  let dir: string;
  let journal: AttemptJournal;
  let n = 0;

  before(async () => {
    t = await startTestCloud();
    terminal = await t.pairedTerminal();
  });
  after(() => t.close());
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qrpay-'));
    journal = new AttemptJournal(join(dir, 'payments.db'));
  });
  afterEach(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function payer(balanceFen: number) {
    const { payerId } = await t.admin.createPayer({
      name: '周芷若',
      phone: `137${String(20_000_000 + ++n)}`,
      balanceFen,
    });
    return {
      payerId,
      scan: (url: string) => t.admin.scanQr(payerId, url),
      balance: async () => (await t.admin.payer(payerId)).balanceFen,
    };
  }

  function flows(clock: FlowClock, baseUrl = t.cloud.url) {
    const acquirer = new ReferenceAcquirer({ baseUrl, client: terminal });
    const payByCode = new PayByCode({ acquirers: { reference: acquirer }, journal, clock });
    const qr = new QrPay({ flow: payByCode, acquirers: { reference: acquirer }, clock });
    return { payByCode, qr };
  }

  it('the buyer scans and pays: one proof for the sale, one debit; showing again replays it', async () => {
    const p = await payer(10_000);
    const saleId = randomUUID();
    let shown = (_url: string) => {};
    const qrUrl = new Promise<string>((resolve) => (shown = resolve));
    // The phone pays while the flow waits between its queries.
    const { qr } = flows(
      new ScanningClock(async () => assert.equal((await p.scan(await qrUrl)).result, 'paid')),
    );
    const start = await qr.show({ saleId, amountFen: 2_345, subject: 'Demo Mart' });
    assert.equal(start.status, 'showing');
    if (start.status !== 'showing') return;
    const url = start.showing.qrCode;
    shown(url);
    assert.equal(start.showing.amountFen, 2_345);
    const end = await start.done;
    assert.equal(end.status, 'paid');
    if (end.status !== 'paid') return;
    assert.ok(isPaidTrade(end.result.trade));
    assert.equal(end.result.trade.saleId, saleId);
    assert.equal(end.result.trade.amountFen, 2_345);
    assert.equal(qr.isLive(saleId), false);
    // A second scan of the same QR pays nothing more; a new QR for the sale replays the payment.
    assert.equal((await p.scan(url)).result, 'already_paid');
    const again = await qr.show({ saleId, amountFen: 2_345, subject: 'Demo Mart' });
    assert.equal(again.status === 'paid' && again.result.replayed, true);
    assert.equal(await p.balance(), 7_655);
  });

  it('not paid in time: expired, the trade cancelled, a late scan charges nothing', async () => {
    const p = await payer(10_000);
    const { qr } = flows(new FakeClock());
    const start = await qr.show({ saleId: randomUUID(), amountFen: 1_000, subject: 'Demo Mart' });
    assert.equal(start.status, 'showing');
    if (start.status !== 'showing') return;
    const end = await start.done;
    assert.equal(end.status, 'expired');
    assert.notEqual((await p.scan(start.showing.qrCode)).result, 'paid');
    assert.equal(await p.balance(), 10_000);
    assert.equal(journal.get(start.showing.outTradeNo)?.state, 'cancelled');
  });

  it('the sale changes while the QR shows: the trade is cancelled, nothing charged', async () => {
    const p = await payer(10_000);
    const saleId = randomUUID();
    const { qr } = flows(STILL);
    const start = await qr.show({ saleId, amountFen: 1_000, subject: 'Demo Mart' });
    assert.equal(start.status, 'showing');
    if (start.status !== 'showing') return;
    const end = await qr.stop(saleId, { code: 'SALE_CHANGED', message: 'The sale changed.' });
    assert.equal(end?.status, 'cancelled');
    assert.equal(qr.stop(saleId, { code: 'X', message: 'x' }), null);
    assert.notEqual((await p.scan(start.showing.qrCode)).result, 'paid');
    assert.equal(await p.balance(), 10_000);
  });

  it('paid exactly as the cancel happens: the payment is kept for its sale, charged once', async () => {
    const p = await payer(10_000);
    const saleId = randomUUID();
    const { qr } = flows(STILL);
    const start = await qr.show({ saleId, amountFen: 1_500, subject: 'Demo Mart' });
    if (start.status !== 'showing') return assert.fail(start.status);
    // The buyer's phone pays; before the flow has asked, the cashier cancels.
    assert.equal((await p.scan(start.showing.qrCode)).result, 'paid');
    const end = await qr.stop(saleId, { code: 'SALE_CHANGED', message: 'The sale changed.' });
    assert.equal(end?.status, 'paid');
    if (end?.status !== 'paid') return;
    assert.ok(isPaidTrade(end.result.trade));
    assert.equal(end.result.trade.amountFen, 1_500);
    assert.equal(await p.balance(), 8_500);
    // The journal hands it out until the ledger has recorded it: the money is never lost.
    assert.deepEqual(
      journal.unrecordedPaid().map((r) => r.saleId),
      [saleId],
    );
  });

  it('the till goes down while the QR shows and the buyer pays: recover() hands out the payment', async () => {
    const p = await payer(10_000);
    const saleId = randomUUID();
    const { qr } = flows(STILL);
    const start = await qr.show({ saleId, amountFen: 700, subject: 'Demo Mart' });
    if (start.status !== 'showing') return assert.fail(start.status);
    // The flow never asks again (the process "died"); the phone pays meanwhile.
    assert.equal((await p.scan(start.showing.qrCode)).result, 'paid');
    const restarted = flows(new FakeClock());
    const recovered = await restarted.payByCode.recover();
    assert.equal(recovered.length, 1);
    const [found] = recovered;
    assert.equal(found?.status, 'paid');
    if (found?.status !== 'paid') return;
    assert.ok(isPaidTrade(found.trade));
    assert.equal(found.trade.saleId, saleId);
    assert.equal(found.trade.amountFen, 700);
    assert.equal(await p.balance(), 9_300);
  });

  it('one flow per sale: a payment code is BUSY while the QR shows, and a second QR too', async () => {
    const saleId = randomUUID();
    const { qr, payByCode } = flows(STILL);
    const start = await qr.show({ saleId, amountFen: 800, subject: 'Demo Mart' });
    assert.equal(start.status, 'showing');
    const busy = (error: unknown) => PosError.is(error) && error.code === 'BUSY';
    await assert.rejects(
      payByCode.pay({ saleId, amountFen: 800, code: '991234567890123456', subject: 'S' }),
      busy,
    );
    await assert.rejects(qr.show({ saleId, amountFen: 800, subject: 'S' }), busy);
    assert.equal(
      (await qr.stop(saleId, { code: 'ESC', message: 'Cancelled.' }))?.status,
      'cancelled',
    );
    // Once it is down, the sale takes a QR again (a new attempt number).
    const next = await qr.show({ saleId, amountFen: 800, subject: 'Demo Mart' });
    assert.equal(next.status === 'showing' && next.showing.outTradeNo.endsWith('_2'), true);
    await qr.stop(saleId, { code: 'ESC', message: 'Cancelled.' });
  });

  it('bad input is refused before anything is sent', async () => {
    const { qr } = flows(STILL);
    await assert.rejects(
      qr.show({ saleId: 'not-a-sale', amountFen: 100, subject: 'S' }),
      /sale id/,
    );
    await assert.rejects(
      qr.show({ saleId: randomUUID(), amountFen: 0, subject: 'S' }),
      /AMOUNT|amount/,
    );
  });

  describe('a forged "paid" between the till and the cloud', () => {
    let proxy: LoopbackServer;
    let forged = 0;

    before(async () => {
      proxy = await startLoopback(async (request, body, response) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (name.startsWith('x-pos-') || name === 'content-type') headers[name] = String(value);
        }
        const upstream = await fetch(t.cloud.url + (request.url ?? ''), {
          method: request.method ?? 'GET',
          headers,
          ...(body === '' ? {} : { body }),
        });
        let text = await upstream.text();
        const signature = upstream.headers.get(ANSWER_SIGNATURE_HEADER);
        if ((request.url ?? '').startsWith('/v1/acquire/trades/') && text.includes('"waiting"')) {
          // Rewrite the answer: the buyer "paid" (the signature no longer matches the body).
          text = text.replace('"waiting"', '"paid"');
          forged += 1;
        }
        const out: Record<string, string> = { 'content-type': 'application/json' };
        for (const [name, value] of upstream.headers)
          if (name.startsWith('x-pos-')) out[name] = value;
        if (signature !== null) out[ANSWER_SIGNATURE_HEADER] = signature;
        response.writeHead(upstream.status, out);
        response.end(text);
      });
    });
    after(() => proxy.close());

    it('is never believed: the QR expires, the sale gets no payment', async () => {
      const { qr } = flows(new FakeClock(), proxy.url);
      const start = await qr.show({ saleId: randomUUID(), amountFen: 600, subject: 'Demo Mart' });
      if (start.status !== 'showing') return assert.fail(start.status);
      const end = await start.done;
      assert.ok(forged > 0, 'the proxy forged at least one answer');
      assert.equal(end.status, 'expired');
      assert.equal(journal.unrecordedPaid().length, 0);
    });
  });
});
