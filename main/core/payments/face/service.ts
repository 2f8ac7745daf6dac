/**
 * Face pay's orchestration: one attempt at a time, per sale, from the camera to the ledger.
 *
 *   idle → capturing (a face session on the camera's frames) → identifying (the sealed, fused
 *   embedding to the cloud) → confirm {maskedName, amountFen} | phoneTail → authorising
 *   (idempotency key fp:<saleId>:<attempt>) → paid (ledger.pay, method 'face', the cloud's
 *   payment id as the reference: one ledger transaction completes the sale) | failed {code}.
 *
 * The payment is recorded for the person signed in at the till when the attempt started
 * (whoever confirms it, and even if the cashier has signed out by the time the cloud answers:
 * the customer's money must reach the ledger).
 *
 * Every failure leaves the sale open; the screens offer QR or cash. An authorisation whose answer
 * is lost (no answer, timeout, 5xx) is never guessed at: the terminal asks `status(key)` until it
 * knows (sending the same request again only when the cloud says it never got it). If the cloud
 * stays silent past the deadline the attempt fails PAYMENT_UNCERTAIN and a background resolver
 * keeps asking: an approval found later is recorded if the sale is still open for that amount,
 * and refunded if the sale was settled another way.
 *
 * Privacy: the embedding lives in this object only until the payer is identified (it is needed
 * again for the phone-tail question), then it is zeroed; it leaves the process only sealed, by
 * the cloud client. Frames are never seen here: the camera feeds the face worker, and only the
 * small preview comes back, for the customer display's event. Nothing here logs a payload.
 */
import type { KeyObject } from 'node:crypto';
import type {
  Coupon,
  LivenessEvidence,
  MemberGreeting,
  PaymentRecord,
} from '../../../../cloud/api';
import {
  FACEPAY_ACTIVE_PHASES,
  FACEPAY_STEPS,
  IDLE_FACEPAY_STATE,
  MAX_GREETING_COUPONS,
  MEMBERSHIP_CONSENT_VERSION,
  PosError,
  type EventName,
  type EventPayload,
  type FacePayAvailability,
  type FacePayCoupon,
  type FacePayFailureCode,
  type FacePayHint,
  type FacePayPhase,
  type FacePayState,
  type FacePayStep,
  type FacePayUnavailableReason,
  type Sale,
} from '../../../contract';
import type { FaceSession, FaceSessionEvent, SessionConfig } from '../../../face';
import { paymentKeyFrom, VerifiedFaceDebit } from '../../../ledger';
import type { Logger } from '../../logger';
import {
  DEFAULT_FACEPAY_TIMING,
  type FaceBackend,
  type FaceBackendFactory,
  type FacePayCamera,
  type FacePayLedger,
  type FacePayLink,
  type FacePayTiming,
} from './ports';
import { previewDataUrl } from './preview';

type FacePayEvent = 'facepay.state' | 'facepay.preview' | 'facepay.availability';

export interface FacePayOptions {
  ledger: FacePayLedger;
  logger: Logger;
  emit: <E extends FacePayEvent>(name: E, payload: EventPayload<E>) => void;
  /** A face payment completed the sale: the core tells the screens (sale, shift, outbox). */
  onSalePaid: (sale: Sale) => void;
  /** Starts the face engine (lazily, once a cloud link and a camera are attached). */
  face: FaceBackendFactory;
  timing?: Partial<FacePayTiming>;
  /** Face session settings (timeouts, frames), for tests. */
  session?: Partial<SessionConfig>;
  /** Is the cloud there? Default: GET <baseUrl>/v1/health answers ok within 3 s. */
  probe?: (link: FacePayLink) => Promise<boolean>;
}

/** Failure messages in English, for logs and tests (the screens translate the codes). */
export const FAILURE_MESSAGES: Record<FacePayFailureCode, string> = {
  NO_FACE: 'No face was found. Please look at the camera and try again.',
  FACE_NOT_USABLE: 'Your face could not be seen clearly. Please try again.',
  NOT_LIVE: 'The face check did not pass. Please pay another way.',
  TIMEOUT: 'This took too long. Please try again.',
  CAMERA_ERROR: 'The camera is not working. Please pay another way.',
  NO_MATCH: 'We could not find your face-pay account. Please pay another way.',
  OVER_LIMIT: 'This is over your face-pay limit. Please pay another way.',
  INSUFFICIENT_BALANCE: 'Your face-pay balance is too low. Please pay another way.',
  DECLINED: 'The payment was declined. Please pay another way.',
  CLOUD_UNREACHABLE: 'Face pay cannot reach the payment service. Please pay another way.',
  SALE_CHANGED: 'The order changed. Please start face pay again.',
  CONFIRM_TIMEOUT: 'Face pay timed out waiting for you. Please start again.',
  PAYMENT_UNCERTAIN:
    'We could not confirm the payment yet. Do not take another payment; the terminal is checking.',
  UNAVAILABLE: 'Face pay is not available right now. Please pay another way.',
  CANCELLED: 'Face pay was cancelled.',
};

