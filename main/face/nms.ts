/** Non-maximum suppression: of overlapping detections of one face, keep the most confident. */
import { intersectionOverUnion, type Box } from './image';

export interface Detection {
  box: Box;
  /** The detector's face probability, 0-1. */
  score: number;
}

/**
 * Greedy IoU NMS: take the best-scoring detection, drop every other one overlapping it by more
 * than `iouThreshold`, repeat. Returns the kept detections, best first.
 */
export function nonMaxSuppression(
  detections: readonly Detection[],
  iouThreshold: number,
): Detection[] {
  const sorted = [...detections].sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const candidate of sorted) {
    if (kept.every((k) => intersectionOverUnion(k.box, candidate.box) <= iouThreshold)) {
      kept.push(candidate);
    }
  }
  return kept;
}
