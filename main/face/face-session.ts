/**
 * Runs a face session: pulls frames from a source, has the engine analyse them, feeds the state
 * machine and reports its events (with a small preview for the customer display) until the
 * session is ready or failed. Frames are never kept: each is handed to the worker and gone.
 *
 *   const session = runFaceSession(engine, source, { onEvent: (e) => display(e) });
 *   const outcome = await session.result; // { status: 'ready', embedding, ... } or failed
 */
import { randomUUID } from 'node:crypto';
import type { FaceEngine } from './engine';
import type { FrameSource } from './frame';
import type { RgbImage } from './image';
import {
  DEFAULT_SESSION_CONFIG,
  SessionMachine,
  type FailureCode,
  type HintCode,
  type SessionConfig,
  type SessionEvent,
  type SessionResult,
} from './session';

/** A session event; `frame` events carry the preview (RGB, previewWidth wide) when asked for. */
export type FaceSessionEvent =
  | Exclude<SessionEvent, { type: 'frame' }>
  | (Extract<SessionEvent, { type: 'frame' }> & { preview?: RgbImage });

export type SessionOutcome =
  | ({
      status: 'ready';
      elapsedMs: number;
      frames: number;
      /** The liveness window's first and last frame, ms since the epoch (Date.now's clock). */
      firstFrameAt: number;
      lastFrameAt: number;
    } & SessionResult)
  | {
      status: 'failed';
      elapsedMs: number;
      frames: number;
      code: FailureCode;
      message: string;
      reason?: HintCode;
      /** For the operator's log (e.g. the source's error); never shown to the customer. */
      detail?: string;
    };

export interface FaceSessionOptions {
  config?: Partial<SessionConfig>;
  /** Width of the preview in frame events; 0 for none. Default 160. */
  previewWidth?: number;
  onEvent?: (event: FaceSessionEvent) => void;
}

export interface FaceSession {
  readonly result: Promise<SessionOutcome>;
  /** Ends the session now (outcome: failed, CANCELLED). */
  cancel(): void;
}

const TICK_MS = 100;

export function runFaceSession(
  engine: FaceEngine,
  source: FrameSource,
  options: FaceSessionOptions = {},
): FaceSession {
  const machine = new SessionMachine({ ...DEFAULT_SESSION_CONFIG, ...options.config });
  const track = `session-${randomUUID()}`;
  const previewWidth = options.previewWidth ?? 160;
  const startedAt = performance.now();
  let frames = 0;
  let detail: string | undefined;
  let outcome: SessionOutcome | null = null;
  let settle: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (settle = resolve));

  const emit = (events: SessionEvent[], preview?: RgbImage): void => {
    for (const event of events) {
      if (event.type === 'ready') {
        const { type: _t, atMs: _a, ...result } = event;
        // The window's times on the wall clock, which the terminal signs its requests with.
        const wallOffset = Date.now() - performance.now();
        outcome = {
          status: 'ready',
          elapsedMs: performance.now() - startedAt,
          frames,
          ...result,
          firstFrameAt: Math.round(result.firstFrameMs + wallOffset),
          lastFrameAt: Math.round(result.lastFrameMs + wallOffset),
        };
      } else if (event.type === 'failed') {
        const { type: _t, atMs: _a, ...failure } = event;
        outcome = {
          status: 'failed',
          elapsedMs: performance.now() - startedAt,
          frames,
          ...failure,
        };
        if (detail !== undefined) outcome.detail = detail;
      }
      const out: FaceSessionEvent =
        event.type === 'frame' && preview ? { ...event, preview } : event;
      options.onEvent?.(out);
    }
    if (machine.done) settle();
  };

  const ticker = setInterval(() => emit(machine.onTick(performance.now())), TICK_MS);
  ticker.unref();

  const loop = async (): Promise<void> => {
    emit(machine.start(performance.now()));
    while (!machine.done) {
      let frame;
      try {
        frame = await Promise.race([source.next(), finished.then(() => null)]);
      } catch (err) {
        detail = err instanceof Error ? err.message : String(err);
        emit(machine.abort('CAMERA_ERROR', performance.now()));
        break;
      }
      if (machine.done) break;
      if (frame === null) {
        detail = `${source.description} ended`;
        emit(machine.abort('CAMERA_ERROR', performance.now()));
        break;
      }
      frames += 1;
      try {
        const { analysis, preview } = await engine.processFrame(frame, {
          track,
          liveness: 'gated',
          embedding: 'gated',
          ...(previewWidth > 0 ? { previewWidth } : {}),
        });
        emit(machine.onFrame(analysis, performance.now()), preview);
      } catch (err) {
        detail = err instanceof Error ? err.message : String(err);
        emit(machine.abort('UNAVAILABLE', performance.now()));
      }
    }
  };

  const result = loop()
    .catch((err: unknown) => {
      detail = err instanceof Error ? err.message : String(err);
      emit(machine.abort('UNAVAILABLE', performance.now()));
    })
    .then(async () => {
      clearInterval(ticker);
      await engine.resetTrack(track).catch(() => undefined);
      return outcome as SessionOutcome;
    });

  return {
    result,
    cancel: () => emit(machine.abort('CANCELLED', performance.now())),
  };
}
