import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage } from './image';
import { rectToAffine, resizeRgb, sampleToTensor, type TensorSpec } from './sample';

/** A 4x3 image whose pixel (x, y) is R = 10x, G = 10y, B = 100. */
function ramp(): RgbImage {
  const width = 4;
  const height = 3;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([10 * x, 10 * y, 100], (y * width + x) * 3);
  }
  return { width, height, data };
}

const raw = (order: TensorSpec['order'], width: number, height: number): TensorSpec => ({
  width,
  height,
  order,
  mean: 0,
  scale: 1,
  border: 'replicate',
});

test('a same-size rect reproduces the image, planes in RGB order', () => {
  const img = ramp();
  const out = new Float32Array(3 * 12);
  sampleToTensor(img, rectToAffine({ x1: 0, y1: 0, x2: 4, y2: 3 }, 4, 3), raw('rgb', 4, 3), out);
  assert.deepEqual(Array.from(out.subarray(0, 4)), [0, 10, 20, 30]); // R plane, first row
  assert.deepEqual(Array.from(out.subarray(12, 16)), [0, 0, 0, 0]); // G plane, first row
  assert.equal(out[12 + 4], 10); // G plane, second row
  assert.ok(out.subarray(24).every((v) => v === 100)); // B plane
});

test('bgr puts blue in the first plane; normalisation is (v - mean) * scale', () => {
  const img = ramp();
  const out = new Float32Array(3 * 12);
  const spec: TensorSpec = { ...raw('bgr', 4, 3), mean: 127, scale: 1 / 128 };
  sampleToTensor(img, rectToAffine({ x1: 0, y1: 0, x2: 4, y2: 3 }, 4, 3), spec, out);
  assert.equal(out[0], (100 - 127) / 128);
  assert.equal(out[24 + 3], (30 - 127) / 128); // R plane last, pixel (3, 0)
});

test('sampling between pixels interpolates bilinearly', () => {
  const img = ramp();
  const out = new Float32Array(3);
  // The output pixel maps to source (1.5, 0.5): R = 15, G = 5.
  sampleToTensor(img, { a: 1, b: 0, c: 1.5, d: 0, e: 1, f: 0.5 }, raw('rgb', 1, 1), out);
  assert.deepEqual(Array.from(out), [15, 5, 100]);
});

test('grey uses the BT.601 weights', () => {
  const img: RgbImage = { width: 1, height: 1, data: new Uint8Array([200, 100, 50]) };
  const out = new Float32Array(1);
  sampleToTensor(img, rectToAffine({ x1: 0, y1: 0, x2: 1, y2: 1 }, 1, 1), raw('grey', 1, 1), out);
  assert.ok(Math.abs((out[0] as number) - (0.299 * 200 + 0.587 * 100 + 0.114 * 50)) < 1e-4);
});

test('outside the frame: constant border fills, replicate repeats the edge', () => {
  const img = ramp();
  const out = new Float32Array(3);
  const far = { a: 1, b: 0, c: -10, d: 0, e: 1, f: -10 };
  sampleToTensor(img, far, { ...raw('rgb', 1, 1), border: 7 }, out);
  assert.deepEqual(Array.from(out), [7, 7, 7]);
  sampleToTensor(img, far, raw('rgb', 1, 1), out);
  assert.deepEqual(Array.from(out), [0, 0, 100]); // pixel (0, 0)
});

test('a tensor too small is refused', () => {
  assert.throws(
    () =>
      sampleToTensor(
        ramp(),
        rectToAffine({ x1: 0, y1: 0, x2: 4, y2: 3 }, 4, 3),
        raw('rgb', 4, 3),
        new Float32Array(5),
      ),
    /tensor too small/,
  );
});

test('resizeRgb halves a frame to interleaved RGB', () => {
  const small = resizeRgb(ramp(), 2, 1);
  assert.equal(small.data.length, 6);
  assert.equal(small.data[2], 100);
  // Output pixel 0 samples source x = 0.5, y = 1: R = 5 (rounded from 5), G = 10.
  assert.deepEqual(Array.from(small.data.subarray(0, 2)), [5, 10]);
});

test('the axis-aligned fast path agrees with the general path', () => {
  let seed = 5;
  const data = Uint8Array.from(
    { length: 40 * 30 * 3 },
    () => (seed = (seed * 48271) % 2147483647) % 256,
  );
  const img: RgbImage = { width: 40, height: 30, data };
  const map = { a: 1.37, b: 0, c: 2.2, d: 0, e: 0.81, f: 3.9 };
  const spec: TensorSpec = {
    width: 20,
    height: 25,
    order: 'bgr',
    mean: 127,
    scale: 1 / 128,
    border: 0,
  };
  const fast = new Float32Array(3 * 500);
  const general = new Float32Array(3 * 500);
  sampleToTensor(img, map, spec, fast);
  sampleToTensor(img, { ...map, b: 1e-12 }, spec, general); // a hair of shear forces the general path
  for (let i = 0; i < fast.length; i++)
    assert.ok(Math.abs((fast[i] as number) - (general[i] as number)) < 1e-4, `value ${i}`);
});