const UNAVAILABLE_MESSAGES: Record<FacePayUnavailableReason, string> = {
  NO_CLOUD: 'Face pay is not set up on this terminal.',
  OFFLINE: 'Face pay is offline: the payment service does not answer.',
  NO_CAMERA: 'No camera is connected.',
  NO_FACE_ENGINE: 'The face models could not be loaded.',
  STARTING: 'Face pay is starting.',
};

const ACTIVE = new Set<FacePayPhase>(FACEPAY_ACTIVE_PHASES);
const STEPS = new Set<string>(FACEPAY_STEPS);
/** Before the customer confirms, an attempt may be cancelled or overtaken by a cart change. */
const INTERRUPTIBLE = new Set<FacePayPhase>(['capturing', 'identifying', 'confirm', 'phoneTail']);

/** Cloud errors after which the request's fate is unknown (it may have been carried out). */
const LOST_ANSWER_CODES = new Set(['UNREACHABLE', 'BAD_RESPONSE', 'UNAVAILABLE', 'INTERNAL']);

/** Cloud refusals that mean "not now from this terminal" rather than "this payer declined". */
const REFUSED_UNAVAILABLE = new Set(['RATE_LIMITED', 'TERMINAL_REVOKED']);

class TimeoutError extends Error {
  override name = 'TimeoutError';
  readonly code = 'UNREACHABLE';
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what}: no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** How long closing waits for a face engine that is still loading its models. */
const ENGINE_START_WAIT_MS = 20_000;

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms).unref());

