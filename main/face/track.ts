/**
 * Which face to serve, frame after frame: the customer in front of the terminal is the largest
 * face near the centre; once chosen, the same face is followed (by overlap) so a passer-by in
 * the background never takes over a session halfway through.
 */
import { boxArea, intersectionOverUnion, type Box } from './image';
import type { Detection } from './nms';

export interface TrackedFace extends Detection {
  /** Changes whenever the followed face is lost or replaced: a new person, a new session. */
  trackId: number;
}

/** Overlap with the previous box that still counts as the same face (faces move little at 10+ fps). */
const SAME_FACE_IOU = 0.3;
/** Frames without any detection the track survives (a blink of the detector, not a new person). */
const MAX_MISSED_FRAMES = 2;
/** Another face must be this much more prominent to take the track over. */
const TAKEOVER_RATIO = 2;

/**
 * Prominence of a face: its area, weighted down to half at the frame's corners, so a big face at
 * the edge and a slightly smaller one in the centre compare the way a cashier would judge them.
 */
export function prominence(box: Box, frameWidth: number, frameHeight: number): number {
  const dx = ((box.x1 + box.x2) / 2 - frameWidth / 2) / (frameWidth / 2);
  const dy = ((box.y1 + box.y2) / 2 - frameHeight / 2) / (frameHeight / 2);
  const off = Math.min(1, (dx * dx + dy * dy) / 2);
  return boxArea(box) * (1 - 0.5 * off);
}

export function chooseMainFace(
  detections: readonly Detection[],
  frameWidth: number,
  frameHeight: number,
): Detection | null {
  let best: Detection | null = null;
  let bestScore = -1;
  for (const d of detections) {
    const p = prominence(d.box, frameWidth, frameHeight);
    if (p > bestScore) {
      best = d;
      bestScore = p;
    }
  }
  return best;
}

export class FaceTracker {
  private current: TrackedFace | null = null;
  private missed = 0;
  private nextId = 1;

  /** The face to serve in this frame, or null when there is none. */
  update(
    detections: readonly Detection[],
    frameWidth: number,
    frameHeight: number,
  ): TrackedFace | null {
    const main = chooseMainFace(detections, frameWidth, frameHeight);
    if (main === null) {
      this.missed += 1;
      if (this.missed > MAX_MISSED_FRAMES) this.current = null;
      return null;
    }
    this.missed = 0;
    const previous = this.current;
    if (previous !== null) {
      let follow: Detection | null = null;
      let bestIou = SAME_FACE_IOU;
      for (const d of detections) {
        const iou = intersectionOverUnion(d.box, previous.box);
        if (iou >= bestIou) {
          follow = d;
          bestIou = iou;
        }
      }
      const takeover =
        follow !== null &&
        main !== follow &&
        prominence(main.box, frameWidth, frameHeight) >
          TAKEOVER_RATIO * prominence(follow.box, frameWidth, frameHeight);
      if (follow !== null && !takeover) {
        this.current = { ...follow, trackId: previous.trackId };
        return this.current;
      }
    }
    this.current = { ...main, trackId: this.nextId++ };
    return this.current;
  }

  reset(): void {
    this.current = null;
    this.missed = 0;
  }
}
