/**
 * Face pay's orchestration against a real ledger (temp file) and fakes for the camera, the face
 * engine and the cloud: the happy path, the phone tail, every failure (each leaves the sale open
 * for another tender), timeouts, cancel, and lost answers resolved by status queries.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { IdentifyResponse, PaymentRecord } from '../../../../cloud/api';
import type { EventName, EventPayload, FacePayState, Sale } from '../../../contract';
import type {
  FaceSessionEvent,
  FaceSessionOptions,
  FrameSource,
  SessionOutcome,
} from '../../../face';
import { DEMO_PRODUCTS } from '../../../ledger/demo-catalog';
import {
  signFaceDebit,
  TEST_CLOUD_KEY,
  TEST_CLOUD_TERMINAL,
} from '../../../ledger/test-support/face-debit';
import { openTestLedger, type TestLedger } from '../../../ledger/test-support/helpers';
import { silentLogger } from '../../logger';
import type { FaceBackend, FacePayCamera, FacePayCloud, FacePayTiming } from './ports';
import { FacePayService } from './service';

const EMBEDDING = () => Float32Array.from({ length: 512 }, (_, i) => (i === 0 ? 1 : 0));

class FakeCamera implements FacePayCamera {
  connected = true;
  opened = 0;
  stopped = 0;
  private listeners = new Set<() => void>();
  onChange(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  setConnected(value: boolean) {
    this.connected = value;
    for (const l of this.listeners) l();
  }
  open(): FrameSource {
    this.opened += 1;
    return { description: 'fake', next: () => new Promise(() => undefined), close() {} };
  }
  stop() {
    this.stopped += 1;
  }
}

/** A session the test drives: events in, an outcome out. */
class FakeSession {
  private settle!: (outcome: SessionOutcome) => void;
  readonly result = new Promise<SessionOutcome>((resolve) => (this.settle = resolve));
  cancelled = false;
  constructor(private readonly options: FaceSessionOptions) {}
  event(event: FaceSessionEvent) {
    this.options.onEvent?.(event);
  }
  frame() {
    this.event({
      type: 'frame',
      state: 'searching',
      atMs: 1,
      box: { x: 0.3, y: 0.2, width: 0.3, height: 0.5 },
      hint: 'LOOK_AT_CAMERA',
      message: 'Please look at the camera.',
      preview: { width: 4, height: 3, data: new Uint8Array(36).fill(128) },
    });
  }
  ready() {
    this.frame();
    this.event({ type: 'state', state: 'holdStill', atMs: 2 });
    this.settle({
      status: 'ready',
      elapsedMs: 100,
      frames: 6,
      embedding: EMBEDDING(),
      liveScore: 0.97,
      liveScores: [0.96, 0.97, 0.98, 0.97, 0.97],
      firstFrameMs: 60,
      lastFrameMs: 92,
      firstFrameAt: FRAMES_AT,
      lastFrameAt: FRAMES_AT + 32,
      quality: 0.9,
      framesFused: 5,
    });
  }
  fail(code: 'NO_FACE' | 'NOT_LIVE' | 'FACE_NOT_USABLE', frames = 5) {
    this.settle({ status: 'failed', elapsedMs: 5000, frames, code, message: code });
  }
  cancel = () => {
    this.cancelled = true;
    this.settle({
      status: 'failed',
      elapsedMs: 1,
      frames: 0,
      code: 'CANCELLED',
      message: 'cancelled',
    });
  };
}

class FakeBackend implements FaceBackend {
  sessions: FakeSession[] = [];
  startSession(_source: FrameSource, options: FaceSessionOptions) {
    const session = new FakeSession(options);
    this.sessions.push(session);
    return { result: session.result, cancel: session.cancel };
  }
  async close() {}
  get last(): FakeSession {
    const s = this.sessions.at(-1);
    assert.ok(s, 'no session started');
    return s;
  }
}

type Answer<T> = T | Error | ((input: never) => Promise<T> | T);

function unreachable(): Error {
  return Object.assign(new Error('no answer from the cloud'), { code: 'UNREACHABLE' });
}

/** A cloud whose answers the test queues per call; every call is recorded. */
class FakeCloud implements FacePayCloud {
  calls: { method: string; input: unknown }[] = [];
  identifyAnswers: Answer<IdentifyResponse>[] = [];
  authoriseAnswers: Answer<PaymentRecord>[] = [];
  statusAnswers: Answer<PaymentRecord | null>[] = [];
  refunds: unknown[] = [];
  payments = new Map<string, PaymentRecord>();

