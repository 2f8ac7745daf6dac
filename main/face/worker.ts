/**
 * The face worker thread: owns the ONNX Runtime sessions and runs every frame through the
 * pipeline, off the main thread. Talks only through validated messages (messages.ts). Frames
 * arrive as transferred buffers and are dropped as soon as they are analysed; nothing here
 * writes, logs or sends pixels.
 */
import { parentPort } from 'node:worker_threads';
import { decodeImage, readImageFile } from './image-file';
import { request, type Request, type Response } from './messages';
import { FacePipeline } from './pipeline';
import { resizeRgb } from './sample';
import { FaceTracker } from './track';

if (parentPort === null) throw new Error('main/face/worker.ts must run as a worker thread');
const port = parentPort;

let pipeline: FacePipeline | null = null;
const trackers = new Map<string, FaceTracker>();
/** Requests run one at a time, in order: the pipeline's input tensors are shared. */
let queue: Promise<unknown> = Promise.resolve();

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
      pipeline ??= await FacePipeline.load({ modelsDir: msg.modelsDir, threading: msg.threading });
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
  const turn = queue.then(() => handle(parsed.data));
  queue = turn.catch(() => undefined);
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
