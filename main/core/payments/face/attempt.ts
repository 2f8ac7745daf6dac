/**
 * The customer's attempt: the state machine the customer display shows, one attempt at a time.
 *
 *   idle → capturing (capture.ts) → identifying (the sealed, fused embedding to the cloud) →
 *   confirm {maskedName, amountFen} | phoneTail → authorising (settlement.ts: the wallet's signed
 *   debit → ledger.payFace) → paid (membership.ts: greeting or offer) | failed {code}.
 *
 * The payment is recorded for the person signed in at the till when the attempt started
 * (whoever confirms it, and even if the cashier has signed out by the time the cloud answers:
 * the customer's money must reach the ledger). Every failure leaves the sale open; the screens
 * offer QR or cash.
 *
 * Privacy: the embedding lives in the attempt only until the payer is identified (it is needed
 * again for the phone-tail question), then it is zeroed; it leaves the process only sealed, by
 * the cloud client. Nothing here logs a payload.
 */
import type { LivenessEvidence, MemberGreeting } from '../../../../cloud/api';
import {
  FACEPAY_ACTIVE_PHASES,
  IDLE_FACEPAY_STATE,
  PosError,
  type EventPayload,
  type FacePayFailureCode,
  type FacePayPhase,
  type FacePayState,
  type FacePayStep,
  type Sale,
} from '../../../contract';
import type { SessionConfig } from '../../../face';
import type { Logger } from '../../logger';
import type { FaceSettlement } from '../types';
import { UNAVAILABLE_MESSAGES, type Availability } from './availability';
import { captureFace, type Capture } from './capture';
import { errorCode, isLostAnswer, withTimeout } from './lost-answers';
import { join, mayJoin, membershipFor } from './membership';
import type { FacePayLedger, FacePayLink, FacePayTiming } from './ports';
import type { SettlementFlow } from './settlement';

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

const ACTIVE = new Set<FacePayPhase>(FACEPAY_ACTIVE_PHASES);
/** Before the customer confirms, an attempt may be cancelled or overtaken by a cart change. */
const INTERRUPTIBLE = new Set<FacePayPhase>(['capturing', 'identifying', 'confirm', 'phoneTail']);

/** The customer's words for the wallet's refusal of a debit (its decline or error code). */
function failureForRefusal(code: string): FacePayFailureCode {
  switch (code) {
    case 'INSUFFICIENT_BALANCE':
      return 'INSUFFICIENT_BALANCE';
    case 'OVER_TRANSACTION_LIMIT':
    case 'OVER_DAILY_LIMIT':
      return 'OVER_LIMIT';
    case 'TOKEN_AMOUNT_MISMATCH':
      return 'SALE_CHANGED';
    // "Not now from this terminal" rather than "this payer declined": pay another way.
    case 'RATE_LIMITED':
    case 'TERMINAL_REVOKED':
      return 'UNAVAILABLE';
    default:
      return 'DECLINED';
  }
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
  capture: Capture | null;
  embedding: Float32Array | null;
  liveness: LivenessEvidence | null;
  token: string | null;
  timer: NodeJS.Timeout | null;
}

export interface AttemptOptions {
  ledger: FacePayLedger;
  logger: Logger;
  emitState: (state: FacePayState) => void;
  emitPreview: (preview: EventPayload<'facepay.preview'>) => void;
  timing: FacePayTiming;
  /** Face session settings (timeouts, frames), for tests. */
  session?: Partial<SessionConfig>;
  availability: Availability;
  settlement: SettlementFlow;
  /** Where this cloud link's face payments settle (the reference cloud's wallet). */
  walletOf: (link: FacePayLink) => FaceSettlement;
}

export class Attempts {
  private flow: Flow | null = null;
  private readonly attempts = new Map<string, number>();

