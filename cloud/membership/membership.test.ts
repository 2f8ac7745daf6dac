import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CloudClient } from '../client/index';
import {
  liveEvidence,
  databaseLabel,
  enrolPayer,
  randomUnit,
  rng,
  startTestCloud,
  type TestCloud,
} from '../test-support';

describe(`membership (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  const random = rng(11);
  const consent = { textVersion: 'membership-v1', acceptedAt: new Date().toISOString() };

  before(async () => {
    t = await startTestCloud({ threshold: 0.41 });
    terminal = await t.pairedTerminal('shop-m');
  });
  after(() => t.close());

  async function pay(face: Float32Array, amountFen: number, via = terminal) {
    const answer = await via.identify({ embedding: face, liveness: liveEvidence(), amountFen });
    assert.equal(answer.result, 'match');
    if (answer.result !== 'match') throw new Error('no match');
    const payment = await via.authorise({
      token: answer.token,
      amountFen,
      saleId: randomUUID(),
      idempotencyKey: randomUUID(),
    });
    return { answer, payment };
  }

  it('joins after paying, then greets the member with points and coupons next time', async () => {
    const face = randomUnit(random);
    await enrolPayer(t.admin, { name: '陈静', phone: '13911112222', templates: [face] });
    const { answer, payment } = await pay(face, 2_599);
    assert.equal(payment.member, null, 'not a member yet');
    assert.ok(!('member' in answer), 'a match never says who is a member');

    const joined = await terminal.joinMembership({ paymentId: payment.paymentId, consent });
    assert.equal(joined.joined, true);
    assert.equal(joined.points, 25, 'the joining payment earns its points');
    assert.deepEqual(
      [joined.maskedName, joined.maskedPhone, joined.storeId],
      ['陈*', '139****2222', 'shop-m'],
    );
    const again = await terminal.joinMembership({ paymentId: payment.paymentId, consent });
    assert.deepEqual([again.joined, again.memberId, again.points], [false, joined.memberId, 25]);

    const coupon = await t.admin.issueCoupon(joined.memberId, {
      title: '¥5 off ¥50',
      discountFen: 500,
      minSpendFen: 5_000,
    });
    // Greeted with the payment's answer (its points included), never with the match: a face or
    // a photo of one tells nobody who is a member until they pay.
    const next = await pay(face, 1_000);
    assert.ok(!('member' in next.answer));
    assert.deepEqual(next.payment.member, {
      memberId: joined.memberId,
      points: 25 + 10,
      coupons: [coupon],
    });

    // Paying as a member earns points; a refund takes them back.
    const { payment: second } = await pay(face, 10_000);
    const refund = await terminal.refund({
      saleId: second.saleId,
      paymentId: second.paymentId,
      amountFen: 4_000,
      idempotencyKey: randomUUID(),
    });
    assert.equal(refund.status, 'approved');
    const after = await terminal.status(second.idempotencyKey);
    assert.equal(after?.member?.points, 35 + 100 - 40);
  });

  it("is per store: another shop's terminal sees no membership and cannot join on this payment", async () => {
    const face = randomUnit(random);
    await enrolPayer(t.admin, { name: 'Zhou Yan', phone: '13922223333', templates: [face] });
    const { payment } = await pay(face, 1_000);
    await terminal.joinMembership({ paymentId: payment.paymentId, consent });
    const elsewhere = await t.pairedTerminal('shop-n');
    const { payment: there } = await pay(face, 100, elsewhere);
    assert.equal(there.member, null);
    await assert.rejects(elsewhere.joinMembership({ paymentId: payment.paymentId, consent }), {
      code: 'NOT_FOUND',
    });
  });
});
