/**
 * What face pay needs from the world, as narrow interfaces, so the orchestration runs against
 * the real cloud client, camera and face engine in the terminal and against fakes in its tests.
 */
import type {
  IdentifyResponse,
  JoinResponse,
  LivenessEvidence,
  PaymentRecord,
  RefundRecord,
} from '../../../../cloud/api';
import type { Sale, Shift } from '../../../contract';
import type { FaceSession, FaceSessionOptions, FrameSource } from '../../../face';
import type { VerifiedFaceDebit } from '../../../ledger';

/** The part of cloud/client's CloudClient face pay uses (CloudClient satisfies it). */
export interface FacePayCloud {
  identify(input: {
    embedding: ArrayLike<number>;
    liveness: LivenessEvidence;
    amountFen: number;
  }): Promise<IdentifyResponse>;
  identifyWithPhoneTail(input: {
    embedding: ArrayLike<number>;
    liveness: LivenessEvidence;
    amountFen: number;
    phoneTail: string;
  }): Promise<IdentifyResponse>;
  authorise(input: {
    token: string;
    amountFen: number;
    saleId: string;
    idempotencyKey: string;
  }): Promise<PaymentRecord>;
  status(idempotencyKey: string): Promise<PaymentRecord | null>;
  /** The cloud's Ed25519 key approved payments are signed with (base64url, raw). */
  paymentPublicKey(): Promise<string>;
  refund(input: {
    saleId: string;
    paymentId: string;
    amountFen: number;
    idempotencyKey: string;
    reason?: string;
  }): Promise<RefundRecord>;
  joinMembership(input: {
    paymentId: string;
    consent: { textVersion: string; acceptedAt: string };
  }): Promise<JoinResponse>;
}

/** The terminal's cloud link as face pay sees it (main/core/cloud-link's CloudLink fits). */
export interface FacePayLink {
  baseUrl: string;
  /** This terminal as the cloud knows it: a signed debit must name it. */
  credentials: { terminalId: string };
  client: FacePayCloud;
}

/**
 * A camera that frames can be asked for: the browser host's customer display page (frames over
 * its WebSocket) or Electron's hidden capture window (frames over a MessagePort).
 */
export interface FacePayCamera {
  /** True while a capture page or window is connected and could send frames. */
  readonly connected: boolean;
  /** Called whenever `connected` may have changed. */
  onChange(listener: () => void): () => void;
  /** Ask for frames: they arrive through the returned source until stop(). */
  open(): FrameSource;
  /** Stop the frames (the page stops its camera tracks). */
  stop(): void;
}

/** A running face engine, able to run sessions over a frame source. */
export interface FaceBackend {
  startSession(source: FrameSource, options: FaceSessionOptions): FaceSession;
  close(): Promise<void>;
}

export type FaceBackendFactory = () => Promise<FaceBackend>;

/** The ledger calls face pay makes (the Ledger class satisfies it). */
export interface FacePayLedger {
  getSale(saleId: string): Sale;
  currentShift(): Shift | null;
  /** Records the face payment the cloud signed for (nothing else records one). */
  payFace(debit: VerifiedFaceDebit, operatorId: string): Sale;
}

/** How long each step may take; tests shorten them. */
export interface FacePayTiming {
  /** The identify call (either kind). */
  identifyTimeoutMs: number;
  /** Waiting for the customer's Confirm. */
  confirmTimeoutMs: number;
  /** Waiting for the phone digits. */
  phoneTailTimeoutMs: number;
  /** One authorise or status call. */
  authoriseTimeoutMs: number;
  /** Asking status after a lost answer, before the attempt is reported PAYMENT_UNCERTAIN. */
  resolveDeadlineMs: number;
  /** Pauses between status queries (the last repeats). */
  resolveBackoffMs: readonly number[];
  /** After PAYMENT_UNCERTAIN: how often, and for how long, the background keeps asking. */
  backgroundResolveEveryMs: number;
  backgroundResolveForMs: number;
  /** Cloud health probe period. */
  probeEveryMs: number;
  /** No frame at all from the camera in this long: CAMERA_ERROR. */
  firstFrameTimeoutMs: number;
  /** Phone-tail tries before NO_MATCH. */
  phoneTailTries: number;
}

export const DEFAULT_FACEPAY_TIMING: FacePayTiming = {
  identifyTimeoutMs: 8_000,
  confirmTimeoutMs: 60_000,
  phoneTailTimeoutMs: 60_000,
  authoriseTimeoutMs: 8_000,
  resolveDeadlineMs: 30_000,
  resolveBackoffMs: [250, 500, 1_000, 2_000],
  backgroundResolveEveryMs: 5_000,
  backgroundResolveForMs: 15 * 60_000,
  probeEveryMs: 10_000,
  firstFrameTimeoutMs: 5_000,
  phoneTailTries: 2,
};
