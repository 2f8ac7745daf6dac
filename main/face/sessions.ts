/**
 * The ONNX Runtime sessions of the five models. Only the face worker (pipeline.ts) imports this
 * module: the main thread never loads onnxruntime-node (models.ts, which it does use for the
 * model files and their sums, stays free of it).
 */
import * as ort from 'onnxruntime-node';
import {
  DEFAULT_THREADING,
  disableOrtTelemetry,
  MODEL_FILES,
  type ModelName,
  type OrtThreading,
} from './models';

export type Sessions = Record<ModelName, ort.InferenceSession>;

type GraphOptimization = NonNullable<ort.InferenceSession.SessionOptions['graphOptimizationLevel']>;

/**
 * ORT's graph optimisation level per model, chosen by measurement (`npm run bench -- face`:
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

/** Creates the ONNX Runtime sessions from verified model bytes, CPU only. */
export async function createSessions(
  models: Record<ModelName, Uint8Array>,
  threading: OrtThreading = DEFAULT_THREADING,
): Promise<Sessions> {
  disableOrtTelemetry();
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    executionMode: 'sequential',
    intraOpNumThreads: threading.intraOpThreads,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: threading.spinning ? '1' : '0' } } },
  };
  const entries = await Promise.all(
    (Object.keys(MODEL_FILES) as ModelName[]).map(
      async (name) =>
        [
          name,
          await ort.InferenceSession.create(models[name], {
            ...options,
            graphOptimizationLevel: GRAPH_OPTIMIZATION[name],
          }),
        ] as const,
    ),
  );
  return Object.fromEntries(entries) as Sessions;
}
