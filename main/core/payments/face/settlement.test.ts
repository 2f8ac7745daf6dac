/**
 * Face pay's settlement: declines and refusals, lost answers resolved by status queries (never
 * paying twice), PAYMENT_UNCERTAIN resolved in the background (recorded or refunded), and
 * approvals whose signature does not verify given back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PaymentRecord } from '../../../../cloud/api';
import { signFaceDebit } from '../../../ledger/test-support/face-debit';
import { approved, approvedMember, declined, unreachable, until } from './test-support/fakes';
import {
  assertStillOpen,
  camera,
  cloud,
  ready,
  sale,
  service,
  state,
  t,
  toConfirm,
  useFacePayHarness,
} from './test-support/harness';

describe('face pay settlement', () => {
  useFacePayHarness();

  it('attack: an approval whose signature is forged, tampered, missing or for another terminal records nothing and is given back', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const forger = generateKeyPairSync('ed25519').privateKey;
    type Input = { saleId: string; amountFen: number; idempotencyKey: string };
    const bad: [string, (input: Input) => PaymentRecord][] = [
      ['unsigned', (input) => ({ ...approved(input), authorisation: null })],
      [
        'signed by another key',
        (input) => {
          const real = approved(input);
          const { signature: _s, ...fields } = real.authorisation ?? ({} as never);
          return { ...real, authorisation: signFaceDebit(fields, forger) };
        },
      ],
      [
        'tampered (another payment id)',
        (input) => {
          const real = approved(input);
          return {
            ...real,
            authorisation: real.authorisation && { ...real.authorisation, paymentId: 'pay-x' },
          };
        },
      ],
      [
        'for another terminal',
        (input) => {
          const real = approved(input);
          const { signature: _s, ...fields } = real.authorisation ?? ({} as never);
          return { ...real, authorisation: signFaceDebit({ ...fields, terminalId: 'trm_b' }) };
        },
      ],
    ];
    await ready();
    for (const [what, answer] of bad) {
      cloud.authoriseAnswers = [answer];
      const refundsBefore = cloud.refunds.length;
      await toConfirm();
      service.confirm(sale.id);
      await until(() => state().phase === 'failed', `failed (${what})`);
      assertStillOpen();
      await until(() => cloud.refunds.length === refundsBefore + 1, `given back (${what})`);
      const refund = cloud.refunds.at(-1) as { saleId: string; paymentId: string };
      assert.equal(refund.saleId, sale.id, what);
    }
  });

  for (const [decline, code] of [
    ['INSUFFICIENT_BALANCE', 'INSUFFICIENT_BALANCE'],
    ['OVER_TRANSACTION_LIMIT', 'OVER_LIMIT'],
    ['OVER_DAILY_LIMIT', 'OVER_LIMIT'],
    ['TOKEN_INVALID', 'DECLINED'],
  ] as const) {
    it(`a ${decline} decline fails ${code}; the sale stays open`, async () => {
      await ready();
      await toConfirm();
      cloud.authoriseAnswers = [declined(decline)];
      service.confirm(sale.id);
      await until(() => state().phase === 'failed', 'failed');
      assert.equal(state().failure?.code, code);
      assertStillOpen();
    });
  }

  for (const refusal of ['RATE_LIMITED', 'TERMINAL_REVOKED'] as const) {
    it(`authorise refused ${refusal}: face pay unavailable (pay another way), sale open`, async () => {
      await ready();
      await toConfirm();
      cloud.authoriseAnswers = [Object.assign(new Error(refusal), { code: refusal })];
      service.confirm(sale.id);
      await until(() => state().phase === 'failed', 'failed');
      assert.equal(state().failure?.code, 'UNAVAILABLE');
      assert.equal(cloud.count('status'), 0, 'a refusal is an answer: nothing to resolve');
      assertStillOpen();
    });
  }

  it('a lost authorise answer is resolved by status, not by paying twice', async () => {
    await ready();
    await toConfirm();
    let debits = 0;
    cloud.authoriseAnswers = [
      (input: { saleId: string; amountFen: number; idempotencyKey: string }) => {
        debits += 1;
        cloud.payments.set(input.idempotencyKey, approved(input));
        throw unreachable(); // debited, but the answer never arrives
      },
    ];
    cloud.statusAnswers = [unreachable(), (key: string) => cloud.payments.get(key) ?? null];
    service.confirm(sale.id);
    await until(() => state().phase === 'paid', 'paid');
    assert.equal(debits, 1);
    assert.equal(cloud.count('authorise'), 1);
    assert.ok(cloud.count('status') >= 2);
    const done = t.ledger.getSale(sale.id);
    assert.equal(done.status, 'completed');
    assert.deepEqual(
      done.payments.map((p) => [p.method, p.reference]),
      [['face', 'pay-1']],
    );
  });

  it('when status says the cloud never got the request, it is sent again with the same key', async () => {
    await ready();
    await toConfirm();
    cloud.authoriseAnswers = [unreachable(), approved];
    cloud.statusAnswers = [null];
    service.confirm(sale.id);
    await until(() => state().phase === 'paid', 'paid');
    const keys = cloud.calls
      .filter((c) => c.method === 'authorise')
      .map((c) => (c.input as { idempotencyKey: string }).idempotencyKey);
    assert.deepEqual(keys, [`fp:${sale.id}:1`, `fp:${sale.id}:1`]);
  });

  it('an answer still unknown at the deadline: PAYMENT_UNCERTAIN, then recorded when found', async () => {
    await ready();
    await toConfirm();
    let cloudBack = false;
    cloud.authoriseAnswers = [unreachable()];
    cloud.statusAnswers = [
      (key: string) => {
        if (!cloudBack) throw unreachable();
        return approvedMember({ saleId: sale.id, amountFen: sale.dueFen, idempotencyKey: key });
      },
    ];
    service.confirm(sale.id);
    await until(() => state().phase === 'failed', 'uncertain');
    assert.equal(state().failure?.code, 'PAYMENT_UNCERTAIN');
    assertStillOpen();
    // No new attempt while the first one's fate is unknown.
    assert.equal(service.start(sale.id, t.op).failure?.code, 'PAYMENT_UNCERTAIN');
    assert.equal(camera.opened, 1);

    cloudBack = true;
    await until(() => state().phase === 'paid', 'paid in the background');
    const done = t.ledger.getSale(sale.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.payments.length, 1);
    assert.equal(cloud.refunds.length, 0);
  });

  it('an uncertain payment found after the sale was settled in cash is refunded', async () => {
    await ready();
    await toConfirm();
    let cloudBack = false;
    cloud.authoriseAnswers = [unreachable()];
    cloud.statusAnswers = [
      (key: string) => {
        if (!cloudBack) throw unreachable();
        return approvedMember({ saleId: sale.id, amountFen: sale.dueFen, idempotencyKey: key });
      },
    ];
    service.confirm(sale.id);
    await until(() => state().failure?.code === 'PAYMENT_UNCERTAIN', 'uncertain');
    t.ledger.pay(
      sale.id,
      { method: 'cash', amountFen: sale.dueFen, tenderedFen: sale.dueFen },
      t.op,
    );
    cloudBack = true;
    await until(() => cloud.refunds.length === 1, 'refund');
    assert.deepEqual(cloud.refunds[0], {
      saleId: sale.id,
      paymentId: 'pay-1',
      amountFen: sale.dueFen,
      idempotencyKey: `fpr:${sale.id}:1`,
      reason: 'face payment not recorded at the till',
    });
    const done = t.ledger.getSale(sale.id);
    assert.deepEqual(
      done.payments.map((p) => p.method),
      ['cash'],
    );
  });
});
