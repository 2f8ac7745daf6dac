/**
 * Capture: a face session (in the face worker) on the camera's frames, until it yields the fused,
 * live embedding or a reason it could not. Progress (searching ▸ holdStill ▸ checkingLiveness)
 * and the small previews for the customer display go out through the hooks; frames are never
 * seen here. The camera is stopped as soon as the session ends.
 */
import type { LivenessEvidence } from '../../../../cloud/api';
import {
  FACEPAY_STEPS,
  type EventPayload,
  type FacePayFailureCode,
  type FacePayHint,
  type FacePayStep,
} from '../../../contract';
import type { SessionConfig } from '../../../face';
import type { Logger } from '../../logger';
import type { FaceBackend, FacePayCamera } from './ports';
import { previewDataUrl } from './preview';

const STEPS = new Set<string>(FACEPAY_STEPS);

export type CaptureOutcome =
  | { kind: 'face'; embedding: Float32Array; liveness: LivenessEvidence }
  | { kind: 'failed'; code: FacePayFailureCode }
  /** The attempt moved on before the session ended (the embedding, if any, is zeroed). */
  | { kind: 'abandoned' };

export interface CaptureHooks {
  /** False once the attempt moved on: its events are dropped (and a late embedding zeroed). */
  active(): boolean;
  step(step: FacePayStep): void;
  preview(preview: Omit<EventPayload<'facepay.preview'>, 'saleId'>): void;
}

export interface Capture {
  /** Ends the session early (its outcome is then a failure nobody is waiting for). */
  cancel(): void;
  readonly outcome: Promise<CaptureOutcome>;
}

/**
 * Starts the session. A camera that cannot even start is known at once (the outcome itself, not a
 * `Capture`), so the attempt fails within the request that started it.
 */
export function captureFace(input: {
  saleId: string;
  camera: FacePayCamera;
  backend: FaceBackend;
  logger: Logger;
  /** Face session settings (timeouts, frames), for tests. */
  session: Partial<SessionConfig> | undefined;
  /** No frame at all from the camera in this long: CAMERA_ERROR. */
  firstFrameTimeoutMs: number;
  hooks: CaptureHooks;
}): Capture | CaptureOutcome {
  const { saleId, camera, logger, hooks } = input;
  let frames = 0;
  let noFrames = false;
  let session;
  try {
    const source = camera.open();
    session = input.backend.startSession(source, {
      previewWidth: 160,
      ...(input.session ? { config: input.session } : {}),
      onEvent: (event) => {
        if (event.type === 'frame') frames += 1;
        if (!hooks.active()) return;
        if (event.type === 'state' && STEPS.has(event.state)) {
          hooks.step(event.state as FacePayStep);
        } else if (event.type === 'frame' && event.preview !== undefined) {
          hooks.preview({
            image: previewDataUrl(event.preview),
            box: event.box,
            hint: event.hint as FacePayHint,
          });
        }
      },
    });
  } catch (error) {
    logger.error('face pay: the camera did not start', {
      saleId,
      error: error instanceof Error ? error.message : String(error),
    });
    camera.stop();
    return { kind: 'failed', code: 'CAMERA_ERROR' };
  }
  const running = session;
  const watchdog = setTimeout(() => {
    if (frames === 0) {
      noFrames = true;
      running.cancel();
    }
  }, input.firstFrameTimeoutMs);
  watchdog.unref();

  const outcome = running.result.then((result): CaptureOutcome => {
    clearTimeout(watchdog);
    camera.stop();
    if (!hooks.active()) {
      if (result.status === 'ready') result.embedding.fill(0);
      return { kind: 'abandoned' };
    }
    if (result.status === 'failed') {
      const code: FacePayFailureCode =
        noFrames || (result.code === 'NO_FACE' && result.frames === 0)
          ? 'CAMERA_ERROR'
          : result.code === 'UNAVAILABLE'
            ? 'UNAVAILABLE'
            : result.code;
      logger.info('face pay: no usable face', {
        saleId,
        code,
        frames: result.frames,
        ...(result.detail !== undefined ? { detail: result.detail.slice(0, 200) } : {}),
      });
      return { kind: 'failed', code };
    }
    logger.info('face pay: face captured', {
      saleId,
      ms: Math.round(result.elapsedMs),
      frames: result.frames,
    });
    return { kind: 'face', embedding: result.embedding, liveness: livenessEvidenceOf(result) };
  });
  return { cancel: () => running.cancel(), outcome };
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
