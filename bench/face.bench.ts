/**
 * Face pipeline benchmarks (`npm run bench -- face`), one JSON line per figure:
 * - face.worker_rss_mb: what the face worker adds to the process's RSS with all models loaded;
 * - face.worker_frame_ms: one frame through FaceEngine.processFrame (worker round trip);
 * - face.threading.*: the whole pipeline per frame under each ORT thread setting (the default
 *   in models.ts was chosen from these);
 * - face.stage.*, face.pipeline_ms, face.raw_inference_ms, face.pipeline_ratio: per frame of the
 *   camera clip, median and p95 over RUNS frames, the models' own run() time measured in the
 *   same frames, and pipeline / raw;
 * - face.session_ready_ms: a session on face.y4m through the worker, first frame to a ready
 *   embedding (frames as fast as they are analysed, and paced at the clip's 10 fps);
 * - face.identify_10k_ms, face.identify_100k_ms: 1:N top-5 over that many templates.
 */
import { join } from 'node:path';
import { loadDevSet } from '../main/face/dev-set';
import { l2Normalise } from '../main/face/embedding';
import { FaceEngine } from '../main/face/engine';
import { runFaceSession } from '../main/face/face-session';
import type { Frame } from '../main/face/frame';
import { Gallery } from '../main/face/gallery';
import { DEFAULT_THREADING, type OrtThreading } from '../main/face/models';
import { FacePipeline, type StageTimings } from '../main/face/pipeline';
import { Y4mFileSource } from '../main/face/y4m';
import { emit, median, quantile, round } from './report';

const RUNS = 240;
const WARMUP = 20;
const dev = loadDevSet();
const clip = join(dev.dir, 'camera/face.y4m');

async function clipFrames(): Promise<Frame[]> {
  const source = new Y4mFileSource(clip, { loop: false });
  const frames: Frame[] = [];
  for (let f = await source.next(); f !== null; f = await source.next()) frames.push(f);
  source.close();
  return frames;
}

function stats(name: string, values: number[], extra: Record<string, unknown> = {}): void {
  emit({
    name,
    value: round(median(values)),
    unit: 'ms',
    p95: round(quantile(values, 0.95)),
    runs: values.length,
    ...extra,
  });
}

async function workerRss(): Promise<void> {
  const before = process.memoryUsage().rss;
  const engine = await FaceEngine.start();
  const frames = await clipFrames();
  // Also the round trip through the worker: transfer, every stage, a 160-pixel preview back.
  const roundTrips: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const f = frames[i % frames.length] as Frame;
    const copy = { ...f, data: f.data.slice() }; // processFrame takes the buffer over
    const started = performance.now();
    await engine.processFrame(copy, {
      track: 'bench',
      liveness: 'always',
      embedding: 'always',
      previewWidth: 160,
    });
    if (i >= WARMUP) roundTrips.push(performance.now() - started);
  }
  const { rss } = await engine.memoryUsage();
  await engine.close();
  stats('face.worker_frame_ms', roundTrips, {
    note: 'processFrame round trip, all stages, with preview',
  });
  emit({
    name: 'face.worker_rss_mb',
    value: round((rss - before) / 1e6, 1),
    unit: 'MB',
    note: 'process RSS with the worker running all models, minus before it started',
    processRssMb: round(rss / 1e6, 1),
  });
}

/** Runs the whole pipeline on the clip's frames, cycling; returns per-frame timings. */
async function timePipeline(threading: OrtThreading, runs: number): Promise<StageTimings[]> {
  const pipeline = await FacePipeline.load({ threading });
  const frames = await clipFrames();
  const out: StageTimings[] = [];
  for (let i = 0; i < WARMUP + runs; i++) {
    const a = await pipeline.analyse(frames[i % frames.length] as Frame, {
      liveness: 'always',
      embedding: 'always',
    });
    if (a.face === null)
      throw new Error('the clip lost its face: the benchmark would time nothing');
    if (i >= WARMUP) out.push(a.timings);
  }
  await pipeline.close();
  return out;
}

async function threadingChoice(): Promise<void> {
  const settings: [string, OrtThreading][] = [
    ['1_thread', { intraOpThreads: 1, spinning: false }],
    ['2_threads_no_spin', { intraOpThreads: 2, spinning: false }],
    ['2_threads_spin', { intraOpThreads: 2, spinning: true }],
  ];
  for (const [label, threading] of settings) {
    const t = await timePipeline(threading, 120);
    stats(
      `face.threading.${label}_ms`,
      t.map((x) => x.totalMs),
      { ...threading },
    );
  }
}

async function stages(): Promise<void> {
  const t = await timePipeline(DEFAULT_THREADING, RUNS);
  for (const stage of ['detect', 'landmark', 'align', 'quality', 'liveness', 'embed'] as const) {
    stats(
      `face.stage.${stage}_ms`,
      t.map((x) => x[`${stage}Ms`]),
    );
  }
  const total = t.map((x) => x.totalMs);
  const raw = t.map((x) => x.modelMs);
  stats('face.pipeline_ms', total, { ...DEFAULT_THREADING });
  stats('face.raw_inference_ms', raw, {
    note: 'ONNX Runtime run() alone, all models, same frames',
  });
  emit({
    name: 'face.pipeline_ratio',
    value: round(median(total) / median(raw)),
    unit: 'ratio',
    perFrameMedian: round(median(t.map((x) => x.totalMs / x.modelMs))),
    target: 1.15,
  });
}

async function sessionReady(): Promise<void> {
  const engine = await FaceEngine.start();
  for (const paced of [false, true]) {
    const times: number[] = [];
    for (let i = 0; i < (paced ? 5 : 15); i++) {
      const source = new Y4mFileSource(clip, { paced });
      const outcome = await runFaceSession(engine, source, { previewWidth: 160 }).result;
      source.close();
      if (outcome.status !== 'ready') throw new Error(`session failed: ${outcome.code}`);
      if (i > 0 || paced) times.push(outcome.elapsedMs); // the first unpaced run warms the worker
    }
    stats(paced ? 'face.session_ready_paced_ms' : 'face.session_ready_ms', times, {
      frames: paced ? 'paced at 10 fps' : 'as fast as analysed',
      target: paced ? undefined : 600,
    });
  }
  await engine.close();
}

async function identify(): Promise<void> {
  let seed = 9;
  const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5;
  const unit = (): Float32Array => l2Normalise(Float32Array.from({ length: 512 }, random));
  for (const size of [10_000, 100_000]) {
    const gallery = new Gallery(512, size);
    const templates: Float32Array[] = [];
    for (let i = 0; i < size; i++) {
      const t = unit();
      if (i % 1000 === 0) templates.push(t);
      gallery.add(`id-${i}`, t);
    }
    const times: number[] = [];
    for (let q = 0; q < 60; q++) {
      // Probes near an enrolled template, as a real customer's would be.
      const target = templates[q % templates.length] as Float32Array;
      const probe = l2Normalise(target.map((v) => v + random() * 0.06));
      const started = performance.now();
      gallery.identify(probe, 5);
      if (q >= 10) times.push(performance.now() - started);
    }
    stats(`face.identify_${size / 1000}k_ms`, times, {
      k: 5,
      target: size === 100_000 ? 10 : undefined,
    });
  }
}

await workerRss();
await threadingChoice();
await stages();
await sessionReady();
await identify();
