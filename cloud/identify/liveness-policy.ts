/**
 * Weighing the terminal's liveness evidence. The terminal computes a live probability for each
 * good frame of its window and sends them all, with the frames' times, inside the signed identify
 * request (the HMAC covers the body, so the evidence is signed with the terminal's key). The cloud
 * does not take the terminal's verdict: it recomputes the mean from the scores, and refuses
 * evidence that is missing, too thin, too weak, or not from just now.
 *
 * Times are compared with the request's own signed timestamp (x-pos-timestamp), not the cloud's
 * clock: both come from the terminal's clock, so an offset between the clocks (allowed up to the
 * signing window) neither ages fresh evidence nor freshens old evidence. The timestamp itself is
 * held to the cloud's clock by the signature check.
 */
import type { LivenessEvidence } from '../api';
import { CloudError } from '../errors';

export interface LivenessPolicy {
  /** Fewest scored frames accepted. */
  minFrames: number;
  /** Lowest mean live probability over the frames. */
  minMeanScore: number;
  /** Lowest live probability of any single frame. */
  minFrameScore: number;
  /** Oldest last frame accepted, measured back from the request's timestamp. */
  maxAgeMs: number;
  /** Longest stretch from the first frame to the last. */
  maxSpanMs: number;
}

/**
 * - minFrames 3: the terminal's window is 5 good frames (main/face SessionConfig.livenessFrames);
 *   3 leaves room to tune it, and refuses a verdict resting on one or two lucky frames.
 * - minMeanScore 0.5: the terminal's own threshold, midway between the spoofs measured (print
 *   0.000, replay 0.06) and live faces (0.72 and up; camera frames 0.84-0.996), main/face README.
 * - minFrameScore 0.2: a live face scores 0.72 and up on every frame; a window that averages over
 *   0.5 only because a few live frames outweigh a spoof frame (a photo slipped in) is refused.
 * - maxAgeMs 90 s: identify follows capture within a second, but after an "ambiguous" answer the
 *   same evidence goes again with the phone tail, which the customer has 60 s to type
 *   (FacePayTiming.phoneTailTimeoutMs), plus two identify round trips of up to 8 s each.
 * - maxSpanMs 30 s: a face session gives up after 15 s (totalTimeoutMs); twice that is slack.
 */
export const DEFAULT_LIVENESS_POLICY: LivenessPolicy = {
  minFrames: 3,
  minMeanScore: 0.5,
  minFrameScore: 0.2,
  maxAgeMs: 90_000,
  maxSpanMs: 30_000,
};

function refuse(message: string): never {
  throw new CloudError('LIVENESS_REQUIRED', message, 'liveness');
}

/** Throws LIVENESS_REQUIRED saying what is wrong; returns the recomputed mean when it passes. */
export function checkLiveness(
  evidence: LivenessEvidence,
  requestTimestampMs: number,
  policy: LivenessPolicy,
): number {
  const { scores, frames, firstFrameAt, lastFrameAt } = evidence;
  if (scores.length !== frames) refuse('the liveness evidence has a score for every frame');
  if (frames < policy.minFrames) {
    refuse(`the liveness check needs at least ${policy.minFrames} frames (got ${frames})`);
  }
  const mean = scores.reduce((sum, s) => sum + s, 0) / scores.length;
  if (Math.abs(mean - evidence.meanScore) > 1e-6) {
    refuse('the liveness mean does not match the frame scores');
  }
  if (firstFrameAt > lastFrameAt) refuse('the liveness frames are out of order');
  if (lastFrameAt > requestTimestampMs) refuse('the liveness frames are dated after the request');
  if (requestTimestampMs - lastFrameAt > policy.maxAgeMs) {
    refuse('the liveness evidence is too old: capture the face again');
  }
  if (lastFrameAt - firstFrameAt > policy.maxSpanMs) {
    refuse('the liveness frames span too long a time');
  }
  if (mean < policy.minMeanScore) refuse('the face was not shown to be live');
  if (Math.min(...scores) < policy.minFrameScore) {
    refuse('a frame of the liveness check was not live');
  }
  return mean;
}
