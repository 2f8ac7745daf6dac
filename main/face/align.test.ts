import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ALIGNED_GREY_SPEC,
  ALIGNED_SIZE,
  ARCFACE_TEMPLATE,
  alignedSampling,
  alignmentTransform,
} from './align';
import type { Point, RgbImage } from './image';
import { sampleToTensor } from './sample';
import { applySimilarity } from './umeyama';

/** A dark 300x260 frame with a bright blob at each given point. */
function blobs(points: readonly Point[]): RgbImage {
  const width = 300;
  const height = 260;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (const p of points) v += 255 * Math.exp(-((x - p.x) ** 2 + (y - p.y) ** 2) / 8);
      data.fill(Math.min(255, Math.round(v)), (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { width, height, data };
}

test('the warp puts a rotated, scaled, shifted face onto the template', () => {
  // Five points placed in the frame as a face turned 20 degrees in-plane, twice template size.
  const angle = (20 * Math.PI) / 180;
  const toFrame = { a: 2 * Math.cos(angle), b: 2 * Math.sin(angle), tx: 90, ty: 20 };
  const facePoints = ARCFACE_TEMPLATE.map((p) => applySimilarity(toFrame, p));
  const frame = blobs(facePoints);
  const grey = new Float32Array(ALIGNED_SIZE * ALIGNED_SIZE);
  sampleToTensor(frame, alignedSampling(alignmentTransform(facePoints)), ALIGNED_GREY_SPEC, grey);
  for (const t of ARCFACE_TEMPLATE) {
    // The brightest pixel within 6 px of each template point is within 1 px of it.
    let best = { v: -1, x: 0, y: 0 };
    for (let y = Math.round(t.y) - 6; y <= Math.round(t.y) + 6; y++) {
      for (let x = Math.round(t.x) - 6; x <= Math.round(t.x) + 6; x++) {
        const v = grey[y * ALIGNED_SIZE + x] as number;
        if (v > best.v) best = { v, x, y };
      }
    }
    assert.ok(best.v > 150, `blob visible at (${t.x}, ${t.y})`);
    assert.ok(
      Math.hypot(best.x - t.x, best.y - t.y) <= 1,
      `blob at (${best.x}, ${best.y}) for (${t.x}, ${t.y})`,
    );
  }
  // Away from the points the aligned face is dark: nothing else was pulled in.
  assert.ok((grey[5 * ALIGNED_SIZE + 5] as number) < 5);
});
