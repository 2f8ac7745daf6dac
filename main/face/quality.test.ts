import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Point } from './image';
import {
  DEFAULT_GATES,
  estimatePose,
  exposure,
  laplacianVariance,
  refusals,
  type QualityMeasures,
} from './quality';

test('Laplacian variance: zero on flat and linear images, known on a checkerboard', () => {
  const n = 16;
  const flat = new Float32Array(n * n).fill(90);
  assert.equal(laplacianVariance(flat, n, n), 0);
  const ramp = Float32Array.from({ length: n * n }, (_, i) => (i % n) * 3 + Math.floor(i / n) * 2);
  assert.ok(Math.abs(laplacianVariance(ramp, n, n)) < 1e-9);
  // Checkerboard of 0/1: the Laplacian is -4 on ones and +4 on zeros: mean 0, variance 16.
  const board = Float32Array.from({ length: n * n }, (_, i) => ((i % n) + Math.floor(i / n)) % 2);
  assert.ok(Math.abs(laplacianVariance(board, n, n) - 16) < 1e-9);
});

test('blurring lowers the Laplacian variance', () => {
  const n = 32;
  let seed = 7;
  const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 255;
  const sharp = Float32Array.from({ length: n * n }, random);
  const blurred = new Float32Array(n * n);
  for (let y = 1; y < n - 1; y++) {
    for (let x = 1; x < n - 1; x++) {
      let s = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) s += sharp[(y + dy) * n + x + dx] as number;
      blurred[y * n + x] = s / 9;
    }
  }
  assert.ok(laplacianVariance(blurred, n, n) < laplacianVariance(sharp, n, n) / 5);
});

test('exposure reads the face centre only', () => {
  const grey = new Float32Array(112 * 112).fill(255); // white background
  for (let y = 32; y < 104; y++) for (let x = 24; x < 88; x++) grey[y * 112 + x] = 100;
  assert.deepEqual(exposure(grey), { brightness: 100, clipped: 0 });
});

/** The five points of the average head the pose model assumes, seen after turning it. */
function project(yawDeg: number, pitchDeg: number, rollDeg: number): Point[] {
  const iod = 60;
  const mouth = 66; // eye-to-mouth distance
  // x right, y down, z towards the camera; eyes at z 0.
  const head = [
    [-iod / 2, 0, 0],
    [iod / 2, 0, 0],
    [0, 0.495 * mouth, 0.44 * mouth],
    [-22, mouth, 0.15 * mouth],
    [22, mouth, 0.15 * mouth],
  ] as const;
  const [y, p, r] = [yawDeg, pitchDeg, rollDeg].map((d) => (d * Math.PI) / 180) as [
    number,
    number,
    number,
  ];
  return head.map(([x0, y0, z0]) => {
    // yaw about the vertical axis (positive: turns to the image's right), then pitch (chin down).
    const x1 = x0 * Math.cos(y) + z0 * Math.sin(y);
    const z1 = -x0 * Math.sin(y) + z0 * Math.cos(y);
    const y2 = y0 * Math.cos(p) + z1 * Math.sin(p);
    const x3 = x1 * Math.cos(r) - y2 * Math.sin(r);
    const y3 = x1 * Math.sin(r) + y2 * Math.cos(r);
    return { x: 200 + x3, y: 150 + y3 };
  });
}

test('pose from five points: frontal is zero, and turns are read back', () => {
  const frontal = estimatePose(project(0, 0, 0));
  for (const v of Object.values(frontal)) assert.ok(Math.abs(v) < 1, JSON.stringify(frontal));
  assert.ok(Math.abs(estimatePose(project(0, 0, 15)).roll - 15) < 0.5);
  const yawed = estimatePose(project(25, 0, 0));
  assert.ok(Math.abs(yawed.yaw - 25) < 3, JSON.stringify(yawed));
  const pitched = estimatePose(project(0, 20, 0));
  assert.ok(Math.abs(pitched.pitch - 20) < 4, JSON.stringify(pitched));
  assert.ok(estimatePose(project(0, -20, 0)).pitch < -15);
});

test('each failing gate names its reason', () => {
  const good: QualityMeasures = {
    interocularPx: 60,
    yaw: 0,
    pitch: 0,
    roll: 0,
    sharpness: 100,
    brightness: 120,
    clipped: 0,
    eyesOpen: 0.99,
  };
  assert.deepEqual(refusals(good), []);
  assert.deepEqual(refusals({ ...good, interocularPx: 10 }), ['FACE_TOO_SMALL']);
  assert.deepEqual(refusals({ ...good, yaw: 45 }), ['FACE_TURNED']);
  assert.deepEqual(refusals({ ...good, roll: -40 }), ['FACE_TILTED']);
  assert.deepEqual(refusals({ ...good, sharpness: 2 }), ['BLURRY']);
  assert.deepEqual(refusals({ ...good, brightness: 20 }), ['TOO_DARK']);
  assert.deepEqual(refusals({ ...good, brightness: 240 }), ['TOO_BRIGHT']);
  assert.deepEqual(refusals({ ...good, eyesOpen: 0.1 }), ['EYES_CLOSED']);
  assert.equal(DEFAULT_GATES.minEyesOpen, 0.5);
});
