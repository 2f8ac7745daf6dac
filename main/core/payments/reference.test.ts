/**
 * The pay-by-code flow (PayByCode) through the reference acquirer against the real reference
 * cloud on loopback: the payer's code from the back office (`cloud paycode`), the terminal's
 * signed requests, the cloud's signed answers, the payer's wallet as the money. Also what an
 * attacker between the till and the cloud can do (replay a signed "paid", rewrite an answer),
 * and how createAcquirers wires the acquirer for a linked terminal.
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
import { MemorySecretStore } from '../../shared/secret-store';
import { ReferenceAcquirer } from './acquirers/reference';
import { createAcquirers, paymentsConfigFromEnv } from './config';
import { AttemptJournal } from './journal';
import { PayByCode, type PayProgress } from './pay-by-code';
import { isPaidTrade } from './proof';
import { FakeClock } from './test-support/fake-clock';
import { startLoopback, type LoopbackServer } from './test-support/loopback-server';

/** Sleeps at once; the first sleep first runs `beforeFirstSleep` (the buyer confirming). */
class ConfirmingClock extends FakeClock {
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

describe(`pay by code with the reference acquirer (${databaseLabel()})`, () => {
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
    dir = mkdtempSync(join(tmpdir(), 'refacq-'));
    journal = new AttemptJournal(join(dir, 'payments.db'));
  });
  afterEach(() => {
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function payer(balanceFen: number) {
    const { payerId } = await t.admin.createPayer({
      name: '赵敏',
      phone: `136${String(20_000_000 + ++n)}`,
      balanceFen,
    });
    return {
      payerId,
      code: async (confirm = false) => (await t.admin.payCode(payerId, { confirm })).code,
      balance: async () => (await t.admin.payer(payerId)).balanceFen,
    };
  }

  function flow(clock = new ConfirmingClock(), baseUrl = t.cloud.url): PayByCode {
    const acquirers = createAcquirers(paymentsConfigFromEnv({}), new MemorySecretStore(), {
      baseUrl,
      client: terminal,
    });
    return new PayByCode({ acquirers, journal, clock });
  }

  it('a 99… code pays at once: a proof for the sale, a second scan replays it, one debit', async () => {
    const p = await payer(10_000);
    const saleId = randomUUID();
    const code = await p.code();
    const payByCode = flow();
    const result = await payByCode.pay({ saleId, amountFen: 2_345, code, subject: 'Demo Mart' });
    assert.equal(result.status, 'paid');
    if (result.status !== 'paid') return;
    assert.ok(isPaidTrade(result.trade));
    assert.equal(result.trade.acquirer, 'reference');
    assert.equal(result.trade.amountFen, 2_345);
    assert.equal(result.trade.saleId, saleId);
    const again = await payByCode.pay({ saleId, amountFen: 2_345, code, subject: 'Demo Mart' });
    assert.equal(again.status === 'paid' && again.replayed, true);
    assert.equal(await p.balance(), 7_655);
  });

  it('the buyer confirms on the phone: waiting_for_buyer, then paid', async () => {
    const p = await payer(10_000);
    const code = await p.code(true);
    const seen: PayProgress[] = [];
    const clock = new ConfirmingClock(() => t.admin.confirmPayments(p.payerId));
    const result = await flow(clock).pay({
      saleId: randomUUID(),
      amountFen: 1_000,
      code,
      subject: 'Demo Mart',
      onProgress: (progress) => seen.push(progress),
    });
    assert.equal(result.status, 'paid');
    assert.ok(seen.includes('waiting_for_buyer'));
    assert.equal(await p.balance(), 9_000);
  });

  it('the buyer never confirms: the flow cancels after its wait, nothing is charged', async () => {
    const p = await payer(10_000);
    const code = await p.code(true);
    const saleId = randomUUID();
    const result = await flow().pay({ saleId, amountFen: 1_000, code, subject: 'Demo Mart' });
    assert.equal(result.status, 'refused');
    // A confirm that comes after the cancel finds nothing to pay.
    assert.deepEqual((await t.admin.confirmPayments(p.payerId)).trades, []);
    assert.equal(await p.balance(), 10_000);
  });

  it('not enough balance: refused with the acquirer-style reason', async () => {
    const p = await payer(100);
    const result = await flow().pay({
      saleId: randomUUID(),
      amountFen: 1_000,
      code: await p.code(),
      subject: 'Demo Mart',
    });
    assert.equal(result.status, 'refused');
    assert.equal(result.status === 'refused' && result.code, 'BALANCE_NOT_ENOUGH');
    assert.equal(await p.balance(), 100);
  });

  describe('between the till and the cloud', () => {
    let proxy: LoopbackServer;
    /** What the proxy does to /v1/acquire/pay answers. */
    let mode: 'pass' | 'record' | 'replay' | 'rewrite' = 'pass';
    let recorded: { status: number; body: string; signature: string | null } | null = null;

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
        let answer = {
          status: upstream.status,
          body: await upstream.text(),
          signature: upstream.headers.get(ANSWER_SIGNATURE_HEADER),
        };
        if (request.url === '/v1/acquire/pay') {
          if (mode === 'record') recorded = answer;
          if (mode === 'replay' && recorded !== null) answer = recorded;
          if (mode === 'rewrite')
            answer = { ...answer, body: answer.body.replace('"refused"', '"paid"') };
        }
        response.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.signature === null ? {} : { [ANSWER_SIGNATURE_HEADER]: answer.signature }),
        });
        response.end(answer.body);
      });
    });
    after(() => proxy.close());

    it('an earlier signed "paid" replayed to another request is not believed', async () => {
      const rich = await payer(10_000);
      mode = 'record';
      const first = await flow(undefined, proxy.url).pay({
        saleId: randomUUID(),
        amountFen: 500,
        code: await rich.code(),
        subject: 'Demo Mart',
      });
      assert.equal(first.status, 'paid');

      const poor = await payer(10);
      mode = 'replay';
      // The adapter sees the recorded "paid" body with its valid signature, for another nonce.
      const acquirer = new ReferenceAcquirer({ baseUrl: proxy.url, client: terminal });
      const outcome = await acquirer.payByCode({
        outTradeNo: `rp${++n}`,
        amountFen: 500,
        code: await poor.code(),
        subject: 'Demo Mart',
      });
      assert.equal(outcome.kind === 'unknown' && outcome.code, 'BAD_SIGNATURE');
      // The whole flow: unknown, then the honest query and cancel: refused, nothing charged.
      const result = await flow(undefined, proxy.url).pay({
        saleId: randomUUID(),
        amountFen: 500,
        code: await poor.code(),
        subject: 'Demo Mart',
      });
      mode = 'pass';
      assert.equal(result.status, 'refused');
      assert.equal(await poor.balance(), 10);
    });

    it('an answer rewritten on the way (refused → paid) fails its signature: never paid', async () => {
      const poor = await payer(10);
      const acquirer = new ReferenceAcquirer({ baseUrl: proxy.url, client: terminal });
      mode = 'rewrite';
      const outcome = await acquirer.payByCode({
        outTradeNo: `rw${++n}`,
        amountFen: 500,
        code: await poor.code(),
        subject: 'Demo Mart',
      });
      mode = 'pass';
      assert.equal(outcome.kind, 'unknown');
      assert.equal(outcome.kind === 'unknown' && outcome.code, 'BAD_SIGNATURE');
      assert.equal(await poor.balance(), 10);
    });
  });

  it('no answer from the cloud, or a server error: unknown, never paid', async () => {
    const down = await startLoopback((_request, _body, response) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end('{"error":{"code":"INTERNAL","message":"internal error"}}');
    });
    const failing = new ReferenceAcquirer({ baseUrl: down.url, client: terminal });
    const outcome = await failing.payByCode({
      outTradeNo: `down${++n}`,
      amountFen: 100,
      code: '991234567890123456',
      subject: 'S',
    });
    assert.equal(outcome.kind, 'unknown');
    await down.close();
    const gone = new ReferenceAcquirer({ baseUrl: down.url, client: terminal, timeoutMs: 2_000 });
    const none = await gone.query('nothing_1');
    assert.equal(none.kind === 'unknown' && none.code, 'NETWORK');
  });

  it('createAcquirers: a linked terminal gets it for 99… codes unless POS_ACQUIRER_REFERENCE=off', () => {
    const link = { baseUrl: t.cloud.url, client: terminal };
    const secrets = new MemorySecretStore();
    assert.ok(createAcquirers(paymentsConfigFromEnv({}), secrets, link).reference);
    assert.equal(createAcquirers(paymentsConfigFromEnv({}), secrets).reference, undefined);
    const off = paymentsConfigFromEnv({ POS_ACQUIRER_REFERENCE: 'off' });
    assert.equal(createAcquirers(off, secrets, link).reference, undefined);
    assert.throws(() => paymentsConfigFromEnv({ POS_ACQUIRER_REFERENCE: 'maybe' }), /on.*off/);
  });
});