  constructor(private readonly options: AttemptOptions) {}

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
    const { ledger } = this.options;
    const sale = ledger.getSale(saleId);
    if (sale.status !== 'open')
      throw new PosError('SALE_NOT_OPEN', `sale ${saleId} is ${sale.status}`, 'saleId');
    if (sale.lines.length === 0)
      throw new PosError('SALE_EMPTY', `sale ${saleId} has nothing to pay for`, 'saleId');
    if (sale.dueFen <= 0)
      throw new PosError('SALE_NOT_OPEN', `sale ${saleId} has nothing left to pay`, 'saleId');
    if (ledger.currentShift() === null)
      throw new PosError('NO_OPEN_SHIFT', 'open a shift before taking payment');

    const current = this.flow;
    if (this.options.settlement.isUnresolved(saleId)) {
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
      capture: null,
      embedding: null,
      liveness: null,
      token: null,
      timer: null,
    };
    this.flow = flow;

    const reason = this.options.availability.unavailableReason();
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
    const link = this.options.availability.link;
    if (
      flow === null ||
      flow.saleId !== saleId ||
      flow.phase !== 'paid' ||
      flow.paymentId === null ||
      flow.membership === null ||
      !mayJoin(flow.membership)
    ) {
      return this.snapshot();
    }
    if (!consent || link === null) {
      flow.membership = { ...flow.membership, status: 'declined' };
      this.emitState();
      return this.snapshot();
    }
    flow.membership = { ...flow.membership, status: 'joining' };
    void join({
      client: link.client,
      paymentId: flow.paymentId,
      saleId,
      timeoutMs: this.options.timing.identifyTimeoutMs,
      logger: this.options.logger,
    }).then((membership) => {
      if (this.flow !== flow) return;
      flow.membership = membership;
      this.emitState();
    });
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

  /** The terminal is closing: an attempt the customer has not confirmed is cancelled. */
  close(): void {
    const flow = this.flow;
    if (flow !== null && INTERRUPTIBLE.has(flow.phase)) this.fail(flow, 'CANCELLED');
  }

  // -------------------------------------------------------------------------------------------
  // The steps

  private async capture(flow: Flow): Promise<void> {
    const { camera, backend } = this.options.availability;
    if (camera === null || backend === null) {
      this.fail(flow, 'UNAVAILABLE');
      return;
    }
    const capture = captureFace({
      saleId: flow.saleId,
      camera,
      backend,
      logger: this.options.logger,
      session: this.options.session,
      firstFrameTimeoutMs: this.options.timing.firstFrameTimeoutMs,
      hooks: {
        active: () => this.flow === flow && flow.phase === 'capturing',
        step: (step) => {
          if (flow.step === step) return;
          flow.step = step;
          this.emitState();
        },
        preview: (preview) => this.options.emitPreview({ saleId: flow.saleId, ...preview }),
      },
    });
    if (!('outcome' in capture)) {
      this.fail(flow, capture.kind === 'failed' ? capture.code : 'CAMERA_ERROR');
      return;
    }
    flow.capture = capture;
    const outcome = await capture.outcome;
    flow.capture = null;
    if (outcome.kind === 'abandoned' || this.flow !== flow || flow.phase !== 'capturing') return;
    if (outcome.kind === 'failed') {
      this.fail(flow, outcome.code);
      return;
    }
    flow.embedding = outcome.embedding;
    flow.liveness = outcome.liveness;
    await this.identify(flow);
  }

