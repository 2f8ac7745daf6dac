/**
 * Passive liveness with fr_liveness: the face with a lot of its surroundings (a printed photo's
 * edge, a screen's bezel and moire are what give it away), 128x128, BGR, raw 0-255 values.
 * Three classes; class 0 is live (faces README, rechecked in liveness.test.ts: fed RGB, the
 * model calls everything class 1).
 */
import { squareAbout, type Box } from './image';
import type { TensorSpec } from './sample';

export const LIVENESS_SIZE = 128;
/** How much of the surroundings: the square face box scaled about its centre (vendor: 2.7). */
export const LIVENESS_CROP_SCALE = 2.7;

export const LIVENESS_SPEC: TensorSpec = {
  width: LIVENESS_SIZE,
  height: LIVENESS_SIZE,
  order: 'bgr',
  mean: 0,
  scale: 1,
  border: 'replicate',
};

/**
 * The crop: the square box (side = box height) scaled by `scale`, but never larger than the
 * frame, and shifted back inside the frame when it sticks out (as the vendor's crop does, so
 * the model sees real surroundings rather than padding).
 */
export function livenessCrop(
  box: Box,
  frameWidth: number,
  frameHeight: number,
  scale = LIVENESS_CROP_SCALE,
): Box {
  const side0 = box.y2 - box.y1;
  const side = Math.min(side0 * scale, frameWidth, frameHeight);
  const sq = squareAbout(box, side);
  const dx = sq.x1 < 0 ? -sq.x1 : sq.x2 > frameWidth ? frameWidth - sq.x2 : 0;
  const dy = sq.y1 < 0 ? -sq.y1 : sq.y2 > frameHeight ? frameHeight - sq.y2 : 0;
  return { x1: sq.x1 + dx, y1: sq.y1 + dy, x2: sq.x2 + dx, y2: sq.y2 + dy };
}

export function softmax(logits: Float32Array): Float32Array {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const out = new Float32Array(logits.length);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) {
    out[i] = Math.exp((logits[i] as number) - max);
    sum += out[i] as number;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}
