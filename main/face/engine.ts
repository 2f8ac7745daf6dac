/**
 * FaceEngine: the main thread's handle on the face worker. Every call is one validated message;
 * frames' pixels are transferred to the worker (not copied), so after processFrame the caller's
 * frame buffer is gone, which is also what the privacy rule wants: one copy, short-lived.
 *
 *   const engine = await FaceEngine.start();
 *   const { analysis, preview } = await engine.processFrame(frame, { track: 'session-1' });
 *   const still = await engine.embedFile('photo.jpg');
 *   await engine.close();
 */
import { Worker } from 'node:worker_threads';
import type { z } from 'zod';
import type { Frame } from './frame';
import { assertFrame } from './frame';
import { assertRgbImage, type RgbImage } from './image';
import {
  response,
  resultSchemas,
  type Analysed,
  type AnalyseOptionsMessage,
  type Request,
} from './messages';
import { disableOrtTelemetry, type OrtThreading } from './models';
import type { FrameAnalysis } from './pipeline';
import { workerUrl } from '../shared/worker-url';

/**
 * How long close() waits for the worker to finish the step it runs in ONNX Runtime (the longest,
 * creating the embedding model's session, takes ~0.3 s here) before terminating it regardless.
 */
const STOP_WAIT_MS = 5_000;

export class FaceEngineError extends Error {
  override name = 'FaceEngineError';
}

export interface FaceEngineOptions {
  modelsDir?: string;
  threading?: OrtThreading;
  /**
   * The terminal's data directory: each model's ORT graph optimisation level is measured once on
   * this machine and kept there (face-optlevels.json, optlevels.ts). None: the fixed table.
   */
  dataDir?: string;
}

export type ProcessFrameOptions = AnalyseOptionsMessage;

type RequestType = Request['type'];
type Result<T extends RequestType> = z.infer<(typeof resultSchemas)[T]>;
type Pending = { type: RequestType; resolve: (v: unknown) => void; reject: (e: Error) => void };

/** A buffer the worker can take over: a whole ArrayBuffer of its own, else a fresh copy. */
function ownBuffer<T extends Uint8Array | Uint16Array>(data: T): T {
  if (
    data.buffer instanceof ArrayBuffer &&
    data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength
  ) {
    return data;
  }
  return data.slice() as T;
}

