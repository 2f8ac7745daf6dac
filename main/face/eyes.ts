/**
 * Eyes open or closed with fr_eye: each eye cropped square about its centre (1.6 times the eye's
 * corner-to-corner width, as the vendor crops it), 24x24 grey, pixel/255, two classes.
 */
import type { Box } from './image';
import type { TensorSpec } from './sample';

export const EYE_SIZE = 24;

export const EYE_SPEC: TensorSpec = {
  width: EYE_SIZE,
  height: EYE_SIZE,
  order: 'grey',
  mean: 0,
  scale: 1 / 255,
  border: 'replicate',
};

/**
 * Which output is "open": class 1. The vendor's code compares the two outputs without saying
 * which is which; on the DEV photos (eyes open in nearly all) class 1 wins for most eyes, and it
 * loses on a photo with both eyes shut (eyes.test.ts).
 *
 * A frame counts as eyes-open when the MORE open eye is open: a blink shuts both, while hair
 * over one eye (the camera clip: one eye scores 0.01-0.35 in most frames), glare on glasses or
 * a smile's squint hides one. On 250 DEV photos, "both must look open" refused 21 % of them,
 * "either" 6 %, mostly squints and true blinks.
 */
export const OPEN_CLASS = 1;

function eyeBox(points68: Float32Array, lid: readonly number[], corners: [number, number]): Box {
  let cx = 0;
  let cy = 0;
  for (const i of lid) {
    cx += points68[i * 2] as number;
    cy += points68[i * 2 + 1] as number;
  }
  cx /= lid.length;
  cy /= lid.length;
  const [a, b] = corners;
  const width = Math.hypot(
    (points68[b * 2] as number) - (points68[a * 2] as number),
    (points68[b * 2 + 1] as number) - (points68[a * 2 + 1] as number),
  );
  const half = Math.max(2, width * 1.6) / 2;
  return { x1: cx - half, y1: cy - half, x2: cx + half, y2: cy + half };
}

/** The two eye crops: the subject's right eye (points 36-41) and left eye (42-47). */
export function eyeCrops(points68: Float32Array): [Box, Box] {
  return [
    eyeBox(points68, [37, 38, 40, 41], [36, 39]),
    eyeBox(points68, [43, 44, 46, 47], [42, 45]),
  ];
}