  private async answer<T>(queue: Answer<T>[], method: string, input: unknown): Promise<T> {
    this.calls.push({ method, input });
    const next = queue.length > 1 ? queue.shift() : queue[0];
    if (next === undefined) throw new Error(`no ${method} answer queued`);
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return (next as (i: unknown) => T)(input);
    return next;
  }
  identify(input: unknown) {
    return this.answer(this.identifyAnswers, 'identify', input);
  }
  identifyWithPhoneTail(input: unknown) {
    return this.answer(this.identifyAnswers, 'identifyWithPhoneTail', input);
  }
  authorise(input: unknown) {
    return this.answer(this.authoriseAnswers, 'authorise', input);
  }
  status(key: string) {
    return this.answer(this.statusAnswers, 'status', key);
  }
  /** The stand-in cloud's payment key (its answers are signed with TEST_CLOUD_KEY). */
  paymentKey = String(TEST_CLOUD_KEY.publicKey.export({ format: 'jwk' }).x);
  async paymentPublicKey() {
    return this.paymentKey;
  }
  async refund(input: {
    saleId: string;
    paymentId: string;
    amountFen: number;
    idempotencyKey: string;
  }) {
    this.refunds.push(input);
    return {
      refundId: 'rf-1',
      idempotencyKey: input.idempotencyKey,
      paymentId: input.paymentId,
      amountFen: input.amountFen,
      status: 'approved' as const,
      declineCode: null,
      createdAt: new Date().toISOString(),
    };
  }
  async joinMembership() {
    this.calls.push({ method: 'joinMembership', input: null });
    return {
      memberId: 'm-1',
      storeId: 's',
      joined: true,
      maskedName: '张*三',
      maskedPhone: '138****5678',
      points: 12,
      coupons: [],
    };
  }
  count(method: string) {
    return this.calls.filter((c) => c.method === method).length;
  }
}

/** When the fake session's liveness window was seen (epoch ms). */
const FRAMES_AT = Date.parse('2026-03-01T10:00:00.000Z');

const MATCH: IdentifyResponse = {
  result: 'match',
  token: 'tok_'.padEnd(40, 'x'),
  tokenExpiresAt: new Date(Date.now() + 120_000).toISOString(),
  payer: { maskedName: '张*三' },
};

const COUPON = {
  couponId: 'cpn-1',
  title: '会员日',
  discountFen: 500,
  minSpendFen: 3_000,
  expiresAt: '2030-01-31T15:59:59.000Z',
};

/** A returning member of this store: 120 points and a coupon, told with the payment's answer. */
const MEMBER = { memberId: 'mbr-1', points: 120, coupons: [COUPON] };
function approvedMember(input: { saleId: string; amountFen: number; idempotencyKey: string }) {
  return { ...approved(input), member: MEMBER };
}

const GREETING = { status: 'member', points: 120, coupons: [COUPON] } as const;

/** An approval as the cloud answers it: signed with its payment key for this terminal's sale. */
function approved(input: {
  saleId: string;
  amountFen: number;
  idempotencyKey: string;
}): PaymentRecord {
  const createdAt = new Date().toISOString();
  return {
    paymentId: 'pay-1',
    idempotencyKey: input.idempotencyKey,
    saleId: input.saleId,
    amountFen: input.amountFen,
    status: 'approved' as const,
    declineCode: null,
    refundedFen: 0,
    maskedName: '张*三',
    createdAt,
    authorisation: signFaceDebit({
      paymentId: 'pay-1',
      terminalId: TEST_CLOUD_TERMINAL,
      saleId: input.saleId,
      amountFen: input.amountFen,
      at: createdAt,
    }),
  };
}

function declined(code: PaymentRecord['declineCode']) {
  return (input: { saleId: string; amountFen: number; idempotencyKey: string }) => ({
    ...approved(input),
    status: 'declined' as const,
    declineCode: code,
    authorisation: null,
  });
}

/** The cloud link as the terminal holds it: this terminal's cloud id and the client. */
const LINK = (client: FakeCloud) => ({
  baseUrl: 'http://cloud.test',
  credentials: { terminalId: TEST_CLOUD_TERMINAL },
  client,
});

const FAST: Partial<FacePayTiming> = {
  identifyTimeoutMs: 200,
  confirmTimeoutMs: 5_000,
  phoneTailTimeoutMs: 5_000,
  authoriseTimeoutMs: 200,
  resolveDeadlineMs: 300,
  resolveBackoffMs: [10, 20],
  backgroundResolveEveryMs: 30,
  backgroundResolveForMs: 5_000,
  probeEveryMs: 60_000,
  firstFrameTimeoutMs: 2_000,
};

const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick(5);
  }
}