async function defaultProbe(link: FacePayLink): Promise<boolean> {
  try {
    const response = await fetch(`${link.baseUrl.replace(/\/+$/, '')}/v1/health`, {
      signal: AbortSignal.timeout(3_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

function couponsToShow(coupons: readonly Coupon[]): FacePayCoupon[] {
  return coupons.slice(0, MAX_GREETING_COUPONS).map((c) => ({
    couponId: c.couponId,
    title: c.title.slice(0, 100),
    discountFen: c.discountFen,
    minSpendFen: c.minSpendFen,
    expiresAt: c.expiresAt,
  }));
}

/** How a recognised member is greeted (points, coupons); the offer to join for anyone else. */
function membershipFor(member: MemberGreeting | null): NonNullable<FacePayState['membership']> {
  return member !== null
    ? { status: 'member', points: member.points, coupons: couponsToShow(member.coupons) }
    : { status: 'offer', points: null, coupons: [] };
}

/** One attempt. Private fields hold what must never reach the screens. */
interface Flow {
  saleId: string;
  attempt: number;
  /** Who was signed in at the till when the attempt started: the payment is recorded for them. */
  operatorId: string;
  phase: FacePayPhase;
  step: FacePayStep | null;
  amountFen: number | null;
  maskedName: string | null;
  phoneTailTriesLeft: number | null;
  phoneTailRejected: boolean;
  failure: { code: FacePayFailureCode; message: string } | null;
  paymentId: string | null;
  receiptNo: string | null;
  membership: FacePayState['membership'];
  // private to main
  session: FaceSession | null;
  embedding: Float32Array | null;
  liveness: LivenessEvidence | null;
  token: string | null;
  timer: NodeJS.Timeout | null;
}

export class FacePayService {
  private readonly timing: FacePayTiming;
  private readonly probe: (link: FacePayLink) => Promise<boolean>;
  private link: FacePayLink | null = null;
  private camera: FacePayCamera | null = null;
  private cameraOff: (() => void) | null = null;
  private backend: FaceBackend | null = null;
  private backendState: 'none' | 'starting' | 'ready' | 'failed' = 'none';
  /** null: not known yet (first probe pending). */
  private cloudUp: boolean | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private probing = false;
  private lastAvailability = '';
  private flow: Flow | null = null;
  private readonly attempts = new Map<string, number>();
  /** Per cloud link: the key its approved payments are signed with. */
  private readonly paymentKeys = new WeakMap<FacePayLink, KeyObject>();
  /** Sales with a face payment whose outcome is still being resolved: no new attempt. */
  private readonly unresolved = new Set<string>();
  private readonly background = new Set<NodeJS.Timeout>();
  private closed = false;
  /** The face engine's start while it loads (then done, whichever way it went). */
  private starting: Promise<void> | null = null;

  constructor(private readonly options: FacePayOptions) {
    this.timing = { ...DEFAULT_FACEPAY_TIMING, ...options.timing };
    this.probe = options.probe ?? defaultProbe;
  }

  // -------------------------------------------------------------------------------------------
  // Wiring

  /** The terminal's cloud link (or null when it goes away). Face pay is offered only with one. */
  attachCloud(link: FacePayLink | null): void {
    this.link = link;
    this.cloudUp = null;
    if (this.probeTimer !== null) clearInterval(this.probeTimer);
    this.probeTimer = null;
    if (link !== null && !this.closed) {
      void this.probeNow();
      this.probeTimer = setInterval(() => void this.probeNow(), this.timing.probeEveryMs);
      this.probeTimer.unref();
    }
    this.maybeStartBackend();
    this.announceAvailability();
  }

  /** The camera frames come from (the browser host's capture page, Electron's window). */
  attachCamera(camera: FacePayCamera | null): () => void {
    this.cameraOff?.();
    this.camera = camera;
    this.cameraOff = camera?.onChange(() => this.announceAvailability()) ?? null;
    this.maybeStartBackend();
    this.announceAvailability();
    return () => {
      if (this.camera === camera) this.attachCamera(null);
    };
  }

  availability(): FacePayAvailability {
    const reason = this.unavailableReason();
    return { available: reason === null, reason };
  }

  status(): { availability: FacePayAvailability; state: FacePayState } {
    return { availability: this.availability(), state: this.snapshot() };
  }

  /** The current attempt as the screens see it. */
  snapshot(): FacePayState {
    const flow = this.flow;
    if (flow === null) return { ...IDLE_FACEPAY_STATE };
    return {
      saleId: flow.saleId,
      phase: flow.phase,
      attempt: flow.attempt,
      step: flow.step,
      amountFen: flow.amountFen,
      maskedName: flow.maskedName,
      phoneTailTriesLeft: flow.phoneTailTriesLeft,
      phoneTailRejected: flow.phoneTailRejected,
      failure: flow.failure,
      paymentId: flow.paymentId,
      receiptNo: flow.receiptNo,
      membership: flow.membership,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Requests (synchronous: progress follows as facepay.state events)

  start(saleId: string, operatorId: string): FacePayState {
    const sale = this.options.ledger.getSale(saleId);
    if (sale.status !== 'open')
      throw new PosError('SALE_NOT_OPEN', `sale ${saleId} is ${sale.status}`, 'saleId');
    if (sale.lines.length === 0)
      throw new PosError('SALE_EMPTY', `sale ${saleId} has nothing to pay for`, 'saleId');
    if (sale.dueFen <= 0)
      throw new PosError('SALE_NOT_OPEN', `sale ${saleId} has nothing left to pay`, 'saleId');
    if (this.options.ledger.currentShift() === null)
      throw new PosError('NO_OPEN_SHIFT', 'open a shift before taking payment');

    const current = this.flow;
    if (this.unresolved.has(saleId)) {
      if (current?.saleId === saleId) return this.snapshot();
      throw new PosError(
        'SALE_HAS_PAYMENTS',
        'a face payment for this sale is still being checked',
      );
    }
    if (current !== null && ACTIVE.has(current.phase)) {
      if (current.saleId === saleId) return this.snapshot();
      if (current.phase === 'authorising') {
        throw new PosError('SALE_HAS_PAYMENTS', 'a face payment is being authorised');
      }
      this.fail(current, 'SALE_CHANGED');
    }

    const attempt = (this.attempts.get(saleId) ?? 0) + 1;
    this.attempts.set(saleId, attempt);
    if (this.attempts.size > 200) {
      const oldest = this.attempts.keys().next().value;
      if (oldest !== undefined) this.attempts.delete(oldest);
    }
    const flow: Flow = {
      saleId,
      attempt,
      operatorId,
      phase: 'capturing',
      step: 'searching',
      amountFen: null,
      maskedName: null,
      phoneTailTriesLeft: null,
      phoneTailRejected: false,
      failure: null,
      paymentId: null,
      receiptNo: null,
      membership: null,
      session: null,
      embedding: null,
      liveness: null,
      token: null,
      timer: null,
    };
    this.flow = flow;

    const reason = this.unavailableReason();
    if (reason !== null) {
      this.fail(flow, 'UNAVAILABLE', UNAVAILABLE_MESSAGES[reason]);
      return this.snapshot();
    }
    this.options.logger.info('face pay started', { saleId, attempt });
    this.emitState();
    void this.capture(flow);
    return this.snapshot();
  }

  cancel(saleId: string): FacePayState {
    const flow = this.flow;
    if (flow !== null && flow.saleId === saleId && INTERRUPTIBLE.has(flow.phase)) {
      this.fail(flow, 'CANCELLED');
    }
    return this.snapshot();
  }

  confirm(saleId: string): FacePayState {
    const flow = this.flow;
    if (flow === null || flow.saleId !== saleId || flow.phase !== 'confirm') {
      return this.snapshot();
    }
    this.clearTimer(flow);
    void this.authorise(flow);
    return this.snapshot();
  }

  phoneTail(saleId: string, digits: string): FacePayState {
    const flow = this.flow;
    if (flow === null || flow.saleId !== saleId || flow.phase !== 'phoneTail') {
      return this.snapshot();
    }
    this.clearTimer(flow);
    flow.phoneTailTriesLeft = Math.max(0, (flow.phoneTailTriesLeft ?? 1) - 1);
    void this.identify(flow, digits);
    return this.snapshot();
  }

  joinMembership(saleId: string, consent: boolean): FacePayState {
    const flow = this.flow;
    const link = this.link;
    if (
      flow === null ||
      flow.saleId !== saleId ||
      flow.phase !== 'paid' ||
      flow.paymentId === null ||
      flow.membership === null ||
      (flow.membership.status !== 'offer' && flow.membership.status !== 'failed')
    ) {
      return this.snapshot();
    }
    if (!consent || link === null) {
      flow.membership = { ...flow.membership, status: 'declined' };
      this.emitState();
      return this.snapshot();
    }
    flow.membership = { ...flow.membership, status: 'joining' };
    const paymentId = flow.paymentId;
    void withTimeout(
      link.client.joinMembership({
        paymentId,
        consent: { textVersion: MEMBERSHIP_CONSENT_VERSION, acceptedAt: new Date().toISOString() },
      }),
      this.timing.identifyTimeoutMs,
      'membership',
    ).then(
      (joined) => {
        if (this.flow !== flow) return;
        flow.membership = {
          status: joined.joined ? 'joined' : 'member',
          points: joined.points,
          coupons: couponsToShow(joined.coupons),
        };
        this.options.logger.info('face pay: membership', { saleId, joined: joined.joined });
        this.emitState();
      },
      (error: unknown) => {
        if (this.flow !== flow) return;
        this.options.logger.warn('face pay: joining the membership failed', {
          saleId,
          code: errorCode(error),
        });
        flow.membership = { status: 'failed', points: null, coupons: [] };
        this.emitState();
      },
    );
    this.emitState();
    return this.snapshot();
  }

  /**
   * The cart changed through another request (scan, discount, part payment, hold, void). An
   * attempt not yet confirmed is stopped if its sale is gone or its amount no longer holds.
   */
  onSaleChanged(current: Sale | null): void {
    const flow = this.flow;
    if (flow === null) return;
    if (INTERRUPTIBLE.has(flow.phase)) {
      const gone = current === null || current.id !== flow.saleId || current.status !== 'open';
      const repriced =
        !gone && flow.amountFen !== null && (current as Sale).dueFen !== flow.amountFen;
      if (gone || repriced) this.fail(flow, 'SALE_CHANGED');
    } else if (flow.phase === 'failed' && current !== null && current.id !== flow.saleId) {
      // A new sale: the old attempt's message has nothing more to say.
      this.flow = null;
      this.emitState();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    // An engine still loading its models is waited for (it closes itself when it is ready, see
    // maybeStartBackend): a process that exits while the worker is inside ONNX Runtime's
    // start-up aborts, or hangs until the load is over.
    const starting = this.starting;
    this.starting = null;
    if (starting !== null)
      await withTimeout(starting, ENGINE_START_WAIT_MS, 'face engine start').catch(() => undefined);
    if (this.probeTimer !== null) clearInterval(this.probeTimer);
    for (const timer of this.background) clearInterval(timer);
    this.background.clear();
    const flow = this.flow;
    if (flow !== null && INTERRUPTIBLE.has(flow.phase)) this.fail(flow, 'CANCELLED');
    this.cameraOff?.();
    const backend = this.backend;
    this.backend = null;
    await backend?.close().catch(() => undefined);
  }

  // -------------------------------------------------------------------------------------------
  // The steps

  private async capture(flow: Flow): Promise<void> {
    const camera = this.camera;
    const backend = this.backend;
    if (camera === null || backend === null) {
      this.fail(flow, 'UNAVAILABLE');
      return;
    }
    let frames = 0;
    let noFrames = false;
    let session: FaceSession;
    try {
      const source = camera.open();
      session = backend.startSession(source, {
        previewWidth: 160,
        ...(this.options.session ? { config: this.options.session } : {}),
        onEvent: (event) => {
          if (event.type === 'frame') frames += 1;
          this.onSessionEvent(flow, event);
        },
      });
    } catch (error) {
      this.options.logger.error('face pay: the camera did not start', {
        saleId: flow.saleId,
        error: error instanceof Error ? error.message : String(error),
      });
      camera.stop();
      this.fail(flow, 'CAMERA_ERROR');
      return;
    }
    flow.session = session;
    const watchdog = setTimeout(() => {
      if (frames === 0) {
        noFrames = true;
        session.cancel();
      }
    }, this.timing.firstFrameTimeoutMs);
    watchdog.unref();

    const outcome = await session.result;
    clearTimeout(watchdog);
    camera.stop();
    flow.session = null;
    if (this.flow !== flow || flow.phase !== 'capturing') {
      if (outcome.status === 'ready') outcome.embedding.fill(0);
      return;
    }
    if (outcome.status === 'failed') {
      const code: FacePayFailureCode =
        noFrames || (outcome.code === 'NO_FACE' && outcome.frames === 0)
          ? 'CAMERA_ERROR'
          : outcome.code === 'UNAVAILABLE'
            ? 'UNAVAILABLE'
            : outcome.code;
      this.options.logger.info('face pay: no usable face', {
        saleId: flow.saleId,
        code,
        frames: outcome.frames,
        ...(outcome.detail !== undefined ? { detail: outcome.detail.slice(0, 200) } : {}),
      });
      this.fail(flow, code);
      return;
    }
    flow.embedding = outcome.embedding;
    flow.liveness = livenessEvidenceOf(outcome);
    this.options.logger.info('face pay: face captured', {
      saleId: flow.saleId,
      ms: Math.round(outcome.elapsedMs),
      frames: outcome.frames,
    });
    await this.identify(flow);
  }

  private onSessionEvent(flow: Flow, event: FaceSessionEvent): void {
    if (this.flow !== flow || flow.phase !== 'capturing') return;
    if (event.type === 'state' && STEPS.has(event.state)) {
      if (flow.step !== event.state) {
        flow.step = event.state as FacePayStep;
        this.emitState();
      }
    } else if (event.type === 'frame' && event.preview !== undefined) {
      this.options.emit('facepay.preview', {
        saleId: flow.saleId,
        image: previewDataUrl(event.preview),
        box: event.box,
        hint: event.hint as FacePayHint,
      });
    }
  }

  private async identify(flow: Flow, phoneTail?: string): Promise<void> {
    const link = this.link;
    const embedding = flow.embedding;
    const liveness = flow.liveness;
    if (link === null || embedding === null || liveness === null) {
      this.fail(flow, 'UNAVAILABLE');
      return;
    }
    let sale: Sale;
    try {
      sale = this.options.ledger.getSale(flow.saleId);
    } catch {
      this.fail(flow, 'SALE_CHANGED');
      return;
    }
    if (sale.status !== 'open' || sale.dueFen <= 0) {
      this.fail(flow, 'SALE_CHANGED');
      return;
    }
    flow.phase = 'identifying';
    flow.step = null;
    flow.amountFen = sale.dueFen;
    flow.phoneTailRejected = false;
    this.emitState();

    const input = { embedding, liveness, amountFen: sale.dueFen };
    let answer;
    const started = performance.now();
    try {
      answer = await withTimeout(
        phoneTail === undefined
          ? link.client.identify(input)
          : link.client.identifyWithPhoneTail({ ...input, phoneTail }),
        this.timing.identifyTimeoutMs,
        'identify',
      );
    } catch (error) {
      if (this.flow !== flow || flow.phase !== 'identifying') return;
      const code = errorCode(error);
      this.options.logger.warn('face pay: identify failed', { saleId: flow.saleId, code });
      if (LOST_ANSWER_CODES.has(code)) {
        this.markCloudDown();
        this.fail(flow, 'CLOUD_UNREACHABLE');
      } else {
        this.fail(flow, code === 'LIVENESS_REQUIRED' ? 'NOT_LIVE' : 'UNAVAILABLE');
      }
      return;
    }
    if (this.flow !== flow || flow.phase !== 'identifying') return;
    this.options.logger.info('face pay: identified', {
      saleId: flow.saleId,
      result: answer.result,
      ms: Math.round(performance.now() - started),
      phoneTail: phoneTail !== undefined,
    });
    if (answer.result === 'match') {
      this.forgetFace(flow);
      flow.token = answer.token;
      flow.maskedName = answer.payer.maskedName;
      // Membership comes with the authorised payment, never with the match (cloud/api.ts).
      flow.phase = 'confirm';
      flow.phoneTailTriesLeft = null;
      this.arm(flow, this.timing.confirmTimeoutMs);
      this.emitState();
    } else if (answer.result === 'ambiguous' && phoneTail === undefined) {
      flow.phase = 'phoneTail';
      flow.phoneTailTriesLeft = this.timing.phoneTailTries;
      this.arm(flow, this.timing.phoneTailTimeoutMs);
      this.emitState();
    } else if (phoneTail !== undefined && (flow.phoneTailTriesLeft ?? 0) > 0) {
      flow.phase = 'phoneTail';
      flow.phoneTailRejected = true;
      this.arm(flow, this.timing.phoneTailTimeoutMs);
      this.emitState();
    } else {
      this.fail(flow, 'NO_MATCH');
    }
  }

  private async authorise(flow: Flow): Promise<void> {
    const link = this.link;
    const token = flow.token;
    const amountFen = flow.amountFen;
    flow.token = null;
    if (link === null || token === null || amountFen === null) {
      this.fail(flow, 'UNAVAILABLE');
      return;
    }
    // The key the answer must be signed with, known before anything is debited (asked of the
    // cloud once for a terminal paired before the cloud signed payments).
    try {
      await this.paymentKeyOf(link);
    } catch (error) {
      this.options.logger.warn("face pay: the cloud's payment key is not available", {
        saleId: flow.saleId,
        code: errorCode(error),
      });
      this.fail(flow, 'CLOUD_UNREACHABLE');
      return;
    }
    let sale: Sale | null;
    try {
      sale = this.options.ledger.getSale(flow.saleId);
    } catch {
      sale = null;
    }
    if (sale === null || sale.status !== 'open' || sale.dueFen !== amountFen) {
      this.fail(flow, 'SALE_CHANGED');
      return;
    }
    flow.phase = 'authorising';
    this.emitState();

    const key = `fp:${flow.saleId}:${flow.attempt}`;
    const request = { token, amountFen, saleId: flow.saleId, idempotencyKey: key };
    let record: PaymentRecord | null;
    try {
      record = await this.resolvePayment(link, request);
    } catch (error) {
      const code = errorCode(error);
      this.options.logger.warn('face pay: authorise refused', { saleId: flow.saleId, code });
      // Refused before any money moved: face pay is unavailable for now (try QR or cash).
      this.fail(flow, REFUSED_UNAVAILABLE.has(code) ? 'UNAVAILABLE' : 'DECLINED');
      return;
    }
    if (record === null) {
      this.options.logger.error('face pay: payment outcome unknown; resolving in the background', {
        saleId: flow.saleId,
        key,
      });
      this.fail(flow, 'PAYMENT_UNCERTAIN');
      this.resolveLater(link, flow, key);
      return;
    }
    this.settle(link, flow, record);
  }

  /**
   * Authorise, and if the answer is lost, find out what happened: status(key) until the cloud
   * answers (sending the request again only when it says it never got it). null: still unknown
   * at the deadline.
   */
  private async resolvePayment(
    link: FacePayLink,
    request: { token: string; amountFen: number; saleId: string; idempotencyKey: string },
  ): Promise<PaymentRecord | null> {
    const deadline = performance.now() + this.timing.resolveDeadlineMs;
    const backoff = this.timing.resolveBackoffMs;
    let send = true;
    let round = 0;
    for (;;) {
      try {
        if (send) {
          return await withTimeout(
            link.client.authorise(request),
            this.timing.authoriseTimeoutMs,
            'authorise',
          );
        }
        const found = await withTimeout(
          link.client.status(request.idempotencyKey),
          this.timing.authoriseTimeoutMs,
          'status',
        );
        if (found !== null) {
          this.options.logger.info('face pay: payment found by status query', {
            saleId: request.saleId,
            status: found.status,
          });
          return found;
        }
        // The cloud never received it: sending it again (same key) is safe.
        send = true;
        continue;
      } catch (error) {
        const code = errorCode(error);
        if (!LOST_ANSWER_CODES.has(code)) throw error;
        this.options.logger.warn('face pay: no answer from the cloud; asking status', {
          saleId: request.saleId,
          code,
        });
        send = false;
      }
      if (performance.now() >= deadline) return null;
      await sleep(backoff[Math.min(round, backoff.length - 1)] ?? 1_000);
      round += 1;
    }
  }

  private async paymentKeyOf(link: FacePayLink): Promise<KeyObject> {
    const known = this.paymentKeys.get(link);
    if (known !== undefined) return known;
    const key = paymentKeyFrom(await link.client.paymentPublicKey());
    this.paymentKeys.set(link, key);
    return key;
  }

  /** An answer to an authorisation: record the approval in the ledger, or report the decline. */
  private settle(link: FacePayLink, flow: Flow, record: PaymentRecord): void {
    if (record.status === 'declined') {
      const code: FacePayFailureCode =
        record.declineCode === 'INSUFFICIENT_BALANCE'
          ? 'INSUFFICIENT_BALANCE'
          : record.declineCode === 'OVER_TRANSACTION_LIMIT' ||
              record.declineCode === 'OVER_DAILY_LIMIT'
            ? 'OVER_LIMIT'
            : record.declineCode === 'TOKEN_AMOUNT_MISMATCH'
              ? 'SALE_CHANGED'
              : 'DECLINED';
      this.options.logger.info('face pay: declined', {
        saleId: flow.saleId,
        declineCode: record.declineCode,
      });
      this.fail(flow, code);
      return;
    }
    const sale = this.record(link, flow, record);
    if (sale === null) {
      this.fail(flow, 'SALE_CHANGED');
      return;
    }
    flow.phase = 'paid';
    flow.failure = null;
    flow.paymentId = record.paymentId;
    flow.receiptNo = sale.receiptNo;
    flow.membership = membershipFor(record.member ?? null);
    this.attempts.delete(flow.saleId);
    this.emitState();
  }

  /**
   * Writes an approved face payment to the ledger (completing the sale when it covers what is
   * due). If the ledger refuses (the sale was settled or changed meanwhile), the money goes back.
   */
  private record(link: FacePayLink, flow: Flow, record: PaymentRecord): Sale | null {
    const { saleId } = flow;
    try {
      // Only the cloud's signed word that it debited the payer for this sale is recorded
      // (main/ledger/face-debit.ts); an answer that does not verify is given back like one the
      // ledger refuses.
      const key = this.paymentKeys.get(link);
      if (key === undefined)
        throw new PosError('FORBIDDEN', "face payment not recorded: the cloud's key is unknown");
      const debit = VerifiedFaceDebit.verify(record.authorisation, key, {
        terminalId: link.credentials.terminalId,
        saleId,
        amountFen: record.amountFen,
      });
      const sale = this.options.ledger.payFace(debit, flow.operatorId);
      this.options.logger.info('face pay: paid', { saleId, receiptNo: sale.receiptNo });
      this.options.onSalePaid(sale);
      return sale;
    } catch (error) {
      this.options.logger.error('face pay: the ledger refused an approved payment; refunding', {
        saleId,
        code: errorCode(error),
      });
      this.refund(link, record);
      return null;
    }
  }

  private refund(link: FacePayLink, record: PaymentRecord): void {
    const key = `fpr:${record.idempotencyKey.replace(/^fp:/, '')}`.slice(0, 100);
    const started = performance.now();
    const attempt = async (): Promise<boolean> => {
      try {
        const refund = await withTimeout(
          link.client.refund({
            saleId: record.saleId,
            paymentId: record.paymentId,
            amountFen: record.amountFen,
            idempotencyKey: key,
            reason: 'face payment not recorded at the till',
          }),
          this.timing.authoriseTimeoutMs,
          'refund',
        );
        this.options.logger.info('face pay: refunded an unrecorded payment', {
          saleId: record.saleId,
          status: refund.status,
        });
        return true;
      } catch (error) {
        const code = errorCode(error);
        if (!LOST_ANSWER_CODES.has(code)) {
          this.options.logger.error('face pay: refund refused', { saleId: record.saleId, code });
          return true;
        }
        return performance.now() - started > this.timing.backgroundResolveForMs;
      }
    };
    this.repeat(attempt);
  }

  /** After PAYMENT_UNCERTAIN: keep asking; record or refund what is found. */
  private resolveLater(link: FacePayLink, flow: Flow, key: string): void {
    const started = performance.now();
    this.unresolved.add(flow.saleId);
    this.repeat(async () => {
      const done = await this.resolveOnce(link, flow, key, started);
      if (done) this.unresolved.delete(flow.saleId);
      return done;
    });
  }

  private async resolveOnce(
    link: FacePayLink,
    flow: Flow,
    key: string,
    started: number,
  ): Promise<boolean> {
    let found: PaymentRecord | null;
    try {
      found = await withTimeout(link.client.status(key), this.timing.authoriseTimeoutMs, 'status');
    } catch {
      if (performance.now() - started <= this.timing.backgroundResolveForMs) return false;
      this.options.logger.error('face pay: gave up resolving a payment; reconcile by hand', {
        saleId: flow.saleId,
        key,
      });
      return true;
    }
    if (found === null || found.status === 'declined') {
      this.options.logger.info('face pay: the uncertain payment was not taken', {
        saleId: flow.saleId,
      });
      return true;
    }
    const sale = this.record(link, flow, found);
    if (sale !== null && this.flow === flow && flow.phase === 'failed') {
      flow.phase = 'paid';
      flow.failure = null;
      flow.paymentId = found.paymentId;
      flow.receiptNo = sale.receiptNo;
      // Found late, the status answer greets a member too: not offered to join again.
      flow.membership = membershipFor(found.member ?? null);
      this.emitState();
    }
    return true;
  }

  /** Runs `step` now and every backgroundResolveEveryMs until it returns true. */
  private repeat(step: () => Promise<boolean>): void {
    let busy = false;
    const run = async (): Promise<void> => {
      if (busy || this.closed) return;
      busy = true;
      try {
        if (await step()) {
          clearInterval(timer);
          this.background.delete(timer);
        }
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void run(), this.timing.backgroundResolveEveryMs);
    timer.unref();
    this.background.add(timer);
    void run();
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  private fail(flow: Flow, code: FacePayFailureCode, message = FAILURE_MESSAGES[code]): void {
    const wasCapturing = flow.phase === 'capturing';
    this.clearTimer(flow);
    flow.phase = 'failed';
    flow.step = null;
    flow.failure = { code, message };
    flow.token = null;
    // The greeting belongs to a paid attempt (a payment resolved later brings its own).
    flow.membership = null;
    this.forgetFace(flow);
    if (wasCapturing) {
      flow.session?.cancel();
      this.camera?.stop();
    }
    if (this.flow === flow) this.emitState();
  }

  private forgetFace(flow: Flow): void {
    flow.embedding?.fill(0);
    flow.embedding = null;
    flow.liveness = null;
  }

  private arm(flow: Flow, ms: number): void {
    this.clearTimer(flow);
    flow.timer = setTimeout(() => {
      flow.timer = null;
      if (this.flow === flow && (flow.phase === 'confirm' || flow.phase === 'phoneTail')) {
        this.fail(flow, 'CONFIRM_TIMEOUT');
      }
    }, ms);
    flow.timer.unref();
  }

  private clearTimer(flow: Flow): void {
    if (flow.timer !== null) clearTimeout(flow.timer);
    flow.timer = null;
  }

  private emitState(): void {
    this.options.emit('facepay.state', this.snapshot());
  }

  private unavailableReason(): FacePayUnavailableReason | null {
    if (this.link === null) return 'NO_CLOUD';
    if (this.cloudUp === false) return 'OFFLINE';
    if (this.camera === null || !this.camera.connected) return 'NO_CAMERA';
    if (this.backendState === 'failed') return 'NO_FACE_ENGINE';
    if (this.backendState !== 'ready' || this.cloudUp === null) return 'STARTING';
    return null;
  }

  private announceAvailability(): void {
    const now = this.availability();
    const text = JSON.stringify(now);
    if (text === this.lastAvailability) return;
    this.lastAvailability = text;
    this.options.emit('facepay.availability', now);
  }

  private maybeStartBackend(): void {
    if (this.closed || this.backendState !== 'none' || this.link === null || this.camera === null)
      return;
    this.backendState = 'starting';
    this.starting = this.options.face().then(
      async (backend) => {
        if (this.closed) {
          await backend.close().catch(() => undefined);
          return;
        }
        this.backend = backend;
        this.backendState = 'ready';
        this.options.logger.info('face pay: face engine ready');
        this.announceAvailability();
      },
      (error: unknown) => {
        this.backendState = 'failed';
        this.options.logger.error('face pay: the face engine did not start', {
          error: error instanceof Error ? error.message : String(error),
        });
        this.announceAvailability();
      },
    );
  }

  private async probeNow(): Promise<void> {
    const link = this.link;
    if (link === null || this.probing) return;
    this.probing = true;
    try {
      const up = await this.probe(link);
      if (this.link !== link) return;
      if (up !== this.cloudUp) {
        this.options.logger.info(up ? 'face pay: cloud reachable' : 'face pay: cloud unreachable');
      }
      this.cloudUp = up;
      this.announceAvailability();
    } finally {
      this.probing = false;
    }
  }

  private markCloudDown(): void {
    if (this.cloudUp === false) return;
    this.cloudUp = false;
    this.announceAvailability();
    // Look again soon rather than waiting out the probe period.
    setTimeout(() => void this.probeNow(), 1_000).unref();
  }
}

/**
 * What the cloud weighs before a face payment: every window frame's live probability and when the
 * frames were seen, sent inside the signed identify request (cloud/identify/liveness-policy.ts).
 */
export function livenessEvidenceOf(outcome: {
  liveScores: readonly number[];
  firstFrameAt: number;
  lastFrameAt: number;
  reliefMm?: number;
}): LivenessEvidence {
  const scores = outcome.liveScores.slice(-100).map((s) => Math.min(1, Math.max(0, s)));
  return {
    frames: scores.length,
    scores,
    meanScore: scores.reduce((sum, s) => sum + s, 0) / Math.max(1, scores.length),
    firstFrameAt: outcome.firstFrameAt,
    lastFrameAt: outcome.lastFrameAt,
    ...(outcome.reliefMm !== undefined ? { depth: true } : {}),
  };
}

/** For the core: which events are face pay's. */
export function isFacePayEvent(name: EventName): name is FacePayEvent {
  return name === 'facepay.state' || name === 'facepay.preview' || name === 'facepay.availability';
}