export class FaceEngine {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (raw: unknown) => this.receive(raw));
    worker.on('error', (err) =>
      this.failAll(new FaceEngineError(`face worker crashed: ${err.message}`)),
    );
    worker.on('exit', (code) =>
      this.failAll(new FaceEngineError(`face worker exited (code ${code})`)),
    );
  }

  /** Starts the worker and loads the models (verifying them: a clear error if missing/wrong). */
  static async start(options: FaceEngineOptions = {}): Promise<FaceEngine> {
    disableOrtTelemetry(); // before the worker exists: it inherits the process environment
    // stdout/stderr: true gives the worker's output to us instead of the terminal, so it can be
    // forwarded as text lines (and a test can prove no pixel data ever appears in it).
    const worker = new Worker(workerUrl(import.meta.url, 'face'), { stdout: true, stderr: true });
    worker.stdout.on('data', (chunk: Buffer) =>
      process.stderr.write(`[face-worker] ${chunk.toString()}`),
    );
    worker.stderr.on('data', (chunk: Buffer) =>
      process.stderr.write(`[face-worker] ${chunk.toString()}`),
    );
    const engine = new FaceEngine(worker);
    try {
      await engine.call<'init'>({
        type: 'init',
        modelsDir: options.modelsDir,
        threading: options.threading,
        dataDir: options.dataDir,
      });
    } catch (err) {
      await worker.terminate();
      throw err;
    }
    return engine;
  }

  /**
   * Runs a frame through the pipeline. Takes over the frame's pixel buffer (transferred).
   * `track` names the tracker to follow the face with (one per camera session).
   */
  processFrame(frame: Frame, options: ProcessFrameOptions = {}): Promise<Analysed> {
    assertFrame(frame);
    const data = ownBuffer(frame.data);
    const depth =
      frame.depth === undefined ? undefined : { ...frame.depth, data: ownBuffer(frame.depth.data) };
    const message = {
      width: frame.width,
      height: frame.height,
      data,
      timestampMs: frame.timestampMs,
      depth,
    };
    const transfer = [
      data.buffer as ArrayBuffer,
      ...(depth ? [depth.data.buffer as ArrayBuffer] : []),
    ];
    return this.call<'analyse'>({ type: 'analyse', frame: message, options }, transfer);
  }

  /** Everything about the main face of a still image file (EXIF applied), embedding included. */
  embedFile(path: string): Promise<FrameAnalysis> {
    return this.call<'embedFile'>({ type: 'embedFile', path });
  }

  /** The same for an image already in memory (its buffer is transferred). */
  embedImage(image: RgbImage): Promise<FrameAnalysis> {
    assertRgbImage(image);
    const data = ownBuffer(image.data);
    return this.call<'embedImage'>({ type: 'embedImage', image: { ...image, data } }, [
      data.buffer as ArrayBuffer,
    ]);
  }

  /**
   * The same for an image file's bytes held in memory (an uploaded photo: JPEG, PNG, WebP or
   * AVIF): decoded in the worker (EXIF applied, large photos shrunk), never written anywhere.
   * `name` labels a decoding error. A copy travels (transferred): a Node Buffer may be a slice
   * of a shared pool that must not move.
   */
  embedEncoded(bytes: Uint8Array, name?: string): Promise<FrameAnalysis> {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('expected the bytes of an image file');
    const data = new Uint8Array(bytes);
    return this.call<'embedEncoded'>({ type: 'embedEncoded', bytes: data, name }, [
      data.buffer as ArrayBuffer,
    ]);
  }

  /** Forgets a session's face tracker. */
  async resetTrack(track: string): Promise<void> {
    await this.call<'resetTrack'>({ type: 'resetTrack', track });
  }

  /** The worker's view of memory use (RSS is the whole process's: threads share it). */
  memoryUsage(): Promise<Result<'memory'>> {
    return this.call<'memory'>({ type: 'memory' });
  }

  /**
   * Each model's ORT graph optimisation level now, and whether the worker is still measuring
   * them on this machine (first start with a data directory; see optlevels.ts).
   */
  optLevels(): Promise<Result<'optLevels'>> {
    return this.call<'optLevels'>({ type: 'optLevels' });
  }

  async close(): Promise<void> {
    if (this.failure === null) {
      // Let the worker finish what it runs in ONNX Runtime and start nothing more (its
      // first-start measurement runs in the background): terminating inside ORT's session
      // creation aborts the process. A worker that does not answer is terminated anyway.
      await Promise.race([
        this.call<'stop'>({ type: 'stop' }).catch(() => undefined),
        new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref()),
      ]);
    }
    this.failure ??= new FaceEngineError('face engine closed');
    await this.worker.terminate();
  }

  private call<T extends RequestType>(
    body: DistributiveOmit<Extract<Request, { type: T }>, 'id'>,
    transfer: ArrayBuffer[] = [],
  ): Promise<Result<T>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Result<T>>((resolve, reject) => {
      this.pending.set(id, { type: body.type, resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...body, id }, transfer);
    });
  }

  private receive(raw: unknown): void {
    const parsed = response.safeParse(raw);
    if (!parsed.success) {
      this.failAll(new FaceEngineError('face worker sent a malformed reply'));
      return;
    }
    const msg = parsed.data;
    const waiting = this.pending.get(msg.id);
    if (waiting === undefined) return;
    this.pending.delete(msg.id);
    if (!msg.ok) {
      const err = new FaceEngineError(msg.error.message);
      err.name = msg.error.name;
      waiting.reject(err);
      return;
    }
    const result = resultSchemas[waiting.type].safeParse(msg.result);
    if (result.success) waiting.resolve(result.data);
    else waiting.reject(new FaceEngineError(`face worker sent a malformed ${waiting.type} result`));
  }

  private failAll(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
