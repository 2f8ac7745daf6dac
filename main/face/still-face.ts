/**
 * Which face a still photo means. A camera session follows one face over time (track.ts); a
 * photo has no time, so the face is judged on the photo alone, the way a person would: large,
 * near the centre, frontal and sharp. A background face that is small,
 * turned away or out of focus loses; two faces that a person could each take for "the" face
 * (two friends in a selfie) make the photo ambiguous, and enrolment refuses it with that reason.
 */
import { boxArea, type Box } from './image';
import type { QualityGates, QualityMeasures } from './quality';

/**
 * At most this many faces of a photo (the most prominent) are measured: a crowd photo costs
 * four faces' landmarks (about 3 ms each), not fifty.
 */
export const MAX_STILL_CANDIDATES = 4;

/**
 * Another face scoring at least this share of the chosen face's intent makes the photo
 * ambiguous. Half: the two friends of a selfie score within a few per cent of each other; a
 * bystander behind is at most a quarter of the area, or turned, or blurred. On the 1,491 DEV
 * photos (each of one intended person, often with others behind) it refuses none
 * (still-face.test.ts checks a sample; calibrate prints the count).
 */
export const COMPARABLE_RATIO = 0.5;

/**
 * Spread of the centre weighting, in half-widths: a face centred a quarter of the width from
 * the middle (one of two friends in a selfie) keeps 78 %, one at the edge 5 %. People frame the
 * person they photograph; the camera tracker's gentler weighting (track.ts) lets edge faces win
 * too often on photos: with it, 48 of the 1,491 DEV photos came out ambiguous and 1:N lost a
 * probe, because neighbours cut by the photo's edge competed with the subject.
 */
const CENTRE_SPREAD = 0.4;

/** 1 at the photo's centre, falling off as a Gaussian of the distance (see CENTRE_SPREAD). */
export function centrality(box: Box, frameWidth: number, frameHeight: number): number {
  const dx = ((box.x1 + box.x2) / 2 - frameWidth / 2) / (frameWidth / 2);
  const dy = ((box.y1 + box.y2) / 2 - frameHeight / 2) / (frameHeight / 2);
  return Math.exp(-(dx * dx + dy * dy) / (2 * CENTRE_SPREAD * CENTRE_SPREAD));
}

/**
 * How strongly a face looks like the one the photo is of: its area times its centrality times
 * frontality (cosine of yaw and pitch) times sharpness (relative to four times the sharpness
 * gate, as qualityScore does, floored so that a soft photo of one face still has a face).
 */
export function intentScore(
  box: Box,
  quality: Pick<QualityMeasures, 'yaw' | 'pitch' | 'sharpness'>,
  frameWidth: number,
  frameHeight: number,
  gates: Pick<QualityGates, 'minSharpness'>,
): number {
  const frontal = Math.max(
    0.05,
    Math.cos((quality.yaw * Math.PI) / 180) * Math.cos((quality.pitch * Math.PI) / 180),
  );
  const sharp = Math.min(1, Math.max(0.1, quality.sharpness / (4 * gates.minSharpness)));
  return boxArea(box) * centrality(box, frameWidth, frameHeight) * frontal * sharp;
}

export interface Intended<T> {
  chosen: T;
  /** Other faces comparable to the chosen one (intent at least COMPARABLE_RATIO of its). */
  comparable: number;
}

/** The face with the highest intent, and how many others come close to it. */
export function chooseIntended<T extends { intent: number }>(
  faces: readonly T[],
): Intended<T> | null {
  let chosen: T | null = null;
  for (const f of faces) if (chosen === null || f.intent > chosen.intent) chosen = f;
  if (chosen === null) return null;
  const best = chosen.intent;
  const comparable = faces.filter(
    (f) => f !== chosen && f.intent >= COMPARABLE_RATIO * best,
  ).length;
  return { chosen, comparable };
}
