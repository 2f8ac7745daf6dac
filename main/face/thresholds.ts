/**
 * Match thresholds, calibrated on the DEV set by calibrate.ts and committed as thresholds.json.
 * A match is cosine similarity >= threshold. Each threshold is named by the false-accept rate it
 * was chosen to hold on 1:1 comparisons of different people.
 */
import { cosineSimilarity } from './embedding';
import calibrated from './thresholds.json' with { type: 'json' };

export interface FarThreshold {
  /** The false-accept rate the threshold targets (share of impostor pairs accepted). */
  far: number;
  threshold: number;
  /** Share of genuine DEV pairs accepted at it. */
  tar: number;
  /** Share of impostor DEV pairs accepted at it (at most far). */
  measuredFar: number;
  /** Accuracy on the 1,200 labelled DEV pairs at it. */
  pairAccuracy: number;
}

export interface Thresholds {
  /** The target `compare`/verify uses unless told otherwise. */
  defaultFar: number;
  /** The 1:1 target identification uses: with N enrolled people a stranger's chance of matching
   * someone is about N times it. */
  identifyFar: number;
  verify: FarThreshold[];
  bestAccuracy: { threshold: number; accuracy: number };
  basis: Record<string, unknown>;
}

export const THRESHOLDS: Thresholds = calibrated;

export function thresholdFor(far: number = THRESHOLDS.defaultFar): FarThreshold {
  const found = THRESHOLDS.verify.find((v) => v.far === far);
  if (found === undefined) {
    const known = THRESHOLDS.verify.map((v) => v.far).join(', ');
    throw new RangeError(`no threshold calibrated for FAR ${far} (calibrated: ${known})`);
  }
  return found;
}

export interface Verification {
  similarity: number;
  match: boolean;
  threshold: number;
  far: number;
}

/** 1:1 verification of two embeddings at a calibrated false-accept target. */
export function verify(
  a: Float32Array,
  b: Float32Array,
  far: number = THRESHOLDS.defaultFar,
): Verification {
  const { threshold } = thresholdFor(far);
  const similarity = cosineSimilarity(a, b);
  return { similarity, match: similarity >= threshold, threshold, far };
}
