/**
 * The face session as a pure state machine: fed frame analyses and clock ticks, it says what
 * the customer display should show and when the session is done.
 *
 *   searching ──face──▶ holdStill ──steady, good frames──▶ checkingLiveness ──live──▶ ready
 *       │                   │                                    │
 *       └── timeouts, camera end, cancel, not live ──────────────┴──────────────────▶ failed
 *
 * It keeps embeddings and scores of the current face only, never pixels.
 */
import { MIN_DEPTH_SAMPLES, MIN_RELIEF_MM } from './depth';
import { fuseEmbeddings } from './embedding';
import type { Box } from './image';
import type { FaceAnalysis, FrameAnalysis } from './pipeline';
import type { QualityReason } from './quality';

export type SessionState = 'searching' | 'holdStill' | 'checkingLiveness' | 'ready' | 'failed';

/** What the customer should do now (the UI translates the code; `message` is the English). */
export type HintCode =
  'LOOK_AT_CAMERA' | 'ONE_FACE_ONLY' | 'HOLD_STILL' | 'CHECKING' | QualityReason;

export type FailureCode =
  | 'NO_FACE'
  | 'FACE_NOT_USABLE'
  | 'NOT_LIVE'
  | 'TIMEOUT'
  | 'CAMERA_ERROR'
  | 'UNAVAILABLE'
  | 'CANCELLED';

export const MESSAGES: Record<HintCode | FailureCode, string> = {
  LOOK_AT_CAMERA: 'Please look at the camera.',
  ONE_FACE_ONLY: 'Only one person in front of the camera, please.',
  HOLD_STILL: 'Hold still.',
  CHECKING: 'Checking, hold still.',
  FACE_TOO_SMALL: 'Please come closer.',
  FACE_TURNED: 'Please face the camera directly.',
  FACE_TILTED: 'Please hold your head straight.',
  BLURRY: 'Hold still, the picture is blurred.',
  TOO_DARK: 'It is too dark to see your face.',
  TOO_BRIGHT: 'There is too much light on your face.',
  EYES_CLOSED: 'Please open your eyes.',
  NO_FACE: 'No face was found. Please look at the camera and try again.',
  FACE_NOT_USABLE: 'Your face could not be seen clearly. Please try again.',
  NOT_LIVE: 'The face check did not pass. Please try again or pay another way.',
  TIMEOUT: 'This took too long. Please try again.',
  CAMERA_ERROR: 'The camera stopped working. Please pay another way.',
  UNAVAILABLE: 'Face payment is not available right now. Please pay another way.',
  CANCELLED: 'Face payment was cancelled.',
};

export interface SessionConfig {
  /** No face at all for this long (from the start, or since it was lost): NO_FACE. */
  searchTimeoutMs: number;
  /** A face, but never steady and good enough for this long: FACE_NOT_USABLE. */
  holdStillTimeoutMs: number;
  /** The whole session, whatever happens: TIMEOUT. */
  totalTimeoutMs: number;
  /** Consecutive good, steady frames that make the face "held still". */
  steadyFrames: number;
  /** Steady: the face box centre moves less than this share of the box size between frames. */
  maxMovement: number;
  /** Frames without the face that a hold-still survives (a detector blink, not a person leaving). */
  maxMissedFrames: number;
  /** Good frames whose liveness scores are averaged for the verdict. */
  livenessFrames: number;
  /** Mean live probability needed (see README.md, "Liveness": 0.5 sits between spoofs <= 0.06 and live >= 0.72). */
  liveThreshold: number;
  /** Best frames (by quality score) fused into the session's embedding. */
  fuseFrames: number;
}

export const DEFAULT_SESSION_CONFIG: SessionConfig = {
  searchTimeoutMs: 5000,
  holdStillTimeoutMs: 6000,
  totalTimeoutMs: 15000,
  steadyFrames: 3,
  maxMovement: 0.1,
  maxMissedFrames: 3,
  livenessFrames: 5,
  liveThreshold: 0.5,
  fuseFrames: 5,
};

/** A box in 0-1 of the frame, so the customer display can draw it over any preview size. */
export interface RelativeBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SessionResult {
  embedding: Float32Array;
  /** Mean live probability over the liveness window. */
  liveScore: number;
  /**
   * Each window frame's live probability, oldest first, and when the first and last were seen
   * (on the session's clock): the evidence the cloud weighs itself before a face payment.
   */
  liveScores: number[];
  firstFrameMs: number;
  lastFrameMs: number;
  /** Median depth relief over the window (mm), when the frames carried depth. */
  reliefMm?: number;
  /** Quality score of the best frame fused. */
  quality: number;
  framesFused: number;
}

