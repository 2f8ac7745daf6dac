import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CloudClient } from '../client/index';
import {
  UNLIMITED,
  liveEvidence,
  databaseLabel,
  enrolPayer,
  randomUnit,
  rng,
  startTestCloud,
  type TestCloud,
} from '../test-support';

describe(`authorise and refund (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  const random = rng(7);

  before(async () => {
    // These cases pay and refund faster than any till would; the limits have their own tests.
    t = await startTestCloud({ threshold: 0.41, margin: 0.05, limits: UNLIMITED });
    terminal = await t.pairedTerminal();
  });
  after(() => t.close());

  /** A fresh payer with its own face; returns what it takes to pay as them. */
  async function payer(
    balanceFen: number,
    limits: { perTxLimitFen?: number; dailyLimitFen?: number } = {},
  ) {
    const face = randomUnit(random);
    const payerId = await enrolPayer(t.admin, {
      name: '王芳',
      phone: `137${String(Math.floor(random() * 1e8)).padStart(8, '0')}`,
      balanceFen,
      templates: [face],
    });
    if (limits.perTxLimitFen !== undefined || limits.dailyLimitFen !== undefined)
      await t.admin.setLimits(payerId, limits);
    const token = async (amountFen: number) => {
      const answer = await terminal.identify({
        embedding: face,
        liveness: liveEvidence(),
        amountFen,
      });
      assert.equal(answer.result, 'match');
      return answer.result === 'match' ? answer.token : '';
    };
    return { payerId, token, balance: async () => (await t.admin.payer(payerId)).balanceFen };
  }

  const attempt = (token: string, amountFen: number) => ({
    token,
    amountFen,
    saleId: `sale-${randomUUID()}`,
    idempotencyKey: randomUUID(),
  });

  it('debits once for the same key sent twice, and answers the same both times', async () => {
    const p = await payer(10_000);
    const request = attempt(await p.token(2_500), 2_500);
    const first = await terminal.authorise(request);
    assert.equal(first.status, 'approved');
    assert.equal(first.maskedName, '王*');
    const second = await terminal.authorise(request);
    assert.deepEqual(second, first);
    assert.equal(await p.balance(), 7_500);
  });

  it('debits once for the same key sent concurrently', async () => {
    const p = await payer(10_000);
    const request = attempt(await p.token(1_000), 1_000);
    const answers = await Promise.all(Array.from({ length: 8 }, () => terminal.authorise(request)));
    assert.ok(
      answers.every((a) => a.status === 'approved' && a.paymentId === answers[0]?.paymentId),
    );
    assert.equal(await p.balance(), 9_000);
  });

  it('refuses a key reused for another sale or amount', async () => {
    const p = await payer(10_000);
    const request = attempt(await p.token(300), 300);
    await terminal.authorise(request);
    await assert.rejects(terminal.authorise({ ...request, amountFen: 301 }), {
      code: 'IDEMPOTENCY_KEY_REUSED',
      status: 409,
    });
    await assert.rejects(terminal.authorise({ ...request, saleId: 'other' }), {
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('declines over the per-transaction limit, over the daily limit, and without the balance', async () => {
    const defaults = await payer(500_000);
    const overTx = await terminal.authorise(attempt(await defaults.token(100_001), 100_001));
    assert.deepEqual([overTx.status, overTx.declineCode], ['declined', 'OVER_TRANSACTION_LIMIT']);
    const atLimit = await terminal.authorise(attempt(await defaults.token(100_000), 100_000));
    assert.equal(
      atLimit.status,
      'approved',
      'the default per-transaction limit is ¥1,000, inclusive',
    );

    const daily = await payer(100_000, { dailyLimitFen: 5_000 });
    assert.equal(
      (await terminal.authorise(attempt(await daily.token(3_000), 3_000))).status,
      'approved',
    );
    const overDay = await terminal.authorise(attempt(await daily.token(2_001), 2_001));
    assert.deepEqual([overDay.status, overDay.declineCode], ['declined', 'OVER_DAILY_LIMIT']);
    assert.equal(
      (await terminal.authorise(attempt(await daily.token(2_000), 2_000))).status,
      'approved',
    );

    const poor = await payer(999);
    const broke = await terminal.authorise(attempt(await poor.token(1_000), 1_000));
    assert.deepEqual([broke.status, broke.declineCode], ['declined', 'INSUFFICIENT_BALANCE']);
    assert.equal(await poor.balance(), 999);
    assert.equal(await daily.balance(), 95_000);
  });

  it('spends a token once, for its amount only', async () => {
    const p = await payer(10_000);
    const token = await p.token(500);
    const wrongAmount = await terminal.authorise(attempt(token, 400));
    assert.equal(wrongAmount.declineCode, 'TOKEN_AMOUNT_MISMATCH');
    const again = await terminal.authorise(attempt(token, 500));
    assert.equal(again.declineCode, 'TOKEN_INVALID', 'the mismatch used the token up');
    const invented = await terminal.authorise(attempt('x'.repeat(43), 500));
    assert.equal(invented.declineCode, 'TOKEN_INVALID');
    // Another terminal cannot spend this terminal's token.
    const other = await t.pairedTerminal();
    const stolen = await other.authorise(attempt(await p.token(700), 700));
    assert.equal(stolen.declineCode, 'TOKEN_INVALID');
    assert.equal(await p.balance(), 10_000);
  });

  it('tells a terminal that lost the answer what happened', async () => {
    const p = await payer(10_000);
    const request = attempt(await p.token(1_200), 1_200);
    assert.equal(
      await terminal.status(request.idempotencyKey),
      null,
      'never arrived: safe to retry',
    );
    const answer = await terminal.authorise(request);
    const status = await terminal.status(request.idempotencyKey);
    assert.deepEqual(status, answer);
    // Another terminal does not see this terminal's keys.
    assert.equal(await (await t.pairedTerminal()).status(request.idempotencyKey), null);
  });

  it('refunds once per key, never beyond what was paid', async () => {
    const p = await payer(10_000);
    const paid = await terminal.authorise(attempt(await p.token(3_000), 3_000));
    const refund = (amountFen: number, idempotencyKey = randomUUID()) =>
      terminal.refund({
        saleId: paid.saleId,
        paymentId: paid.paymentId,
        amountFen,
        idempotencyKey,
        reason: 'returned',
      });

    const key = randomUUID();
    const first = await refund(1_000, key);
    assert.equal(first.status, 'approved');
    assert.deepEqual(await refund(1_000, key), first);
    assert.deepEqual(await Promise.all([refund(1_000, key), refund(1_000, key)]), [first, first]);
    assert.deepEqual(await terminal.refundStatus(key), first);
    assert.equal(await p.balance(), 8_000);

    const tooMuch = await refund(2_001);
    assert.deepEqual([tooMuch.status, tooMuch.declineCode], ['declined', 'REFUND_EXCEEDS_PAID']);
    assert.equal((await refund(2_000)).status, 'approved');
    assert.equal((await refund(1)).declineCode, 'REFUND_EXCEEDS_PAID');
    assert.equal(await p.balance(), 10_000);
    assert.equal((await terminal.status(paid.idempotencyKey))?.refundedFen, 3_000);

    await assert.rejects(
      refund(1_000, key).then(() =>
        terminal.refund({
          saleId: paid.saleId,
          paymentId: paid.paymentId,
          amountFen: 5,
          idempotencyKey: key,
        }),
      ),
      {
        code: 'IDEMPOTENCY_KEY_REUSED',
      },
    );
    await assert.rejects(
      terminal.refund({
        saleId: paid.saleId,
        paymentId: 'pay_nope',
        amountFen: 5,
        idempotencyKey: randomUUID(),
      }),
      { code: 'NOT_FOUND' },
    );
  });

  it('refunds concurrently without going beyond what was paid', async () => {
    const p = await payer(10_000);
    const paid = await terminal.authorise(attempt(await p.token(1_000), 1_000));
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        terminal.refund({
          saleId: paid.saleId,
          paymentId: paid.paymentId,
          amountFen: 300,
          idempotencyKey: randomUUID(),
        }),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'approved').length, 3);
    assert.equal(await p.balance(), 9_900);
  });

  it('refuses to refund a declined payment', async () => {
    const p = await payer(100);
    const declined = await terminal.authorise(attempt(await p.token(500), 500));
    await assert.rejects(
      terminal.refund({
        saleId: declined.saleId,
        paymentId: declined.paymentId,
        amountFen: 500,
        idempotencyKey: randomUUID(),
      }),
      { code: 'PAYMENT_NOT_REFUNDABLE', status: 409 },
    );
  });

  it('attack: a refund that points at a debit the cloud never made for that sale credits nothing', async () => {
    const p = await payer(10_000);
    const paid = await terminal.authorise(attempt(await p.token(3_000), 3_000));
    assert.equal(await p.balance(), 7_000);
    // The old attack: a face payment typed in at the till for another sale, naming a real
    // payer's payment, then refunded. The cloud looks up its own debit for that sale: none.
    await assert.rejects(
      terminal.refund({
        saleId: `sale-${randomUUID()}`,
        paymentId: paid.paymentId,
        amountFen: 3_000,
        idempotencyKey: randomUUID(),
      }),
      { code: 'NOT_FOUND' },
    );
    // Another terminal of the store cannot refund this terminal's debit either.
    const other = await t.pairedTerminal();
    await assert.rejects(
      other.refund({
        saleId: paid.saleId,
        paymentId: paid.paymentId,
        amountFen: 3_000,
        idempotencyKey: randomUUID(),
      }),
      { code: 'NOT_FOUND' },
    );
    assert.equal(await p.balance(), 7_000, 'nothing credited');
    assert.equal((await terminal.status(paid.idempotencyKey))?.refundedFen, 0);
  });

  it("signs each approval with the cloud's payment key, for this terminal, sale and amount; a decline carries no signature", async () => {
    const { createPublicKey, verify } = await import('node:crypto');
    const { faceDebitMessage } = await import('../../main/contract');
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: await terminal.paymentPublicKey() },
      format: 'jwk',
    });
    assert.equal(await terminal.paymentPublicKey(), t.cloud.paymentPublicKey);
    const p = await payer(1_000);
    const request = attempt(await p.token(600), 600);
    const paid = await terminal.authorise(request);
    const auth = paid.authorisation;
    assert.ok(auth);
    assert.deepEqual(
      [auth.paymentId, auth.terminalId, auth.saleId, auth.amountFen, auth.at],
      [paid.paymentId, terminal.credentials?.terminalId, request.saleId, 600, paid.createdAt],
    );
    const { signature, ...fields } = auth;
    const message = Buffer.from(faceDebitMessage(fields));
    assert.ok(verify(null, message, key, Buffer.from(signature, 'base64url')));
    // The status query answers with the same signed authorisation.
    assert.deepEqual((await terminal.status(request.idempotencyKey))?.authorisation, auth);
    const declined = await terminal.authorise(attempt(await p.token(600), 600));
    assert.deepEqual([declined.status, declined.authorisation], ['declined', null]);
  });
});
