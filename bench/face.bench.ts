/**
 * Face pipeline benchmarks (`npm run bench -- face`), one JSON line per figure:
 * - face.worker_rss_mb: what the face worker adds to the process's RSS with all models loaded;
 * - face.worker_frame_ms: one frame through FaceEngine.processFrame (worker round trip);
 * - face.threading.*: the whole pipeline per frame under each ORT thread setting (the default
 *   in models.ts was chosen from these);
 * - face.optlevel.*: each model's raw run() at each graph optimisation level (GRAPH_OPTIMIZATION
 *   in sessions.ts, the fallback where nothing was measured, was chosen from these);
 * - face.optlevel_measure_ms: what the face worker's first start on a machine spends measuring
 *   every model at each level (optlevels.ts: tuneOptLevels into an empty data directory);
 * - face.stage.*, face.pipeline_ms, face.raw_inference_ms, face.pipeline_ratio: per frame of the
 *   camera clip, median and p95 over RUNS frames, the models' own run() time measured in the
 *   same frames, and pipeline / raw;
 * - face.session_ready_ms: a session on face.y4m through the worker, first frame to a ready
 *   embedding (frames as fast as they are analysed, and paced at the clip's 10 fps);
 * - face.identify_10k_ms, face.identify_100k_ms: 1:N top-5 over that many random templates, and
 *   face.identify_*_facelike_ms over templates made from real embeddings (see identify()).
 * - face.still_decode_12mp_ms, face.still_decode_50mp_ms: a phone-sized JPEG (made in memory,
 *   a DEV face on a noisy background) decoded, turned upright and shrunk to 1,280 by libvips.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDevSet } from '../main/face/dev-set';
import { l2Normalise } from '../main/face/embedding';
import { FaceEngine } from '../main/face/engine';
import { runFaceSession } from '../main/face/face-session';
import type { Frame } from '../main/face/frame';
import { Gallery } from '../main/face/gallery';
import ort from 'onnxruntime-node';
import {
  DEFAULT_THREADING,
  disableOrtTelemetry,
  loadVerifiedModels,
  type ModelName,
  type OrtThreading,
} from '../main/face/models';
import { GRAPH_OPTIMIZATION } from '../main/face/sessions';
import { tuneOptLevels } from '../main/face/optlevels';
import { FacePipeline, type StageTimings } from '../main/face/pipeline';
import { Y4mFileSource } from '../main/face/y4m';
import { decodeImage } from '../main/face/image-file';
import sharp from 'sharp';
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

/**
 * The worker's memory, measured first in a fresh process so that nothing else the benchmark
 * decodes is counted: RSS before the worker starts, then after it has loaded every model and
 * analysed a few copies of one frame (ORT allocates its arenas on the first runs).
 */
async function workerRss(): Promise<void> {
  const source = new Y4mFileSource(clip, { loop: false });
  const first = await source.next();
  source.close();
  if (first === null) throw new Error(`${clip} has no frame`);
  const before = process.memoryUsage().rss;
  const engine = await FaceEngine.start();
  for (let i = 0; i < 10; i++) {
    await engine.processFrame(
      { ...first, data: first.data.slice() },
      { track: 'bench', liveness: 'always', embedding: 'always', previewWidth: 160 },
    );
  }
  const { rss } = await engine.memoryUsage();
  await engine.close();
  emit({
    name: 'face.worker_rss_mb',
    value: round((rss - before) / 1e6, 1),
    unit: 'MB',
    note: 'process RSS with the face worker started, all models loaded and 10 frames analysed, minus RSS before it started (fresh process, one frame decoded)',
    processRssMb: round(rss / 1e6, 1),
  });
}

