/**
 * ONNX Runtime's best graph optimisation level per model depends on the CPU (on an AVX-512 Xeon
 * 'all' makes the embedding model ~3x slower; on other CPUs 'all' is fastest) and on the ORT
 * build. So it is measured once per model on this machine and kept in
 * `<dataDir>/face-optlevels.json`, keyed by the CPU model, the core count and the ORT version:
 * another CPU or an upgraded ORT re-measures. A missing, corrupt or foreign file is ignored (and
 * measured again), never a crash. Only the face worker imports this (it loads onnxruntime-node).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';
import { writePrivateFile } from '../shared/private-files';
import { optLevels } from './messages';
import { MODEL_FILES, type ModelName, type OrtThreading } from './models';
import { MODEL_INPUT_DIMS, sessionOptions, type GraphOptimization } from './sessions';

export const OPT_LEVELS = ['basic', 'extended', 'all'] as const satisfies GraphOptimization[];
export const OPT_LEVELS_FILE = 'face-optlevels.json';

/** What a measurement holds for: another CPU, core count or ORT version measures again. */
export interface OptLevelKey {
  cpu: string;
  cores: number;
  ort: string;
}

export type OptLevels = Record<ModelName, GraphOptimization>;

export function machineKey(): OptLevelKey {
  const all = cpus();
  return { cpu: all[0]?.model ?? 'unknown', cores: all.length, ort: ort.env.versions.node ?? '' };
}

export function optLevelsPath(dataDir: string): string {
  return join(dataDir, OPT_LEVELS_FILE);
}

const stored = z.object({
  key: z.object({ cpu: z.string(), cores: z.number().int(), ort: z.string() }),
  levels: optLevels.shape.levels,
  measuredMs: z.record(z.string(), z.record(z.string(), z.number())).optional(),
});

/**
 * The stored choice when the file is there, well-formed and measured on this key; null otherwise
 * (missing, unreadable, corrupt, another machine's or another ORT's: all mean "measure").
 */
export function readOptLevels(path: string, key: OptLevelKey): OptLevels | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
  const file = stored.safeParse(parsed);
  if (!file.success) return null;
  const k = file.data.key;
  if (k.cpu !== key.cpu || k.cores !== key.cores || k.ort !== key.ort) return null;
  return file.data.levels;
}

/** Owner-only (0600), atomically: a crash mid-write leaves the old file or none, never half. */
export function writeOptLevels(
  path: string,
  key: OptLevelKey,
  levels: OptLevels,
  measuredMs: Partial<Record<ModelName, Record<GraphOptimization, number>>>,
): void {
  writePrivateFile(path, `${JSON.stringify({ key, levels, measuredMs }, null, 2)}\n`);
}

/** Runs per level: one warm-up (ORT allocates its arenas then), then the median of these. */
const TIMED_RUNS = 3;

export interface ModelMeasurement {
  level: GraphOptimization;
  /** Median run() per level, milliseconds. */
  ms: Record<GraphOptimization, number>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/**
 * One model at each level, with the pipeline's own session options and input shape, on a
 * synthetic input (the sum of the work does not depend on the pixels' values). The fastest wins.
 */
export async function measureModel(
  name: ModelName,
  bytes: Uint8Array,
  threading: OrtThreading,
): Promise<ModelMeasurement> {
  const dims = MODEL_INPUT_DIMS[name];
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = ((i * 7919) % 255) / 255 - 0.5;
  const tensor = new ort.Tensor('float32', data, dims);
  const ms = {} as Record<GraphOptimization, number>;
  for (const candidate of OPT_LEVELS) {
    const session = await ort.InferenceSession.create(bytes, sessionOptions(threading, candidate));
    try {
      const feeds = { [session.inputNames[0] as string]: tensor };
      await session.run(feeds);
      const times: number[] = [];
      for (let i = 0; i < TIMED_RUNS; i++) {
        const started = performance.now();
        await session.run(feeds);
        times.push(performance.now() - started);
      }
      ms[candidate] = Math.round(median(times) * 1000) / 1000;
    } finally {
      await session.release();
    }
  }
  const best = OPT_LEVELS.reduce((a, b) => (ms[b] < ms[a] ? b : a));
  return { level: best, ms };
}

export interface TuneOptions {
  dataDir: string;
  models: Record<ModelName, Uint8Array>;
  threading: OrtThreading;
  key?: OptLevelKey;
  /**
   * Runs each model's measurement; the face worker passes its request queue so that frames
   * interleave with the measurement instead of waiting for all of it.
   */
  step?: <T>(job: () => Promise<T>) => Promise<T>;
  /** Measures one model (tests wrap the real one to count calls). */
  measure?: typeof measureModel;
}

export interface Tuned {
  levels: OptLevels;
  /** False when the stored choice was read back. */
  measured: boolean;
  /** Wall time of the measurement (0 when read back). */
  elapsedMs: number;
}

/** The stored choice for this machine, or a fresh measurement of every model, then stored. */
export async function tuneOptLevels(options: TuneOptions): Promise<Tuned> {
  const key = options.key ?? machineKey();
  const path = optLevelsPath(options.dataDir);
  const known = readOptLevels(path, key);
  if (known !== null) return { levels: known, measured: false, elapsedMs: 0 };
  const step = options.step ?? (<T>(job: () => Promise<T>) => job());
  const measure = options.measure ?? measureModel;
  const started = performance.now();
  const levels = {} as OptLevels;
  const measuredMs: Partial<Record<ModelName, Record<GraphOptimization, number>>> = {};
  for (const name of Object.keys(MODEL_FILES) as ModelName[]) {
    const result = await step(() => measure(name, options.models[name], options.threading));
    levels[name] = result.level;
    measuredMs[name] = result.ms;
  }
  const elapsedMs = performance.now() - started;
  writeOptLevels(path, key, levels, measuredMs);
  return { levels, measured: true, elapsedMs };
}