export type SessionEvent =
  | { type: 'state'; state: SessionState; atMs: number }
  | {
      type: 'frame';
      state: SessionState;
      atMs: number;
      box: RelativeBox | null;
      hint: HintCode;
      message: string;
    }
  | ({ type: 'ready'; atMs: number } & SessionResult)
  | { type: 'failed'; atMs: number; code: FailureCode; message: string; reason?: HintCode };

interface GoodFrame {
  embedding: Float32Array;
  quality: number;
  liveScore: number;
  atMs: number;
  reliefMm?: number;
  depthSamples?: number;
}

export class SessionMachine {
  private stateNow: SessionState = 'searching';
  private startedAt = 0;
  private stateSince = 0;
  private lastFaceAt = 0;
  private trackId = -1;
  private lastBox: Box | null = null;
  private steady = 0;
  private missed = 0;
  private good: GoodFrame[] = [];
  private reasons = new Map<HintCode, number>();

  constructor(private readonly config: SessionConfig = DEFAULT_SESSION_CONFIG) {}

  get state(): SessionState {
    return this.stateNow;
  }

  get done(): boolean {
    return this.stateNow === 'ready' || this.stateNow === 'failed';
  }

  start(nowMs: number): SessionEvent[] {
    this.startedAt = this.stateSince = this.lastFaceAt = nowMs;
    return [{ type: 'state', state: 'searching', atMs: 0 }];
  }

  /** Feeds one analysed frame; returns the events it causes. */
  onFrame(a: FrameAnalysis, nowMs: number): SessionEvent[] {
    if (this.done) return [];
    const events: SessionEvent[] = [];
    const face = a.face;
    const hint = this.advance(a, face, nowMs, events);
    if (!this.done) {
      events.push({
        type: 'frame',
        state: this.stateNow,
        atMs: nowMs - this.startedAt,
        box: face ? relativeBox(face.box, a.width, a.height) : null,
        hint,
        message: MESSAGES[hint],
      });
    }
    events.push(...this.onTick(nowMs));
    return events;
  }

  /** Checks the timeouts; call it periodically even when no frame arrives. */
  onTick(nowMs: number): SessionEvent[] {
    if (this.done) return [];
    const c = this.config;
    if (nowMs - this.startedAt >= c.totalTimeoutMs) return this.fail('TIMEOUT', nowMs);
    if (this.stateNow === 'searching' && nowMs - this.lastFaceAt >= c.searchTimeoutMs) {
      return this.fail('NO_FACE', nowMs);
    }
    if (this.stateNow !== 'searching' && nowMs - this.stateSince >= c.holdStillTimeoutMs) {
      return this.fail('FACE_NOT_USABLE', nowMs, this.commonestReason());
    }
    return [];
  }

  /** Ends the session from outside (the cashier cancelled, the camera or the engine failed). */
  abort(code: 'CANCELLED' | 'CAMERA_ERROR' | 'UNAVAILABLE', nowMs: number): SessionEvent[] {
    return this.done ? [] : this.fail(code, nowMs);
  }

  private advance(
    a: FrameAnalysis,
    face: FaceAnalysis | null,
    nowMs: number,
    events: SessionEvent[],
  ): HintCode {
    const c = this.config;
    if (face === null) {
      this.missed += 1;
      if (this.stateNow !== 'searching' && this.missed > c.maxMissedFrames) {
        this.restart(nowMs, events);
      }
      return 'LOOK_AT_CAMERA';
    }
    this.missed = 0;
    this.lastFaceAt = nowMs;
    if (face.trackId !== this.trackId) {
      // A different face (or the first): everything gathered belonged to someone else.
      if (this.stateNow !== 'searching') this.restart(nowMs, events);
      this.trackId = face.trackId;
      this.lastBox = null;
    }
    if (this.stateNow === 'searching') this.enter('holdStill', nowMs, events);

    const moved = this.lastBox !== null && movement(this.lastBox, face.box) > c.maxMovement;
    this.lastBox = face.box;
    const refusal = face.refusals[0];
    if (refusal !== undefined) {
      this.steady = 0;
      this.count(refusal);
      return refusal;
    }
    if (moved) {
      this.steady = 0;
      this.count('HOLD_STILL');
      return 'HOLD_STILL';
    }
    // Several faces are not a refusal (the tracker follows the main one), but worth saying.
    let hint: HintCode =
      this.stateNow === 'checkingLiveness'
        ? 'CHECKING'
        : a.faceCount > 1
          ? 'ONE_FACE_ONLY'
          : 'HOLD_STILL';
    if (face.embedding === undefined || face.liveScore === undefined) return hint;
    this.steady += 1;
    const frame: GoodFrame = {
      embedding: face.embedding,
      quality: face.qualityScore,
      liveScore: face.liveScore,
      atMs: nowMs,
    };
    if (face.depth !== undefined) {
      frame.reliefMm = face.depth.reliefMm;
      frame.depthSamples = face.depth.samples;
    }
    this.good.push(frame);
    if (this.good.length > c.livenessFrames) this.good.shift();

    if (this.stateNow === 'holdStill' && this.steady >= c.steadyFrames) {
      this.enter('checkingLiveness', nowMs, events);
      hint = 'CHECKING';
    }
    if (this.stateNow === 'checkingLiveness' && this.good.length >= c.livenessFrames) {
      events.push(...this.decide(nowMs));
    }
    return hint;
  }

