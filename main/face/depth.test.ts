import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN_RELIEF_MM, depthRelief } from './depth';
import type { DepthMap } from './frame';

const box = { x1: 200, y1: 120, x2: 440, y2: 360 }; // a 240-pixel face in a 640x480 frame

/** A depth map at half the colour resolution, from a function of colour-frame pixels. */
function depthOf(mm: (x: number, y: number) => number): DepthMap {
  const width = 320;
  const height = 240;
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data[y * width + x] = Math.round(mm(x * 2, y * 2));
  return { width, height, data };
}

let seed = 3;
const noise = (mm: number): number =>
  ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 2 * mm;

/**
 * A face-like surface 500 mm away: an ellipsoid cheek-to-cheek (about 25 mm deep over the
 * region measured) plus a nose 20 mm proud, with 1.5 mm of sensor noise.
 */
function face(x: number, y: number): number {
  const u = (x - 320) / 120;
  const v = (y - 240) / 150;
  const dome = 35 * Math.sqrt(Math.max(0, 1 - u * u - v * v));
  const nose = 20 * Math.exp(-((x - 320) ** 2 + (y - 250) ** 2) / (2 * 18 ** 2));
  return 500 - dome - nose + noise(1.5);
}

test('a flat photo, even tilted, has no relief; a face does', () => {
  const flat = depthRelief(
    depthOf((x, y) => 480 + 0.2 * x - 0.1 * y + noise(1.5)),
    box,
    640,
    480,
  );
  assert.ok(flat.reliefMm < 1.5, `flat: ${flat.reliefMm}`);
  assert.ok(flat.samples > 1000);
  const real = depthRelief(depthOf(face), box, 640, 480);
  assert.ok(real.reliefMm > MIN_RELIEF_MM * 1.5, `face: ${real.reliefMm}`);
  assert.ok(real.reliefMm < 10, 'the synthetic face is not exaggerated');
  assert.ok(flat.reliefMm < MIN_RELIEF_MM / 2);
});

test('missing readings (0) are ignored, too few give no verdict', () => {
  const holes = depthRelief(
    depthOf((x, y) => ((x + y) % 4 === 0 ? 0 : 600)),
    box,
    640,
    480,
  );
  assert.ok(holes.reliefMm < 1e-6);
  const empty = depthRelief(
    depthOf(() => 0),
    box,
    640,
    480,
  );
  assert.deepEqual(empty, { reliefMm: 0, samples: 0 });
});
