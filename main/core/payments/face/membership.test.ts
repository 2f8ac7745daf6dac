/**
 * Membership after a face payment: a member is greeted (never at confirm), anyone else offered
 * to join, also when the background resolver finds the payment later.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approvedMember, GREETING, MATCH, tick, unreachable, until } from './test-support/fakes';
import {
  backend,
  cloud,
  ready,
  sale,
  service,
  state,
  t,
  toConfirm,
  useFacePayHarness,
} from './test-support/harness';

describe('face pay membership', () => {
  useFacePayHarness();

  it('a returning member is greeted once paid (points, the coupon itself), never at confirm', async () => {
    await ready();
    cloud.identifyAnswers = [MATCH];
    cloud.authoriseAnswers = [approvedMember];
    service.start(sale.id, t.op);
    backend.last.ready();
    await until(() => state().phase === 'confirm', 'confirm');
    assert.equal(state().maskedName, '张*三');
    assert.equal(state().membership, null, 'a match says nothing of membership');

    service.confirm(sale.id);
    await until(() => state().phase === 'paid', 'paid');
    assert.deepEqual(state().membership, GREETING, 'a member is greeted, not offered to join');
    // Nothing to join: the offer was never made.
    service.joinMembership(sale.id, true);
    await tick(20);
    assert.equal(cloud.count('joinMembership'), 0);
    assert.deepEqual(state().membership, GREETING);
  });

  it('a newcomer is not greeted at confirm: the offer comes after paying', async () => {
    await ready();
    await toConfirm();
    assert.equal(state().membership, null);
  });

  it('a member whose payment the background resolver finds later is greeted, not offered', async () => {
    await ready();
    cloud.identifyAnswers = [MATCH];
    service.start(sale.id, t.op);
    backend.last.ready();
    await until(() => state().phase === 'confirm', 'confirm');
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
    assert.equal(state().membership, null, 'no greeting on a failure screen');
    cloudBack = true;
    await until(() => state().phase === 'paid', 'paid in the background');
    assert.deepEqual(state().membership, GREETING);
    service.joinMembership(sale.id, true);
    await tick(20);
    assert.equal(cloud.count('joinMembership'), 0, 'no membership offer to an existing member');
  });
});