describe('face pay orchestration', () => {
  let t: TestLedger;
  let camera: FakeCamera;
  let backend: FakeBackend;
  let cloud: FakeCloud;
  let service: FacePayService;
  let events: { name: EventName; payload: unknown }[];
  let paidSales: Sale[];
  let sale: Sale;

  function make(timing: Partial<FacePayTiming> = {}, probe = async () => true) {
    service = new FacePayService({
      ledger: t.ledger,
      logger: silentLogger,
      emit: <E extends EventName>(name: E, payload: EventPayload<E>) =>
        events.push({ name, payload }),
      onSalePaid: (s) => paidSales.push(s),
      face: async () => backend,
      timing: { ...FAST, ...timing },
      probe,
    });
  }

  async function ready(): Promise<void> {
    service.attachCamera(camera);
    service.attachCloud(LINK(cloud));
    await until(() => service.availability().available, 'face pay to be available');
  }

  const state = (): FacePayState => service.snapshot();
  const phases = () =>
    events.filter((e) => e.name === 'facepay.state').map((e) => (e.payload as FacePayState).phase);

  async function toConfirm(): Promise<void> {
    cloud.identifyAnswers = [MATCH];
    service.start(sale.id, t.op);
    backend.last.ready();
    await until(() => state().phase === 'confirm', 'confirm');
  }

  function assertStillOpen(): void {
    const now = t.ledger.getSale(sale.id);
    assert.equal(now.status, 'open');
    assert.equal(now.payments.length, 0);
    assert.equal(now.dueFen, sale.dueFen);
  }

  beforeEach(() => {
    t = openTestLedger();
    t.ledger.openShift(10_000, t.op);
    const product = DEMO_PRODUCTS[5];
    assert.ok(product);
    sale = t.ledger.addItem({ barcode: product.barcode, qty: 2 });
    camera = new FakeCamera();
    backend = new FakeBackend();
    cloud = new FakeCloud();
    events = [];
    paidSales = [];
    make();
  });

  afterEach(async () => {
    await service.close();
    t.cleanup();
  });

  it('closing waits for a face engine still loading, and closes it once it is up', async () => {
    // The process exits after close(): with the face worker still inside ONNX Runtime's
    // start-up it would abort (seen on these machines), so close() waits for the start.
    await service.close();
    let finishStart!: () => void;
    let closedEngine = false;
    const slow = new FakeBackend();
    slow.close = async () => void (closedEngine = true);
    service = new FacePayService({
      ledger: t.ledger,
      logger: silentLogger,
      emit: () => undefined,
      onSalePaid: () => undefined,
      face: () => new Promise<FaceBackend>((resolve) => (finishStart = () => resolve(slow))),
      timing: FAST,
      probe: async () => true,
    });
    service.attachCamera(camera);
    service.attachCloud(LINK(cloud));
    await until(() => finishStart !== undefined, 'the engine to be starting');
    let closed = false;
    const closing = service.close().then(() => (closed = true));
    await tick(30);
    assert.equal(closed, false, 'close() returned while the engine was still starting');
    finishStart();
    await closing;
    assert.equal(closedEngine, true, 'the engine that came up after close() was closed');
  });

  it('is not offered without a cloud link, a camera, or while the cloud does not answer', async () => {
    assert.deepEqual(service.availability(), { available: false, reason: 'NO_CLOUD' });
    service.attachCloud(LINK(cloud));
    assert.equal(service.availability().reason, 'NO_CAMERA');
    service.attachCamera(camera);
    await until(() => service.availability().available, 'available');
    camera.setConnected(false);
    assert.equal(service.availability().reason, 'NO_CAMERA');
    camera.setConnected(true);
    assert.equal(service.availability().available, true);

    // Offline: the probe fails, and a start is refused as UNAVAILABLE with the sale open.
    await service.close();
    make({}, async () => false);
    service.attachCamera(camera);
    service.attachCloud(LINK(cloud));
    await until(() => service.availability().reason === 'OFFLINE', 'offline');
    const started = service.start(sale.id, t.op);
    assert.equal(started.phase, 'failed');
    assert.equal(started.failure?.code, 'UNAVAILABLE');
    assert.equal(camera.opened, 0);
    assertStillOpen();
    const announced = events.filter((e) => e.name === 'facepay.availability').at(-1);
    assert.deepEqual(announced?.payload, { available: false, reason: 'OFFLINE' });
  });

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

  it('refuses to start on a sale that cannot be paid', async () => {
    await ready();
    assert.throws(() => service.start('no-such-sale', t.op), { code: 'NOT_FOUND' });
    t.ledger.pay(sale.id, { method: 'cash', amountFen: sale.dueFen }, t.op);
    assert.throws(() => service.start(sale.id, t.op), { code: 'SALE_NOT_OPEN' });
  });
});
