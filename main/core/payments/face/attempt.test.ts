/**
 * The customer's attempt against a real ledger and fakes for the camera, the face engine and the
 * cloud: the happy path, the phone tail, every failure before the debit (each leaves the sale open
 * for another tender), timeouts, cancel and cart changes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdentifyResponse } from '../../../../cloud/api';
import { DEMO_PRODUCTS } from '../../../ledger/demo-catalog';
import {
  approved,
  FRAMES_AT,
  MATCH,
  tick,
  unreachable,
  until,
  type Answer,
} from './test-support/fakes';
import {
  assertStillOpen,
  backend,
  camera,
  cloud,
  events,
  make,
  paidSales,
  phases,
  ready,
  sale,
  service,
  state,
  t,
  toConfirm,
  useFacePayHarness,
} from './test-support/harness';

describe('face pay attempt', () => {
  useFacePayHarness();

  it('pays: capture, identify, confirm, authorise, one ledger payment that completes the sale', async () => {
    await ready();
    cloud.identifyAnswers = [MATCH];
    cloud.authoriseAnswers = [approved];
    const started = service.start(sale.id, t.op);
    assert.equal(started.phase, 'capturing');
    assert.equal(started.step, 'searching');
    assert.equal(camera.opened, 1);

    backend.last.ready();
    await until(() => state().phase === 'confirm', 'confirm');
    const preview = events.find((e) => e.name === 'facepay.preview');
    assert.match(
      (preview?.payload as { image: string }).image,
      /^data:image\/jpeg;base64,/,
      'the customer display gets a JPEG preview',
    );
    assert.ok(camera.stopped >= 1, 'the camera stops once the face is captured');
    assert.equal(state().maskedName, '张*三');
    assert.equal(state().amountFen, sale.dueFen);
    const identify = cloud.calls.find((c) => c.method === 'identify')?.input as {
      amountFen: number;
      liveness: unknown;
    };
    assert.equal(identify.amountFen, sale.dueFen);
    // Every window frame's score and the frames' times go to the cloud, which weighs them itself.
    assert.deepEqual(identify.liveness, {
      frames: 5,
      scores: [0.96, 0.97, 0.98, 0.97, 0.97],
      meanScore: (0.96 + 0.97 + 0.98 + 0.97 + 0.97) / 5,
      firstFrameAt: FRAMES_AT,
      lastFrameAt: FRAMES_AT + 32,
    });

    service.confirm(sale.id);
    await until(() => state().phase === 'paid', 'paid');
    const authorise = cloud.calls.find((c) => c.method === 'authorise')?.input as {
      idempotencyKey: string;
      amountFen: number;
    };
    assert.equal(authorise.idempotencyKey, `fp:${sale.id}:1`);
    assert.equal(authorise.amountFen, sale.dueFen);

    const done = t.ledger.getSale(sale.id);
    assert.equal(done.status, 'completed');
    assert.equal(done.payments.length, 1);
    assert.equal(done.payments[0]?.method, 'face');
    assert.equal(done.payments[0]?.reference, 'pay-1');
    assert.equal(done.payments[0]?.amountFen, sale.dueFen);
    assert.equal(done.operator?.id, t.op, 'recorded for who was at the till when it started');
    assert.equal(paidSales.length, 1);
    assert.equal(state().receiptNo, done.receiptNo);
    assert.deepEqual(state().membership, { status: 'offer', points: null, coupons: [] });
    assert.deepEqual(phases(), [
      'capturing',
      'capturing',
      'identifying',
      'confirm',
      'authorising',
      'paid',
    ]);

    // A second confirm (double tap) changes nothing.
    service.confirm(sale.id);
    await tick(20);
    assert.equal(cloud.count('authorise'), 1);

    service.joinMembership(sale.id, true);
    await until(() => state().membership?.status === 'joined', 'joined');
    assert.equal(state().membership?.points, 12);
  });

  it('asks for the phone tail when the match is ambiguous, and lets a wrong tail be retyped', async () => {
    await ready();
    cloud.identifyAnswers = [
      { result: 'ambiguous', ask: 'phone_tail' },
      { result: 'no_match' },
      MATCH,
    ];
    cloud.authoriseAnswers = [approved];
    service.start(sale.id, t.op);
    backend.last.ready();
    await until(() => state().phase === 'phoneTail', 'phone tail');
    assert.equal(state().phoneTailTriesLeft, 2);

    service.phoneTail(sale.id, '1111');
    await until(() => state().phase === 'phoneTail' && state().phoneTailRejected, 'rejected');
    assert.equal(state().phoneTailTriesLeft, 1);
    service.phoneTail(sale.id, '5678');
    await until(() => state().phase === 'confirm', 'confirm');
    const calls = cloud.calls.filter((c) => c.method === 'identifyWithPhoneTail');
    assert.deepEqual(
      calls.map((c) => (c.input as { phoneTail: string }).phoneTail),
      ['1111', '5678'],
    );
    service.confirm(sale.id);
    await until(() => state().phase === 'paid', 'paid');
    assert.equal(t.ledger.getSale(sale.id).status, 'completed');
  });

  it('a wrong phone tail twice is no match; the sale stays open', async () => {
    await ready();
    cloud.identifyAnswers = [{ result: 'ambiguous', ask: 'phone_tail' }, { result: 'no_match' }];
    service.start(sale.id, t.op);
    backend.last.ready();
    await until(() => state().phase === 'phoneTail', 'phone tail');
    service.phoneTail(sale.id, '1111');
    await until(() => state().phoneTailRejected, 'rejected');
    service.phoneTail(sale.id, '2222');
    await until(() => state().phase === 'failed', 'failed');
    assert.equal(state().failure?.code, 'NO_MATCH');
    assertStillOpen();
  });

  for (const [what, code] of [
    ['no face', 'NO_FACE'],
    ['a spoof', 'NOT_LIVE'],
    ['a face never clear', 'FACE_NOT_USABLE'],
  ] as const) {
    it(`${what}: fails ${code}, the sale stays open, and face pay can start again`, async () => {
      await ready();
      service.start(sale.id, t.op);
      backend.last.frame();
      backend.last.fail(code);
      await until(() => state().phase === 'failed', 'failed');
      assert.equal(state().failure?.code, code);
      assert.equal(cloud.calls.length, 0, 'nothing went to the cloud');
      assertStillOpen();

      const again = service.start(sale.id, t.op);
      assert.equal(again.phase, 'capturing');
      assert.equal(again.attempt, 2);
    });
  }

  it('a camera that sends nothing is a CAMERA_ERROR', async () => {
    await service.close();
    make({ firstFrameTimeoutMs: 50 });
    await ready();
    service.start(sale.id, t.op);
    await until(() => state().phase === 'failed', 'failed');
    assert.equal(state().failure?.code, 'CAMERA_ERROR');
    assert.equal(backend.last.cancelled, true);
    assertStillOpen();
  });

  for (const [what, answer, code] of [
    ['no match', { result: 'no_match' }, 'NO_MATCH'],
    ['the cloud unreachable', unreachable(), 'CLOUD_UNREACHABLE'],
    [
      'a liveness refusal',
      Object.assign(new Error('not live'), { code: 'LIVENESS_REQUIRED' }),
      'NOT_LIVE',
    ],
    [
      'a rate limit (429)',
      Object.assign(new Error('too many requests'), { code: 'RATE_LIMITED', status: 429 }),
      'UNAVAILABLE',
    ],
  ] as const) {
    it(`identify with ${what}: fails ${code}, sale open`, async () => {
      await ready();
      cloud.identifyAnswers = [answer as Answer<IdentifyResponse>];
      service.start(sale.id, t.op);
      backend.last.ready();
      await until(() => state().phase === 'failed', 'failed');
      assert.equal(state().failure?.code, code);
      assertStillOpen();
      if (code === 'CLOUD_UNREACHABLE') assert.equal(service.availability().reason, 'OFFLINE');
    });
  }

  it('identify that never answers times out as CLOUD_UNREACHABLE', async () => {
    await ready();
    cloud.identifyAnswers = [() => new Promise<IdentifyResponse>(() => undefined)];
    service.start(sale.id, t.op);
    backend.last.ready();
    await until(() => state().phase === 'failed', 'failed');
    assert.equal(state().failure?.code, 'CLOUD_UNREACHABLE');
    assertStillOpen();
  });

  it('times out waiting for Confirm, and for the phone digits', async () => {
    await service.close();
    make({ confirmTimeoutMs: 40, phoneTailTimeoutMs: 40 });
    await ready();
    await toConfirm();
    await until(() => state().phase === 'failed', 'confirm timeout');
    assert.equal(state().failure?.code, 'CONFIRM_TIMEOUT');
    assertStillOpen();

    cloud.identifyAnswers = [{ result: 'ambiguous', ask: 'phone_tail' }];
    service.start(sale.id, t.op);
    backend.last.ready();
    await until(() => state().phase === 'phoneTail', 'phone tail');
    await until(() => state().phase === 'failed', 'phone tail timeout');
    assert.equal(state().failure?.code, 'CONFIRM_TIMEOUT');
    assert.equal(cloud.count('authorise'), 0);
    assertStillOpen();
  });

  it('cancel while capturing stops the session and the camera; cancel at confirm too', async () => {
    await ready();
    service.start(sale.id, t.op);
    const session = backend.last;
    const cancelled = service.cancel(sale.id);
    assert.equal(cancelled.phase, 'failed');
    assert.equal(cancelled.failure?.code, 'CANCELLED');
    assert.equal(session.cancelled, true);
    assert.ok(camera.stopped >= 1);
    assertStillOpen();

    await toConfirm();
    service.cancel(sale.id);
    assert.equal(state().failure?.code, 'CANCELLED');
    service.confirm(sale.id); // too late: nothing happens
    await tick(20);
    assert.equal(cloud.count('authorise'), 0);
    assertStillOpen();
  });

  it('a cart change before Confirm stops the attempt (SALE_CHANGED)', async () => {
    await ready();
    await toConfirm();
    const product = DEMO_PRODUCTS[9];
    assert.ok(product);
    const changed = t.ledger.addItem({ barcode: product.barcode });
    service.onSaleChanged(changed);
    assert.equal(state().phase, 'failed');
    assert.equal(state().failure?.code, 'SALE_CHANGED');
    assert.equal(t.ledger.getSale(sale.id).status, 'open');
  });

  it('refuses to start on a sale that cannot be paid', async () => {
    await ready();
    assert.throws(() => service.start('no-such-sale', t.op), { code: 'NOT_FOUND' });
    t.ledger.pay(sale.id, { method: 'cash', amountFen: sale.dueFen }, t.op);
    assert.throws(() => service.start(sale.id, t.op), { code: 'SALE_NOT_OPEN' });
  });
});