  private async identify(flow: Flow, phoneTail?: string): Promise<void> {
    const { availability, ledger, logger, timing } = this.options;
    const link = availability.link;
    const embedding = flow.embedding;
    const liveness = flow.liveness;
    if (link === null || embedding === null || liveness === null) {
      this.fail(flow, 'UNAVAILABLE');
      return;
    }
    let sale: Sale;
    try {
      sale = ledger.getSale(flow.saleId);
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
        timing.identifyTimeoutMs,
        'identify',
      );
    } catch (error) {
      if (this.flow !== flow || flow.phase !== 'identifying') return;
      const code = errorCode(error);
      logger.warn('face pay: identify failed', { saleId: flow.saleId, code });
      if (isLostAnswer(code)) {
        availability.markCloudDown();
        this.fail(flow, 'CLOUD_UNREACHABLE');
      } else {
        this.fail(flow, code === 'LIVENESS_REQUIRED' ? 'NOT_LIVE' : 'UNAVAILABLE');
      }
      return;
    }
    if (this.flow !== flow || flow.phase !== 'identifying') return;
    logger.info('face pay: identified', {
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
      this.arm(flow, timing.confirmTimeoutMs);
      this.emitState();
    } else if (answer.result === 'ambiguous' && phoneTail === undefined) {
      flow.phase = 'phoneTail';
      flow.phoneTailTriesLeft = timing.phoneTailTries;
      this.arm(flow, timing.phoneTailTimeoutMs);
      this.emitState();
    } else if (phoneTail !== undefined && (flow.phoneTailTriesLeft ?? 0) > 0) {
      flow.phase = 'phoneTail';
      flow.phoneTailRejected = true;
      this.arm(flow, timing.phoneTailTimeoutMs);
      this.emitState();
    } else {
      this.fail(flow, 'NO_MATCH');
    }
  }

  private async authorise(flow: Flow): Promise<void> {
    const { availability, ledger, logger, settlement } = this.options;
    const link = availability.link;
    const token = flow.token;
    const amountFen = flow.amountFen;
    flow.token = null;
    if (link === null || token === null || amountFen === null) {
      this.fail(flow, 'UNAVAILABLE');
      return;
    }
    const wallet = this.options.walletOf(link);
    // What the answer must be signed with, known before anything is debited.
    const prepared = await wallet.prepare();
    if (prepared.kind !== 'ready') {
      logger.warn("face pay: the cloud's payment key is not available", {
        saleId: flow.saleId,
        code: prepared.code,
      });
      this.fail(flow, 'CLOUD_UNREACHABLE');
      return;
    }
    let sale: Sale | null;
    try {
      sale = ledger.getSale(flow.saleId);
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
    const outcome = await settlement.debit(wallet, {
      token,
      amountFen,
      saleId: flow.saleId,
      idempotencyKey: key,
    });
    if (outcome.kind === 'refused') {
      logger.info('face pay: declined', { saleId: flow.saleId, declineCode: outcome.code });
      this.fail(flow, failureForRefusal(outcome.code));
      return;
    }
    if (outcome.kind === 'unknown') {
      logger.error('face pay: payment outcome unknown; resolving in the background', {
        saleId: flow.saleId,
        key,
      });
      this.fail(flow, 'PAYMENT_UNCERTAIN');
      settlement.resolveLater(
        wallet,
        { saleId: flow.saleId, operatorId: flow.operatorId, key },
        (found, paid) => {
          if (this.flow !== flow || flow.phase !== 'failed') return;
          // Found late, the status answer greets a member too: not offered to join again.
          this.paid(flow, found, paid.paymentId, paid.member);
        },
      );
      return;
    }
    const recorded = settlement.record(wallet, outcome, flow.saleId, flow.operatorId);
    if (recorded === null) {
      this.fail(flow, 'SALE_CHANGED');
      return;
    }
    this.attempts.delete(flow.saleId);
    this.paid(flow, recorded, outcome.paymentId, outcome.member);
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  private paid(flow: Flow, sale: Sale, paymentId: string, member: MemberGreeting | null): void {
    flow.phase = 'paid';
    flow.failure = null;
    flow.paymentId = paymentId;
    flow.receiptNo = sale.receiptNo;
    flow.membership = membershipFor(member);
    this.emitState();
  }

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
      flow.capture?.cancel();
      this.options.availability.camera?.stop();
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
    this.options.emitState(this.snapshot());
  }
}
