import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accuracyAt,
  allVsAll,
  bestAccuracyThreshold,
  rateAtOrAbove,
  rocAuc,
  thresholdForFar,
} from './calibration';

test('ROC AUC: perfect, reversed, tied and a hand-counted case', () => {
  assert.equal(rocAuc([0.9, 0.8], [0.1, 0.2]), 1);
  assert.equal(rocAuc([0.1, 0.2], [0.9, 0.8]), 0);
  assert.equal(rocAuc([0.5], [0.5]), 0.5);
  // genuine 0.6 beats 0.5 and 0.2 but not 0.7; 0.3 beats only 0.2: 3 of 6.
  assert.equal(rocAuc([0.6, 0.3], [0.7, 0.5, 0.2]), 3 / 6);
});

test('threshold for a FAR admits at most floor(far * n) impostors', () => {
  // 1.000, 0.999, ..., 0.001
  const impostors = Float64Array.from({ length: 1000 }, (_, i) => 1 - i / 1000)
    .sort()
    .reverse();
  const t = thresholdForFar(impostors, 0.01); // 10 allowed: just above the 11th highest (0.990)
  assert.equal(t, 0.9901);
  assert.equal(rateAtOrAbove(impostors, t), 0.01); // 1.000 ... 0.991: exactly 10
  assert.ok(rateAtOrAbove(impostors, thresholdForFar(impostors, 0.001)) <= 0.001);
});

test('best-accuracy threshold and accuracy at a threshold', () => {
  const pairs = [
    { similarity: 0.9, same: true },
    { similarity: 0.6, same: true },
    { similarity: 0.4, same: false },
    { similarity: 0.5, same: true },
    { similarity: 0.1, same: false },
  ];
  const best = bestAccuracyThreshold(pairs);
  assert.equal(best.accuracy, 1);
  assert.ok(best.threshold > 0.4 && best.threshold <= 0.5);
  assert.equal(accuracyAt(pairs, 0.55), 4 / 5);
});

test('all-vs-all splits pairs by identity and skips missing faces', () => {
  const v = (x: number): Float32Array => new Float32Array([x, Math.sqrt(1 - x * x)]);
  const sets = allVsAll([
    { identity: 'a', embedding: v(1) },
    { identity: 'a', embedding: v(0.8) },
    { identity: 'b', embedding: v(0) },
    { identity: 'b', embedding: null },
  ]);
  assert.equal(sets.genuine.length, 1);
  assert.equal(sets.impostor.length, 2);
  assert.ok((sets.impostor[0] as number) >= (sets.impostor[1] as number), 'sorted descending');
});
