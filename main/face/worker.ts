/**
 * The face worker thread: owns the ONNX Runtime sessions and runs every frame through the
 * pipeline, off the main thread. Talks only through validated messages (messages.ts). Frames
 * arrive as transferred buffers and are dropped as soon as they are analysed; nothing here
 * writes, logs or sends pixels.
 */
import { parentPort } from 'node:worker_threads';
import { decodeImage, readImageFile } from './image-file';
import { request, type Request, type Response } from './messages';
import { DEFAULT_THREADING, loadVerifiedModels, type ModelName, type OrtThreading } from './models';
import { machineKey, optLevelsPath, readOptLevels, tuneOptLevels } from './optlevels';
import { FacePipeline } from './pipeline';
import { resizeRgb } from './sample';
import { FaceTracker } from './track';

if (parentPort === null) throw new Error('main/face/worker.ts must run as a worker thread');
const port = parentPort;

let pipeline: FacePipeline | null = null;
/** True while the first-start measurement of the optimisation levels runs (optlevels.ts). */
let measuring = false;
/**
 * Set by 'stop' just before the engine terminates this thread: the background measurement takes
 * no further step. Terminating while ONNX Runtime creates a session aborts the whole process
 * (a native exception escapes), so nothing may start in ORT once the engine means to stop.
 */
let stopping = false;
const trackers = new Map<string, FaceTracker>();
/** Requests run one at a time, in order: the pipeline's input tensors are shared. */
let queue: Promise<unknown> = Promise.resolve();

/** Runs `job` after every request already queued; requests queued later wait for it. */
function enqueue<T>(job: () => Promise<T>): Promise<T> {
  const turn = queue.then(job);
  queue = turn.catch(() => undefined);
  return turn;
}

/**
 * Loads the pipeline with this machine's measured optimisation levels when the data directory
 * holds them; else with the fixed table, and measures in the background. Background, because
 * measuring 5 models x 3 levels costs ~0.8-0.9 s on this 2-core Xeon (face.optlevel_measure_ms),
 * more on a slower CPU, which would nearly triple the worker's start (~0.5 s); the table is a
 * fair choice meanwhile. Each model's measurement is one turn of the request queue, so a frame waits for
 * at most one model's (the embedding model's, ~0.3 s), never for all of it, and never runs
 * beside it (ORT timings would be spoiled and the frame slowed).
 */
async function load(
  modelsDir: string | undefined,
  threading: OrtThreading,
  dataDir: string | undefined,
): Promise<FacePipeline> {
  const models = await loadVerifiedModels(modelsDir);
  const stored = dataDir === undefined ? null : readOptLevels(optLevelsPath(dataDir), machineKey());
  const loaded = await FacePipeline.fromModels(models, threading, stored ?? undefined);
  if (dataDir !== undefined && stored === null) {
    measuring = true;
    void tuneInBackground(loaded, models, threading, dataDir).finally(() => (measuring = false));
  }
  return loaded;
}

async function tuneInBackground(
  target: FacePipeline,
  models: Record<ModelName, Uint8Array>,
  threading: OrtThreading,
  dataDir: string,
): Promise<void> {
  try {
    const step = <T>(job: () => Promise<T>): Promise<T> =>
      enqueue(() => (stopping ? Promise.reject(new Error('the engine is stopping')) : job()));
    const tuned = await tuneOptLevels({ dataDir, models, threading, step });
    if (stopping) return;
    const changed = await enqueue(() => target.useOptLevels(models, tuned.levels));
    console.error(
      `measured ORT graph optimisation levels in ${Math.round(tuned.elapsedMs)} ms` +
        (changed.length > 0
          ? `; now ${changed.map((m) => `${m} ${tuned.levels[m]}`).join(', ')}`
          : ''),
    );
  } catch (err) {
    // The table stays in use; the next start measures again. Never a crash of the worker.
    console.error(
      `measuring ORT graph optimisation levels failed: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function ready(): FacePipeline {
  if (pipeline === null) throw new Error('the face worker has not been initialised');
  return pipeline;
}

/** Buffers inside a result that can move back to the main thread instead of being copied. */
function transferables(result: unknown): ArrayBuffer[] {
  const found: ArrayBuffer[] = [];
  const visit = (v: unknown): void => {
    if (v instanceof Uint8Array || v instanceof Float32Array) {
      if (
        v.buffer instanceof ArrayBuffer &&
        v.byteOffset === 0 &&
        v.byteLength === v.buffer.byteLength
      ) {
        found.push(v.buffer);
      }
    } else if (v !== null && typeof v === 'object') {
      for (const value of Object.values(v)) visit(value);
    }
  };
  visit(result);
  return found;
}

async function handle(msg: Request): Promise<unknown> {
  switch (msg.type) {
    case 'init':
      pipeline ??= await load(msg.modelsDir, msg.threading ?? DEFAULT_THREADING, msg.dataDir);
      return { ready: true };
    case 'analyse': {
      const { frame, options } = msg;
      let tracker: FaceTracker | undefined;
      if (options.track !== undefined) {
        tracker = trackers.get(options.track) ?? new FaceTracker();
        trackers.set(options.track, tracker);
      }
      const analysis = await ready().analyse(frame, {
        tracker,
        liveness: options.liveness,
        embedding: options.embedding,
      });
      if (options.previewWidth === undefined) return { analysis };
      const width = options.previewWidth;
      const height = Math.max(1, Math.round((width * frame.height) / frame.width));
      return { analysis, preview: resizeRgb(frame, width, height) };
    }
    case 'embedFile':
      return ready().analyse(await readImageFile(msg.path));
    case 'embedImage':
      return ready().analyse(msg.image);
    case 'embedEncoded':
      return ready().analyse(await decodeImage(msg.bytes, msg.name));
    case 'resetTrack':
      return { reset: trackers.delete(msg.track) };
    case 'optLevels':
      return { levels: ready().optLevels(), measuring };
    case 'stop':
      // Queued like any request, so it answers once the step in ORT (if any) has finished.
      stopping = true;
      return { stopped: true };
    case 'memory': {
      const { rss, heapUsed, external } = process.memoryUsage();
      return { rss, heapUsed, external };
    }
  }
}

port.on('message', (raw: unknown) => {
  const parsed = request.safeParse(raw);
  const id =
    typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'number'
      ? raw.id
      : -1;
  if (!parsed.success) {
    // Say what was wrong with the message's shape, never echo its content (it may hold pixels).
    const where = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    const reply: Response = {
      id,
      ok: false,
      error: { name: 'FaceMessageError', message: `bad request: ${where}` },
    };
    port.postMessage(reply);
    return;
  }
  const turn = enqueue(() => handle(parsed.data));
  turn.then(
    (result) => {
      const reply: Response = { id, ok: true, result };
      port.postMessage(reply, transferables(result));
    },
    (err: unknown) => {
      const error =
        err instanceof Error
          ? { name: err.name, message: err.message }
          : { name: 'Error', message: String(err) };
      const reply: Response = { id, ok: false, error };
      port.postMessage(reply);
    },
  );
});
