/**
 * Face detection with fr_detect (RFB-320). Measured on the DEV set (faces README, rechecked in
 * detect.test.ts): the model's outputs are already decoded, `scores` is softmaxed (column 1 =
 * face) and `boxes` are corners in 0-1 of the 320x240 input, so no prior boxes are needed.
 */
import type { Box, RgbImage } from './image';
import { nonMaxSuppression, type Detection } from './nms';
import type { Affine, TensorSpec } from './sample';

export const DETECT_WIDTH = 320;
export const DETECT_HEIGHT = 240;

/**
 * Face probability a detection needs (RFB-320's usual 0.7). On the data: the best score on any
 * frame of the empty clip is 0.07, the lowest best score on a DEV photo 0.98 (detect.test.ts).
 */
export const MIN_FACE_SCORE = 0.7;
/** Overlap above which two detections are taken to be the same face. */
export const NMS_IOU = 0.4;

export const DETECT_SPEC: TensorSpec = {
  width: DETECT_WIDTH,
  height: DETECT_HEIGHT,
  order: 'rgb',
  mean: 127,
  scale: 1 / 128,
  // The letterbox bars are mid-grey, i.e. 0 after normalisation.
  border: 127,
};

/**
 * Fits the frame into 320x240 keeping its aspect ratio (bars on the short side): a portrait
 * photo squeezed to 4:3 would give the detector faces it never saw in training.
 * `scale` is source pixels per input pixel, offsets are where input (0, 0) lands in the source.
 */
export interface Letterbox {
  scale: number;
  offsetX: number;
  offsetY: number;
}

export function letterboxFor(width: number, height: number): Letterbox {
  const scale = Math.max(width / DETECT_WIDTH, height / DETECT_HEIGHT);
  return {
    scale,
    offsetX: (width - scale * DETECT_WIDTH) / 2,
    offsetY: (height - scale * DETECT_HEIGHT) / 2,
  };
}

/** The sampling map of the letterbox (output pixel centres to source pixel centres). */
export function letterboxAffine(lb: Letterbox): Affine {
  const c = lb.scale * 0.5 - 0.5;
  return { a: lb.scale, b: 0, c: lb.offsetX + c, d: 0, e: lb.scale, f: lb.offsetY + c };
}

/**
 * Turns the model's outputs into detections in frame pixels: keeps faces scoring at least
 * minScore, clips them to the frame, and suppresses duplicates. One pass over 4,420 anchors.
 */
export function decodeDetections(
  scores: Float32Array,
  boxes: Float32Array,
  lb: Letterbox,
  frame: Pick<RgbImage, 'width' | 'height'>,
  minScore = MIN_FACE_SCORE,
): Detection[] {
  const found: Detection[] = [];
  const n = scores.length / 2;
  const sx = lb.scale * DETECT_WIDTH;
  const sy = lb.scale * DETECT_HEIGHT;
  for (let i = 0; i < n; i++) {
    const score = scores[i * 2 + 1] as number;
    if (score < minScore) continue;
    const box: Box = {
      x1: Math.max(0, (boxes[i * 4] as number) * sx + lb.offsetX),
      y1: Math.max(0, (boxes[i * 4 + 1] as number) * sy + lb.offsetY),
      x2: Math.min(frame.width, (boxes[i * 4 + 2] as number) * sx + lb.offsetX),
      y2: Math.min(frame.height, (boxes[i * 4 + 3] as number) * sy + lb.offsetY),
    };
    if (box.x2 - box.x1 < 2 || box.y2 - box.y1 < 2) continue;
    found.push({ box, score });
  }
  return nonMaxSuppression(found, NMS_IOU);
}
