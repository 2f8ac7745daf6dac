/**
 * Where the face models live and whether they are the ones we pinned. scripts/fetch-models.mjs
 * puts them in place at install time from the same list (models.json); the pipeline checks them
 * again at load time so a missing or swapped file fails loudly with the command that fixes it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pinned from './models.json' with { type: 'json' };

export type ModelName = 'detect' | 'landmark' | 'liveness' | 'feature' | 'eye';

export const MODEL_FILES: Record<ModelName, string> = {
  detect: 'fr_detect.onnx',
  landmark: 'fr_landmark.onnx',
  liveness: 'fr_liveness.onnx',
  feature: 'fr_feature.onnx',
  eye: 'fr_eye.onnx',
};

const FIX = 'run `node scripts/fetch-models.mjs` (or `npm install`) in the project root';

export class FaceModelError extends Error {
  override name = 'FaceModelError';
}

/** The project root: two folders above this file (main/face/models.ts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** assets/models/ in the project, unless FACE_MODELS_DIR says otherwise. */
export function defaultModelsDir(): string {
  return resolve(process.env.FACE_MODELS_DIR ?? join(repoRoot, 'assets/models'));
}

function pinnedSum(file: string): string {
  const sum = (pinned.files as Record<string, string | undefined>)[file];
  if (sum === undefined) throw new FaceModelError(`${file} has no pinned SHA-256 in models.json`);
  return sum;
}

/**
 * Reads every model file and checks its SHA-256 against the pinned sum. Throws one error naming
 * every missing or wrong file and the command to run; returns the verified bytes otherwise.
 */
export async function loadVerifiedModels(
  dir = defaultModelsDir(),
): Promise<Record<ModelName, Uint8Array>> {
  const problems: string[] = [];
  const bytes: Partial<Record<ModelName, Uint8Array>> = {};
  for (const [name, file] of Object.entries(MODEL_FILES) as [ModelName, string][]) {
    const path = join(dir, file);
    if (!existsSync(path)) {
      problems.push(`${path} is missing`);
      continue;
    }
    const data = await readFile(path);
    const actual = createHash('sha256').update(data).digest('hex');
    const expected = pinnedSum(file);
    if (actual !== expected) {
      problems.push(`${path} has SHA-256 ${actual}, expected ${expected}`);
      continue;
    }
    bytes[name] = data;
  }
  if (problems.length > 0) {
    throw new FaceModelError(`face models not usable: ${problems.join('; ')}. To fix: ${FIX}`);
  }
  return bytes as Record<ModelName, Uint8Array>;
}

export interface OrtThreading {
  /**
   * Intra-op threads per model. 1: on this 2-core class of machine a second thread gained
   * nothing reliable (bench runs: 18.8 vs 16.9 ms, 20.9 vs 29.6 ms), and the main process needs
   * the other core for the UI; with ORT's spinning it was 3-5 times slower (face.threading.*).
   */
  intraOpThreads: number;
  /** Let ORT's idle threads spin; only matters with more than one intra-op thread. */
  spinning: boolean;
}

export const DEFAULT_THREADING: OrtThreading = { intraOpThreads: 1, spinning: false };

/**
 * onnxruntime 1.30 on Linux starts Microsoft telemetry with its first session: it writes a
 * device id and an event store under ~/.cache/Microsoft/DeveloperTools/.onnxruntime, files in
 * the temp folder, and tries to upload to mobile.events.data.microsoft.com. A face-payment
 * terminal sends nothing it does not have to, so it is switched off. ORT reads the variable from
 * the process environment when it starts: set it from the main thread before the first session
 * (FaceEngine.start does, before the worker exists); in a worker thread process.env is a copy.
 */
export function disableOrtTelemetry(): void {
  process.env.ORT_DISABLE_TELEMETRY = '1';
}
