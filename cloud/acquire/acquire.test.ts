/**
 * The reference cloud as acquirer, end to end on loopback: a paired terminal's real adapter
 * (main/core/payments/acquirers/reference.ts, signed requests, signed answers) against the real
 * service and database, the back office playing the payer's phone (paycode, confirm, scan). The
 * payer's wallet balance is the money: every case checks what moved, and what did not.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ReferenceAcquirer } from '../../main/core/payments/acquirers/reference';
import type { CloudClient } from '../client/index';
import { databaseLabel, postSigned, startTestCloud, type TestCloud } from '../test-support';
import { dayIn } from '../payments/service';

describe(`reference acquirer (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  let acquirer: ReferenceAcquirer;
  let n = 0;

  before(async () => {
    t = await startTestCloud();
    terminal = await t.pairedTerminal();
    acquirer = new ReferenceAcquirer({ baseUrl: t.cloud.url, client: terminal });
  });
  after(() => t.close());

  const tradeNo = () => `t${randomBytes(6).toString('hex')}_${++n}`;

  async function payer(balanceFen: number) {
    const { payerId } = await t.admin.createPayer({
      name: '李娜',
      phone: `139${String(100_000_00 + ++n).padStart(8, '0')}`,
      balanceFen,
    });
    return {
      payerId,
      code: async (confirm = false) => (await t.admin.payCode(payerId, { confirm })).code,
      balance: async () => (await t.admin.payer(payerId)).balanceFen,
    };
  }

  const pay = (outTradeNo: string, amountFen: number, code: string) =>
    acquirer.payByCode({ outTradeNo, amountFen, code, subject: 'Demo Mart – sale' });

  it('a one-time code is 99 + 16 digits and pays at once: the wallet is debited once', async () => {
    const p = await payer(10_000);
    const code = await p.code();
    assert.match(code, /^99\d{16}$/);
    const no = tradeNo();
    const paid = await pay(no, 1_250, code);
    assert.equal(paid.kind, 'paid');
    assert.equal(paid.kind === 'paid' && paid.amountFen, 1_250);
    assert.equal(paid.kind === 'paid' && paid.buyer, '李*');
    assert.equal(await p.balance(), 8_750);
    const queried = await acquirer.query(no);
    assert.equal(queried.kind, 'paid');
    assert.equal(
      queried.kind === 'paid' && paid.kind === 'paid' && queried.acquirerTradeNo,
      paid.kind === 'paid' && paid.acquirerTradeNo,
    );
    // The code is a bearer credential for its minute: never in a log line.
    assert.ok(t.logs.length > 0 && t.logs.every((line) => !line.includes(code)));
    // The code is kept hashed only.
    const stored = await t.cloud.db.query<{ code_hash: string }>(
      'SELECT code_hash FROM acquire_codes',
    );
    assert.ok(stored.rows.every((r) => r.code_hash !== code && !r.code_hash.includes(code)));
  });

  it('confirm on the phone: waiting until the payer confirms, then paid', async () => {
    const p = await payer(5_000);
    const no = tradeNo();
    assert.deepEqual(await pay(no, 2_000, await p.code(true)), { kind: 'waiting' });
    assert.deepEqual(await acquirer.query(no), { kind: 'waiting' });
    assert.equal(await p.balance(), 5_000, 'nothing moves while the buyer confirms');
    const confirmed = await t.admin.confirmPayments(p.payerId);
    assert.deepEqual(
      confirmed.trades.map((trade) => [trade.outTradeNo, trade.status]),
      [[no, 'paid']],
    );
    assert.equal((await acquirer.query(no)).kind, 'paid');
    assert.equal(await p.balance(), 3_000);
    // Confirming again pays nothing more.
    assert.deepEqual((await t.admin.confirmPayments(p.payerId)).trades, []);
    assert.equal(await p.balance(), 3_000);
  });

  it('waiting, then the shop cancels: closed, nothing charged, a late confirm pays nothing', async () => {
    const p = await payer(5_000);
    const no = tradeNo();
    assert.equal((await pay(no, 2_000, await p.code(true))).kind, 'waiting');
    assert.deepEqual(await acquirer.cancel(no), { kind: 'cancelled', refunded: false });
    assert.equal((await acquirer.query(no)).kind, 'closed');
    assert.deepEqual((await t.admin.confirmPayments(p.payerId)).trades, []);
    assert.equal(await p.balance(), 5_000);
  });

  it('not enough balance: refused BALANCE_NOT_ENOUGH, nothing moves', async () => {
    const p = await payer(999);
    const refused = await pay(tradeNo(), 1_000, await p.code());
    assert.equal(refused.kind, 'refused');
    assert.equal(refused.kind === 'refused' && refused.code, 'BALANCE_NOT_ENOUGH');
    assert.equal(await p.balance(), 999);
  });

  it('a code pays once; an expired or made-up code is refused with its reason', async () => {
    const p = await payer(10_000);
    const code = await p.code();
    assert.equal((await pay(tradeNo(), 100, code)).kind, 'paid');
    const reused = await pay(tradeNo(), 100, code);
    assert.equal(reused.kind === 'refused' && reused.code, 'AUTH_CODE_USED');

    const stale = await p.code();
    // Its minute is over (as if 60 s had passed).
    await t.cloud.db.query("UPDATE acquire_codes SET expires_at = now() - interval '1 second'");
    const expired = await pay(tradeNo(), 100, stale);
    assert.equal(expired.kind === 'refused' && expired.code, 'AUTH_CODE_EXPIRED');

    const madeUp = await pay(tradeNo(), 100, '991234567890123456');
    assert.equal(madeUp.kind === 'refused' && madeUp.code, 'AUTH_CODE_INVALID');
    assert.equal(await p.balance(), 9_900);
  });

  it('the same outTradeNo twice: the same trade, one debit; another amount under it is refused', async () => {
    const p = await payer(10_000);
    const code = await p.code();
    const no = tradeNo();
    const first = await pay(no, 700, code);
    const again = await pay(no, 700, code);
    assert.deepEqual(again, first);
    const other = await pay(no, 900, await p.code());
    assert.equal(other.kind === 'refused' && other.code, 'OUT_TRADE_NO_USED');
    assert.equal(await p.balance(), 9_300);
  });

  it('a cancel before the pay arrives closes the number: the late pay charges nothing', async () => {
    const p = await payer(10_000);
    const no = tradeNo();
    assert.deepEqual(await acquirer.cancel(no), { kind: 'cancelled', refunded: false });
    const late = await pay(no, 500, await p.code());
    assert.equal(late.kind, 'refused');
    assert.equal(await p.balance(), 10_000);
  });

  it('cancel after paid reverses: the balance is restored once; no refund after it', async () => {
    const p = await payer(10_000);
    const no = tradeNo();
    assert.equal((await pay(no, 4_000, await p.code())).kind, 'paid');
    assert.deepEqual(await acquirer.cancel(no), { kind: 'cancelled', refunded: true });
    assert.equal(await p.balance(), 10_000);
    assert.deepEqual(await acquirer.cancel(no), { kind: 'cancelled', refunded: true });
    assert.equal(await p.balance(), 10_000, 'a second cancel credits nothing');
    const queried = await acquirer.query(no);
    assert.equal(queried.kind === 'closed' && queried.code, 'TRADE_REVERSED');
    const refund = await acquirer.refund({
      outTradeNo: no,
      refundNo: 'r1',
      amountFen: 1,
      totalFen: 4_000,
    });
    assert.equal(refund.kind === 'refused' && refund.code, 'TRADE_REVERSED');
  });

  it('partial refunds up to the charge and not beyond; each refundNo refunds once', async () => {
    const p = await payer(10_000);
    const no = tradeNo();
    assert.equal((await pay(no, 1_000, await p.code())).kind, 'paid');
    const refund = (refundNo: string, amountFen: number) =>
      acquirer.refund({ outTradeNo: no, refundNo, amountFen, totalFen: 1_000 });

    const r1 = await refund('rf_1', 300);
    assert.equal(r1.kind === 'refunded' && r1.amountFen, 300);
    assert.deepEqual(await refund('rf_1', 300), r1, 'the same refundNo answers the same');
    const reused = await refund('rf_1', 200);
    assert.equal(reused.kind === 'refused' && reused.code, 'REFUND_NO_USED');
    assert.equal(await p.balance(), 9_300);

    const beyond = await refund('rf_2', 701);
    assert.equal(beyond.kind === 'refused' && beyond.code, 'REFUND_AMOUNT_EXCEEDED');
    assert.equal((await refund('rf_2', 700)).kind, 'refunded');
    assert.equal(await p.balance(), 10_000);
    const more = await refund('rf_3', 1);
    assert.equal(more.kind === 'refused' && more.code, 'REFUND_AMOUNT_EXCEEDED');
    assert.equal(await p.balance(), 10_000);

    assert.deepEqual(await acquirer.refundQuery(no, 'rf_1'), r1);
    assert.deepEqual(await acquirer.refundQuery(no, 'rf_9'), { kind: 'not_found' });
    assert.deepEqual(
      await acquirer.refund({ outTradeNo: tradeNo(), refundNo: 'rf_1', amountFen: 1, totalFen: 1 }),
      { kind: 'not_found' },
    );
  });

  it('QR: precreate, the phone scans and pays once, the terminal learns it by query', async () => {
    const p = await payer(10_000);
    const no = tradeNo();
    const qr = await acquirer.precreate({
      outTradeNo: no,
      amountFen: 1_880,
      subject: 'Demo Mart – sale',
      expiresInMinutes: 5,
    });
    assert.equal(qr.kind, 'qr');
    const url = qr.kind === 'qr' ? qr.qrCode : '';
    assert.ok(url.startsWith(`${t.cloud.url}/v1/acquire/qr/`), url);
    assert.deepEqual(await acquirer.query(no), { kind: 'waiting' });

    // What the phone sees before paying: the amount and the line, nothing about the shop's keys.
    const seen = (await (await fetch(url)).json()) as { amountFen: number; status: string };
    assert.equal(seen.amountFen, 1_880);
    assert.equal(seen.status, 'waiting');

    const scanned = await t.admin.scanQr(p.payerId, url);
    assert.equal(scanned.result, 'paid');
    assert.equal((await t.admin.scanQr(p.payerId, url)).result, 'already_paid');
    assert.equal(await p.balance(), 8_120);
    const queried = await acquirer.query(no);
    assert.equal(queried.kind === 'paid' && queried.amountFen, 1_880);
  });

  it('an expired QR cannot be paid, and the trade is closed', async () => {
    const p = await payer(10_000);
    const no = tradeNo();
    const qr = await acquirer.precreate({
      outTradeNo: no,
      amountFen: 500,
      subject: 'x',
      expiresInMinutes: 1,
    });
    const url = qr.kind === 'qr' ? qr.qrCode : '';
    // Its minute is over.
    await t.cloud.db.query(
      "UPDATE acquire_trades SET expires_at = now() - interval '1 second' WHERE out_trade_no = $1",
      [no],
    );
    const scanned = await t.admin.scanQr(p.payerId, url);
    assert.equal(scanned.result, 'expired');
    assert.equal(await p.balance(), 10_000);
    const queried = await acquirer.query(no);
    assert.equal(queried.kind === 'closed' && queried.code, 'TRADE_EXPIRED');
  });

  it("the bill lists the store's payments, refunds and reversals of the day", async () => {
    const shop = await t.pairedTerminal();
    const till = new ReferenceAcquirer({ baseUrl: t.cloud.url, client: shop });
    const p = await payer(10_000);
    const [a, b] = [tradeNo(), tradeNo()];
    await till.payByCode({ outTradeNo: a, amountFen: 1_000, code: await p.code(), subject: 's' });
    await till.payByCode({ outTradeNo: b, amountFen: 600, code: await p.code(), subject: 's' });
    await till.refund({ outTradeNo: a, refundNo: 'rf_a', amountFen: 250, totalFen: 1_000 });
    await till.cancel(b);
    const zone = (
      await t.cloud.db.query<{ timezone: string }>('SELECT timezone FROM stores WHERE id = $1', [
        shop.credentials?.storeId,
      ])
    ).rows[0]?.timezone as string;
    const lines = await till.settlementList(dayIn(zone, new Date()));
    const summary = lines.map((l) => [l.outTradeNo, l.kind, l.amountFen, l.refundNo ?? null]);
    assert.deepEqual(
      summary.sort((x, y) => String(x).localeCompare(String(y))),
      [
        [a, 'payment', 1_000, null],
        [a, 'refund', 250, 'rf_a'],
        [b, 'payment', 600, null],
        [b, 'refund', 600, 'reversal'],
      ].sort((x, y) => String(x).localeCompare(String(y))),
    );
    assert.deepEqual(await till.settlementList('2001-01-01'), []);
    // A day that matches the pattern but does not exist is a clear refusal, not a server error.
    await assert.rejects(till.settlementList('2026-02-30'), /real calendar day/);
  });

  it("a terminal cannot see, cancel or refund another terminal's trade (NOT_FOUND)", async () => {
    const p = await payer(10_000);
    const no = tradeNo();
    assert.equal((await pay(no, 800, await p.code())).kind, 'paid');
    const other = new ReferenceAcquirer({ baseUrl: t.cloud.url, client: await t.pairedTerminal() });
    assert.deepEqual(await other.query(no), { kind: 'not_found' });
    assert.deepEqual(
      await other.refund({ outTradeNo: no, refundNo: 'steal', amountFen: 800, totalFen: 800 }),
      { kind: 'not_found' },
    );
    assert.deepEqual(await other.refundQuery(no, 'steal'), { kind: 'not_found' });
    // Its cancel closes its own number only.
    await other.cancel(no);
    assert.equal((await acquirer.query(no)).kind, 'paid');
    assert.equal(await p.balance(), 9_200);
    const bill = await other.settlementList(dayIn('Asia/Shanghai', new Date()));
    assert.ok(
      bill.every((line) => line.outTradeNo !== no),
      "another store's bill holds none of it",
    );
  });

  it('a request signed with another key, or not signed, is refused 401 before anything moves', async () => {
    const p = await payer(10_000);
    const code = await p.code();
    const creds = terminal.credentials;
    assert.ok(creds);
    const body = JSON.stringify({ outTradeNo: tradeNo(), amountFen: 100, code, subject: 's' });
    const forged = { ...creds, secret: randomBytes(32).toString('base64url') };
    const refused = await postSigned(t.cloud.url, forged, '/v1/acquire/pay', body);
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('x-pos-answer-signature'), null);
    const unsigned = await fetch(`${t.cloud.url}/v1/acquire/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    assert.equal(unsigned.status, 401);
    assert.equal(await p.balance(), 10_000);
    // The code was not spent: the real terminal can still pay with it.
    assert.equal((await pay(tradeNo(), 100, code)).kind, 'paid');
  });
});