  /** The liveness verdict on the window, and the fused embedding if live. */
  private decide(nowMs: number): SessionEvent[] {
    const window = this.good;
    const liveScore = window.reduce((s, f) => s + f.liveScore, 0) / window.length;
    if (liveScore < this.config.liveThreshold) return this.fail('NOT_LIVE', nowMs);
    const withDepth = window.filter((f) => (f.depthSamples ?? 0) >= MIN_DEPTH_SAMPLES);
    let reliefMm: number | undefined;
    if (withDepth.length > 0) {
      const reliefs = withDepth.map((f) => f.reliefMm as number).sort((x, y) => x - y);
      reliefMm = reliefs[reliefs.length >> 1] as number;
      // A flat face (a photo, a screen) fails even if the colour model was fooled.
      if (reliefMm < MIN_RELIEF_MM) return this.fail('NOT_LIVE', nowMs);
    }
    const fused = fuseEmbeddings(
      window.map((f) => ({ embedding: f.embedding, weight: Math.max(f.quality, 1e-6) })),
      this.config.fuseFrames,
    );
    const result: SessionResult = {
      embedding: fused,
      liveScore,
      liveScores: window.map((f) => f.liveScore),
      firstFrameMs: (window[0] as GoodFrame).atMs,
      lastFrameMs: (window[window.length - 1] as GoodFrame).atMs,
      quality: Math.max(...window.map((f) => f.quality)),
      framesFused: Math.min(window.length, this.config.fuseFrames),
    };
    if (reliefMm !== undefined) result.reliefMm = reliefMm;
    this.stateNow = 'ready';
    this.good = [];
    return [
      { type: 'state', state: 'ready', atMs: nowMs - this.startedAt },
      { type: 'ready', atMs: nowMs - this.startedAt, ...result },
    ];
  }

  private enter(state: SessionState, nowMs: number, events: SessionEvent[]): void {
    this.stateNow = state;
    this.stateSince = nowMs;
    events.push({ type: 'state', state, atMs: nowMs - this.startedAt });
  }

  private restart(nowMs: number, events: SessionEvent[]): void {
    this.good = [];
    this.steady = 0;
    this.trackId = -1;
    this.lastBox = null;
    this.lastFaceAt = nowMs;
    this.enter('searching', nowMs, events);
  }

  private count(reason: HintCode): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  private commonestReason(): HintCode | undefined {
    let best: HintCode | undefined;
    let most = 0;
    for (const [reason, n] of this.reasons) {
      if (n > most) {
        best = reason;
        most = n;
      }
    }
    return best;
  }

  private fail(code: FailureCode, nowMs: number, reason?: HintCode): SessionEvent[] {
    this.stateNow = 'failed';
    this.good = [];
    const failed: SessionEvent = {
      type: 'failed',
      atMs: nowMs - this.startedAt,
      code,
      message: MESSAGES[code],
    };
    if (reason !== undefined) failed.reason = reason;
    return [{ type: 'state', state: 'failed', atMs: nowMs - this.startedAt }, failed];
  }
}

function relativeBox(b: Box, width: number, height: number): RelativeBox {
  return {
    x: b.x1 / width,
    y: b.y1 / height,
    width: (b.x2 - b.x1) / width,
    height: (b.y2 - b.y1) / height,
  };
}

/** How far the box centre moved, relative to the box size. */
function movement(a: Box, b: Box): number {
  const dx = (a.x1 + a.x2 - b.x1 - b.x2) / 2;
  const dy = (a.y1 + a.y2 - b.y1 - b.y2) / 2;
  return Math.hypot(dx, dy) / Math.max(1, a.y2 - a.y1);
}
