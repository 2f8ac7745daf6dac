import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ARCFACE_TEMPLATE, alignmentTransform } from './align';
import type { Point } from './image';
import { readImageFile } from './image-file';
import { fivePoints, landmarkCrop, landmarksInFrame, recentredCrop } from './landmarks';
import { FacePipeline } from './pipeline';
import { chooseMainFace } from './track';
import { applySimilarity } from './umeyama';
import { FACES, devSetForTests } from './test-faces';

const dev = devSetForTests();
let pipeline: FacePipeline;
before(async () => (pipeline = await FacePipeline.load()));
after(async () => pipeline.close());

test('five points: eyelid means, nose tip 30, mouth corners from outer and inner lips', () => {
  // Point i at (i, 1000 + 2i): every mean is easy to check.
  const pts = Float32Array.from({ length: 136 }, (_, k) => (k % 2 === 0 ? k / 2 : 1000 + k - 1));
  const five = fivePoints(pts);
  assert.deepEqual(
    five.map((p) => p.x),
    [39, 45, 30, 54, 59],
  );
  assert.deepEqual(five[0], { x: 39, y: 1078 });
});

test('model output maps from 0-1 of the crop to frame pixels', () => {
  const crop = { x1: 100, y1: 50, x2: 164, y2: 114 };
  const out = new Float32Array(136).fill(0.5);
  const pts = landmarksInFrame(out, crop);
  assert.equal(pts[0], 131.5);
  assert.equal(pts[1], 81.5);
  const square = landmarkCrop({ x1: 10, y1: 0, x2: 70, y2: 80 });
  assert.deepEqual(square, { x1: 0, y1: 0, x2: 80, y2: 80 });
  const recentred = recentredCrop(
    Float32Array.from({ length: 136 }, (_, k) => (k % 2 === 0 ? 200 + (k % 20) : 300)),
    square,
  );
  assert.equal(recentred.x2 - recentred.x1, 80, 'same size');
  assert.equal((recentred.x1 + recentred.x2) / 2, 209);
});

test(
  'on DEV photos the five points fit the ArcFace template closely',
  { skip: FACES.skip },
  async () => {
    const residuals: number[] = [];
    for (const { file } of dev.images.filter((_, i) => i % 30 === 0)) {
      const img = await readImageFile(join(dev.dir, file));
      const face = chooseMainFace(await pipeline.detect(img), img.width, img.height);
      assert.ok(face, file);
      const five = fivePoints(await pipeline.landmarks(img, face.box));
      const [re, le, nose, rm, lm] = five as [Point, Point, Point, Point, Point];
      assert.ok(re.x < le.x && rm.x < lm.x, `${file}: right/left in image order`);
      assert.ok(
        Math.max(re.y, le.y) < nose.y && nose.y < Math.min(rm.y, lm.y),
        `${file}: eyes, nose, mouth`,
      );
      const t = alignmentTransform(five);
      const mean =
        five.reduce((s, p, i) => {
          const q = applySimilarity(t, p);
          const r = ARCFACE_TEMPLATE[i] as Point;
          return s + Math.hypot(q.x - r.x, q.y - r.y);
        }, 0) / 5;
      residuals.push(mean);
    }
    residuals.sort((a, b) => a - b);
    // Faces differ from the template (pose, expression), but wrong points would be far off.
    assert.ok(
      (residuals[residuals.length >> 1] as number) < 3,
      `median residual ${residuals[residuals.length >> 1]}`,
    );
    assert.ok(
      (residuals[residuals.length - 1] as number) < 8,
      `worst residual ${residuals[residuals.length - 1]}`,
    );
  },
);
