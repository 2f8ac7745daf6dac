/**
 * Face pay's test stand-ins for the world at its edge: a camera, a face engine whose sessions the
 * test drives, and a cloud whose answers the test queues (signed like the real one's, with the
 * test cloud key), plus the answers and timings the tests share.
 */
import assert from 'node:assert/strict';
import type { IdentifyResponse, PaymentRecord } from '../../../../../cloud/api';
import type {
  FaceSessionEvent,
  FaceSessionOptions,
  FrameSource,
  SessionOutcome,
} from '../../../../face';
import {
  signFaceDebit,
  TEST_CLOUD_KEY,
  TEST_CLOUD_TERMINAL,
} from '../../../../ledger/test-support/face-debit';
import type { FaceBackend, FacePayCamera, FacePayCloud, FacePayTiming } from '../ports';

export const EMBEDDING = () => Float32Array.from({ length: 512 }, (_, i) => (i === 0 ? 1 : 0));

export class FakeCamera implements FacePayCamera {
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
export class FakeSession {
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

export class FakeBackend implements FaceBackend {
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

export type Answer<T> = T | Error | ((input: never) => Promise<T> | T);

export function unreachable(): Error {
  return Object.assign(new Error('no answer from the cloud'), { code: 'UNREACHABLE' });
}

/** A cloud whose answers the test queues per call; every call is recorded. */
export class FakeCloud implements FacePayCloud {
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
export const FRAMES_AT = Date.parse('2026-03-01T10:00:00.000Z');

export const MATCH: IdentifyResponse = {
  result: 'match',
  token: 'tok_'.padEnd(40, 'x'),
  tokenExpiresAt: new Date(Date.now() + 120_000).toISOString(),
  payer: { maskedName: '张*三' },
};

export const COUPON = {
  couponId: 'cpn-1',
  title: '会员日',
  discountFen: 500,
  minSpendFen: 3_000,
  expiresAt: '2030-01-31T15:59:59.000Z',
};

/** A returning member of this store: 120 points and a coupon, told with the payment's answer. */
export const MEMBER = { memberId: 'mbr-1', points: 120, coupons: [COUPON] };
export function approvedMember(input: {
  saleId: string;
  amountFen: number;
  idempotencyKey: string;
}) {
  return { ...approved(input), member: MEMBER };
}

export const GREETING = { status: 'member', points: 120, coupons: [COUPON] } as const;

/** An approval as the cloud answers it: signed with its payment key for this terminal's sale. */
export function approved(input: {
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

export function declined(code: PaymentRecord['declineCode']) {
  return (input: { saleId: string; amountFen: number; idempotencyKey: string }) => ({
    ...approved(input),
    status: 'declined' as const,
    declineCode: code,
    authorisation: null,
  });
}

/** The cloud link as the terminal holds it: this terminal's cloud id and the client. */
export const LINK = (client: FakeCloud) => ({
  baseUrl: 'http://cloud.test',
  credentials: { terminalId: TEST_CLOUD_TERMINAL },
  client,
});

export const FAST: Partial<FacePayTiming> = {
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

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));

export async function until(check: () => boolean, what: string, ms = 3_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick(5);
  }
}
