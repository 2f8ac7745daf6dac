/**
 * Alignment: the five points mapped by the least-squares similarity onto the ArcFace 112x112
 * template, then a bilinear warp. fr_feature was trained on faces placed exactly so; a plain
 * box crop loses about 35 points of 1:N accuracy on the DEV set (faces README).
 */
import type { Point } from './image';
import type { Affine, TensorSpec } from './sample';
import { estimateSimilarity, invertSimilarity, similarityAffine, type Similarity } from './umeyama';

export const ALIGNED_SIZE = 112;

/** insightface's standard 5-point template for 112x112 (eyes, nose tip, mouth corners). */
export const ARCFACE_TEMPLATE: readonly Point[] = [
  { x: 38.2946, y: 51.6963 },
  { x: 73.5318, y: 51.5014 },
  { x: 56.0252, y: 71.7366 },
  { x: 41.5493, y: 92.3655 },
  { x: 70.7299, y: 92.2041 },
];

/** fr_feature's input: BGR, (x - 127) / 128; outside the frame is black, as in ArcFace training. */
export const FEATURE_SPEC: TensorSpec = {
  width: ALIGNED_SIZE,
  height: ALIGNED_SIZE,
  order: 'bgr',
  mean: 127,
  scale: 1 / 128,
  border: 0,
};

/** The aligned face as grey 0-255, for the blur and exposure gates. */
export const ALIGNED_GREY_SPEC: TensorSpec = {
  width: ALIGNED_SIZE,
  height: ALIGNED_SIZE,
  order: 'grey',
  mean: 0,
  scale: 1,
  border: 0,
};

/** Frame coordinates to template coordinates. */
export function alignmentTransform(fivePoints: readonly Point[]): Similarity {
  return estimateSimilarity(fivePoints, ARCFACE_TEMPLATE);
}

/** The sampling map of the warp: template pixel to frame pixel. */
export function alignedSampling(frameToTemplate: Similarity): Affine {
  return similarityAffine(invertSimilarity(frameToTemplate));
}