/** processFrame round trips through the worker: transfer, every stage, a 160-pixel preview back. */
async function workerRoundTrip(): Promise<void> {
  const engine = await FaceEngine.start();
  const frames = await clipFrames();
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
  await engine.close();
  stats('face.worker_frame_ms', roundTrips, {
    note: 'processFrame round trip, all stages, with preview',
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

/**
 * Each model's raw run() at each ORT graph optimisation level (1 thread, random input of the
 * model's shape, median of 30): the figures GRAPH_OPTIMIZATION in sessions.ts was chosen from.
 */
async function optimisationChoice(): Promise<void> {
  disableOrtTelemetry(); // before this process's first session, whichever bench runs first
  const models = await loadVerifiedModels();
  for (const name of Object.keys(models) as ModelName[]) {
    for (const level of ['basic', 'extended', 'all'] as const) {
      const session = await ort.InferenceSession.create(models[name], {
        executionProviders: ['cpu'],
        graphOptimizationLevel: level,
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
      });
      const input = session.inputNames[0] as string;
      const meta = session.inputMetadata[0];
      const shape = (meta !== undefined && 'shape' in meta ? meta.shape : []).map((d) =>
        typeof d === 'number' && d > 0 ? d : 1,
      );
      const size = shape.reduce((a, b) => a * b, 1);
      const tensor = new ort.Tensor(
        'float32',
        Float32Array.from({ length: size }, Math.random),
        shape,
      );
      const times: number[] = [];
      for (let i = 0; i < 35; i++) {
        const started = performance.now();
        await session.run({ [input]: tensor });
        if (i >= 5) times.push(performance.now() - started);
      }
      await session.release();
      stats(`face.optlevel.${name}_${level}_ms`, times, {
        chosen: GRAPH_OPTIMIZATION[name] === level,
      });
    }
  }
}

/** The first-start measurement, as the face worker runs it, each time into an empty directory. */
async function optLevelMeasure(): Promise<void> {
  disableOrtTelemetry();
  const models = await loadVerifiedModels();
  const times: number[] = [];
  let levels: Record<string, string> = {};
  for (let i = 0; i < 5; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-optlevels-'));
    try {
      const tuned = await tuneOptLevels({ dataDir, models, threading: DEFAULT_THREADING });
      if (!tuned.measured) throw new Error('an empty data directory was not measured');
      times.push(tuned.elapsedMs);
      levels = tuned.levels;
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  stats('face.optlevel_measure_ms', times, {
    note: '5 models x 3 levels, one warm-up and 3 timed runs each, session creation included',
    levels,
  });
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

/**
 * Real embeddings of DEV images (one per identity, up to `count`), the seeds of the face-like
 * galleries below.
 */
async function realEmbeddings(count: number): Promise<Float32Array[]> {
  const engine = await FaceEngine.start();
  const seen = new Set<string>();
  const out: Float32Array[] = [];
  for (const image of dev.images) {
    if (out.length === count) break;
    if (seen.has(image.identity)) continue;
    seen.add(image.identity);
    const face = (await engine.embedFile(join(dev.dir, image.file))).face;
    if (face?.embedding !== undefined) out.push(face.embedding);
  }
  await engine.close();
  return out;
}

/**
 * 1:N identify at 10,000 and 100,000 templates, two galleries each:
 * - random: independent random unit vectors (the scan's cost, nearly nothing to rescore);
 * - facelike: every template a real DEV embedding plus noise (cosine about 0.5 to its seed), so
 *   the scores pile up the way real faces' do and hundreds of templates sit near any probe: a
 *   harder case than a real gallery of distinct people, for the exact rescoring.
 * Probes are near an enrolled template, as a real customer's would be.
 */
async function identify(): Promise<void> {
  let seed = 9;
  const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5;
  const unit = (): Float32Array => l2Normalise(Float32Array.from({ length: 512 }, random));
  const seeds = await realEmbeddings(300);
  // Uniform noise of half-width h per component has variance h^2/3; 512 of them with h = 0.075
  // add a vector of norm ~1 to a unit seed: cosine ~0.7 to the seed, ~0.5 between siblings.
  const facelike = (i: number): Float32Array =>
    l2Normalise((seeds[i % seeds.length] as Float32Array).map((v) => v + random() * 0.15));
  for (const kind of ['random', 'facelike'] as const) {
    for (const size of [10_000, 100_000]) {
      const gallery = new Gallery(512, size);
      const templates: Float32Array[] = [];
      for (let i = 0; i < size; i++) {
        const t = kind === 'random' ? unit() : facelike(i);
        if (i % 1000 === 0) templates.push(t);
        gallery.add(`id-${i}`, t);
      }
      const times: number[] = [];
      for (let q = 0; q < 60; q++) {
        const target = templates[q % templates.length] as Float32Array;
        const probe = l2Normalise(target.map((v) => v + random() * 0.06));
        const started = performance.now();
        gallery.identify(probe, 5);
        if (q >= 10) times.push(performance.now() - started);
      }
      const name = `face.identify_${size / 1000}k${kind === 'random' ? '' : '_facelike'}_ms`;
      stats(name, times, {
        k: 5,
        gallery: kind,
        seeds: kind === 'facelike' ? seeds.length : undefined,
        target: size === 100_000 ? 10 : undefined,
      });
    }
  }
}

/** Decoding a phone photo (image-file.ts): libvips shrinks JPEGs while decoding them. */
async function stillDecode(): Promise<void> {
  const face = join(dev.dir, 'lfw/Nicole_Kidman/Nicole_Kidman_0003.jpg');
  for (const [label, width, height] of [
    ['12mp', 4000, 3000],
    ['50mp', 8660, 5774],
  ] as const) {
    const photo = await sharp({
      create: {
        width,
        height,
        channels: 3,
        background: { r: 0, g: 0, b: 0 },
        noise: { type: 'gaussian', mean: 110, sigma: 25 },
      },
    })
      .composite([
        {
          input: await sharp(face)
            .resize(height / 2)
            .toBuffer(),
          gravity: 'centre',
        },
      ])
      .jpeg({ quality: 90 })
      .toBuffer();
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      await decodeImage(photo, `${label}.jpg`);
      times.push(performance.now() - started);
    }
    stats(`face.still_decode_${label}_ms`, times.slice(1), { bytes: photo.length });
  }
}

await stillDecode();
await workerRss();
await workerRoundTrip();
await optimisationChoice();
await optLevelMeasure();
await threadingChoice();
await stages();
await sessionReady();
await identify();
