/**
 * The measures thresholds are chosen and checked with: all-vs-all genuine/impostor scores, the
 * threshold that holds a false-accept rate, TAR at it, ROC AUC and best-threshold accuracy.
 * Pure functions over embeddings; calibrate.ts and accuracy.test.ts feed them the DEV set.
 */
import { cosineSimilarity } from './embedding';

export interface ScoreSets {
  /** Similarities of every pair of images of the same identity. */
  genuine: Float64Array;
  /** Similarities of every pair of images of different identities, sorted descending. */
  impostor: Float64Array;
}

/** Every pair of the given embeddings, split by identity (images without a face left out). */
export function allVsAll(
  items: readonly { identity: string; embedding: Float32Array | null }[],
): ScoreSets {
  const valid = items.filter(
    (i): i is { identity: string; embedding: Float32Array } => i.embedding !== null,
  );
  const genuine: number[] = [];
  const n = valid.length;
  const impostor = new Float64Array((n * (n - 1)) / 2);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = valid[i] as { identity: string; embedding: Float32Array };
    for (let j = i + 1; j < n; j++) {
      const b = valid[j] as { identity: string; embedding: Float32Array };
      const s = cosineSimilarity(a.embedding, b.embedding);
      if (a.identity === b.identity) genuine.push(s);
      else impostor[m++] = s;
    }
  }
  const imp = impostor.subarray(0, m).sort().reverse();
  return { genuine: Float64Array.from(genuine), impostor: imp };
}

/**
 * The lowest threshold (rounded up to 1e-4) at which at most `far` of the impostor scores reach
 * it: with impostors sorted descending and m = floor(far * count) false accepts allowed, any
 * threshold above the (m+1)-th highest impostor score admits at most m of them.
 */
export function thresholdForFar(impostorDescending: Float64Array, far: number): number {
  const allowed = Math.floor(far * impostorDescending.length);
  const boundary = impostorDescending[Math.min(allowed, impostorDescending.length - 1)] as number;
  let t = Math.ceil(boundary * 1e4) / 1e4;
  if (t <= boundary) t += 1e-4;
  return Number(t.toFixed(4));
}

/** Share of `scores` at or above the threshold (a match is similarity >= threshold). */
export function rateAtOrAbove(scores: Float64Array, threshold: number): number {
  let n = 0;
  for (const s of scores) if (s >= threshold) n += 1;
  return scores.length === 0 ? 0 : n / scores.length;
}

/** Area under the ROC curve: the chance a random genuine pair outscores a random impostor one. */
export function rocAuc(genuine: readonly number[], impostor: readonly number[]): number {
  const all = [
    ...genuine.map((s) => ({ s, g: true })),
    ...impostor.map((s) => ({ s, g: false })),
  ].sort((a, b) => a.s - b.s);
  // Mann-Whitney U with average ranks for ties.
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && (all[j] as { s: number }).s === (all[i] as { s: number }).s) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if ((all[k] as { g: boolean }).g) rankSum += avgRank;
    i = j;
  }
  const ng = genuine.length;
  const ni = impostor.length;
  return (rankSum - (ng * (ng + 1)) / 2) / (ng * ni);
}

/** Share of labelled pairs a threshold gets right. */
export function accuracyAt(
  pairs: readonly { similarity: number; same: boolean }[],
  threshold: number,
): number {
  let right = 0;
  for (const p of pairs) if (p.similarity >= threshold === p.same) right += 1;
  return pairs.length === 0 ? 0 : right / pairs.length;
}

/** The threshold with the best accuracy on labelled pairs (midpoint between adjacent scores). */
export function bestAccuracyThreshold(pairs: readonly { similarity: number; same: boolean }[]): {
  threshold: number;
  accuracy: number;
} {
  const sorted = [...pairs].sort((a, b) => a.similarity - b.similarity);
  // Threshold below everything: all called "same".
  let right = sorted.filter((p) => p.same).length;
  let best = { threshold: (sorted[0]?.similarity ?? 0) - 1e-6, accuracy: right / sorted.length };
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i] as { similarity: number; same: boolean };
    right += p.same ? -1 : 1; // p now falls below the threshold
    const next = sorted[i + 1]?.similarity ?? p.similarity + 1e-3;
    if (right / sorted.length > best.accuracy) {
      best = { threshold: (p.similarity + next) / 2, accuracy: right / sorted.length };
    }
  }
  return { threshold: Number(best.threshold.toFixed(4)), accuracy: best.accuracy };
}
