/**
 * Calibrates the match thresholds on the DEV set and writes main/face/thresholds.json:
 *
 *   node --import tsx main/face/calibrate.ts [--out FILE]
 *
 * Every DEV image goes through the real pipeline; every pair of images is scored (all-vs-all:
 * about 1,500 genuine and 1.1 million impostor pairs); for each named false-accept target the
 * threshold is the lowest that keeps the impostor pairs reaching it within the target (see
 * thresholdForFar). Rerun it whenever a stage that changes embeddings changes; accuracy.test.ts
 * fails when the committed file no longer matches the pipeline.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  accuracyAt,
  allVsAll,
  bestAccuracyThreshold,
  rateAtOrAbove,
  thresholdForFar,
} from './calibration';
import { loadDevSet, type DevSet } from './dev-set';
import { cosineSimilarity } from './embedding';
import { readImageFile } from './image-file';
import pinned from './models.json' with { type: 'json' };
import { FacePipeline } from './pipeline';
import type { Thresholds } from './thresholds';

export const FAR_TARGETS = [1e-3, 1e-4, 1e-5] as const;

/**
 * The embedding of every DEV image (null when no face was found), in the set's order. Photos
 * where another face was comparable to the chosen one (still-face.ts) go into `ambiguous`.
 */
export async function embedDevImages(
  pipeline: FacePipeline,
  dev: DevSet,
  ambiguous: string[] = [],
): Promise<Map<string, Float32Array | null>> {
  const out = new Map<string, Float32Array | null>();
  for (const { file } of dev.images) {
    const image = await readImageFile(join(dev.dir, file));
    const analysis = await pipeline.analyse(image, { liveness: 'never', embedding: 'always' });
    out.set(file, analysis.face?.embedding ?? null);
    if (analysis.comparableFaces > 0) ambiguous.push(file);
  }
  return out;
}

/** Thresholds and the figures behind them, from DEV embeddings. */
export function calibrate(dev: DevSet, embeddings: Map<string, Float32Array | null>): Thresholds {
  const scores = allVsAll(
    dev.images.map(({ file, identity }) => ({ identity, embedding: embeddings.get(file) ?? null })),
  );
  const pairs = dev.pairs.map((p) => {
    const a = embeddings.get(p.a);
    const b = embeddings.get(p.b);
    return { similarity: a && b ? cosineSimilarity(a, b) : -1, same: p.same };
  });
  const verify = FAR_TARGETS.map((far) => {
    const threshold = thresholdForFar(scores.impostor, far);
    return {
      far,
      threshold,
      tar: round(rateAtOrAbove(scores.genuine, threshold)),
      measuredFar: rateAtOrAbove(scores.impostor, threshold),
      pairAccuracy: round(accuracyAt(pairs, threshold)),
    };
  });
  const best = bestAccuracyThreshold(pairs);
  return {
    defaultFar: 1e-4,
    identifyFar: 1e-5,
    verify,
    bestAccuracy: { threshold: best.threshold, accuracy: round(best.accuracy) },
    basis: {
      set: 'DEV: ../shared/faces (LFW View-2 folds 4 and 5)',
      images: dev.images.length,
      imagesWithFace: [...embeddings.values()].filter((e) => e !== null).length,
      genuinePairs: scores.genuine.length,
      impostorPairs: scores.impostor.length,
      labelledPairs: pairs.length,
      featureModelSha256: pinned.files['fr_feature.onnx'],
      method:
        'all-vs-all cosine similarities of the pipeline embeddings; threshold(far) = lowest ' +
        'value (1e-4 steps) with at most floor(far * impostorPairs) impostor pairs at or above ' +
        'it; tar = genuine pairs at or above it; bestAccuracy on the 1,200 labelled pairs',
      caveat:
        `far 1e-5 rests on ${Math.floor(1e-5 * scores.impostor.length)} impostor pairs of ` +
        `${new Set(dev.images.map((i) => i.identity)).size} identities: an estimate, not a ` +
        'guarantee; recalibrate on a larger, independent set before relying on it',
    },
  };
}

function round(x: number): number {
  return Number(x.toFixed(5));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const out = resolve(
    outIndex >= 0 ? (args[outIndex + 1] as string) : join(import.meta.dirname, 'thresholds.json'),
  );
  const dev = loadDevSet();
  const pipeline = await FacePipeline.load();
  process.stderr.write(`embedding ${dev.images.length} DEV images...\n`);
  const embeddings = await embedDevImages(pipeline, dev);
  await pipeline.close();
  const thresholds = calibrate(dev, embeddings);
  writeFileSync(out, `${JSON.stringify(thresholds, null, 2)}\n`);
  process.stderr.write(`wrote ${out}\n`);
  for (const v of thresholds.verify) {
    process.stderr.write(`FAR ${v.far}: threshold ${v.threshold}, TAR ${v.tar}\n`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
