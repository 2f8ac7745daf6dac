/**
 * The ONNX Runtime sessions of the five models. Only the face worker (pipeline.ts) imports this
 * module: the main thread never loads onnxruntime-node (models.ts, which it does use for the
 * model files and their sums, stays free of it).
 */
import * as ort from 'onnxruntime-node';
import { ALIGNED_SIZE } from './align';
import { DETECT_HEIGHT, DETECT_WIDTH } from './detect';
import { EYE_SIZE } from './eyes';
import { LANDMARK_SIZE } from './landmarks';
import { LIVENESS_SIZE } from './liveness';
import {
  DEFAULT_THREADING,
  disableOrtTelemetry,
  MODEL_FILES,
  type ModelName,
  type OrtThreading,
} from './models';

export type Sessions = Record<ModelName, ort.InferenceSession>;

export type GraphOptimization = NonNullable<
  ort.InferenceSession.SessionOptions['graphOptimizationLevel']
>;

/** Each model's input tensor shape, as the pipeline feeds it (NCHW, one image). */
export const MODEL_INPUT_DIMS: Record<ModelName, number[]> = {
  detect: [1, 3, DETECT_HEIGHT, DETECT_WIDTH],
  landmark: [1, 1, LANDMARK_SIZE, LANDMARK_SIZE],
  liveness: [1, 3, LIVENESS_SIZE, LIVENESS_SIZE],
  feature: [1, 3, ALIGNED_SIZE, ALIGNED_SIZE],
  eye: [1, 1, EYE_SIZE, EYE_SIZE],
};

/**
 * The fallback where nothing was measured on this machine (no data directory: tests, the CLI;
 * or the first start, until optlevels.ts has measured). ORT's graph optimisation level per
 * model, chosen by measurement (`npm run bench -- face`:
 * face.optlevel.*; 1 thread, median of 30 runs on this 2-core Xeon with AVX-512): 'all' adds the
 * NCHWc layout transforms, which make the detector, landmarks and eye models 3x faster (detect
 * 2.4 vs 7.4 ms) but the embedding model 2.5-3x slower (fr_feature 77-90 ms vs 26-33 ms with
 * 'extended'); the embeddings agree either way (accuracy.test.ts holds the same floors).
 */
export const GRAPH_OPTIMIZATION: Record<ModelName, GraphOptimization> = {
  detect: 'all',
  landmark: 'all',
  liveness: 'all',
  feature: 'extended',
  eye: 'all',
};

/** The session options every face model runs with (the measurement in optlevels.ts too). */
export function sessionOptions(
  threading: OrtThreading,
  graphOptimizationLevel: GraphOptimization,
): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    executionMode: 'sequential',
    intraOpNumThreads: threading.intraOpThreads,
    interOpNumThreads: 1,
    graphOptimizationLevel,
    extra: { session: { intra_op: { allow_spinning: threading.spinning ? '1' : '0' } } },
  };
}

/** Creates the ONNX Runtime sessions from verified model bytes, CPU only. */
export async function createSessions(
  models: Record<ModelName, Uint8Array>,
  threading: OrtThreading = DEFAULT_THREADING,
  levels: Record<ModelName, GraphOptimization> = GRAPH_OPTIMIZATION,
): Promise<Sessions> {
  disableOrtTelemetry();
  const entries = await Promise.all(
    (Object.keys(MODEL_FILES) as ModelName[]).map(
      async (name) =>
        [
          name,
          await ort.InferenceSession.create(models[name], sessionOptions(threading, levels[name])),
        ] as const,
    ),
  );
  return Object.fromEntries(entries) as Sessions;
}
