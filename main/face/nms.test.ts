import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intersectionOverUnion } from './image';
import { nonMaxSuppression } from './nms';

test('IoU of identical, disjoint and half-overlapping boxes', () => {
  const a = { x1: 0, y1: 0, x2: 10, y2: 10 };
  assert.equal(intersectionOverUnion(a, a), 1);
  assert.equal(intersectionOverUnion(a, { x1: 20, y1: 0, x2: 30, y2: 10 }), 0);
  assert.equal(intersectionOverUnion(a, { x1: 5, y1: 0, x2: 15, y2: 10 }), 50 / 150);
});

test('NMS keeps the best of overlapping boxes and every separate face', () => {
  const kept = nonMaxSuppression(
    [
      { box: { x1: 0, y1: 0, x2: 10, y2: 10 }, score: 0.8 },
      { box: { x1: 1, y1: 1, x2: 11, y2: 11 }, score: 0.95 },
      { box: { x1: 2, y1: 0, x2: 12, y2: 10 }, score: 0.9 },
      { box: { x1: 50, y1: 50, x2: 60, y2: 60 }, score: 0.75 },
    ],
    0.4,
  );
  assert.deepEqual(
    kept.map((d) => d.score),
    [0.95, 0.75],
  );
});

test('NMS keeps overlaps at or below the threshold', () => {
  const kept = nonMaxSuppression(
    [
      { box: { x1: 0, y1: 0, x2: 10, y2: 10 }, score: 0.9 },
      { box: { x1: 6, y1: 0, x2: 16, y2: 10 }, score: 0.8 }, // IoU 40/160 = 0.25
    ],
    0.4,
  );
  assert.equal(kept.length, 2);
});
