/**
 * allocateProportionally decides who gets each odd fen of a discount, so receipts, tax and
 * refunds depend on its exact answer. It was rewritten for speed (a numeric sort of the
 * fractions instead of sorting objects through a comparator); the original, kept here as the
 * specification, must agree with it on every input.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateProportionally } from './money';

/** The original implementation: sort by fraction (largest first), ties to the earlier weight. */
function specification(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let remainder = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, frac: value - Math.floor(value) }))
    .sort((a, b) => b.frac - a.frac || a.index - b.index);
  for (const { index } of order) {
    if (remainder <= 0) break;
    parts[index] = (parts[index] ?? 0) + 1;
    remainder -= 1;
  }
  return parts;
}

const WEIGHT_SETS: number[][] = [
  [1],
  [1, 1],
  [1, 1, 1],
  [333, 333, 334],
  [3000, 2500],
  [0, 5, 0, 5],
  [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  [7, 7, 7, 7, 7, 7, 7],
  [100_000_000, 1, 1],
  [99_999_999, 33, 67, 12_345, 0, 1],
  Array.from({ length: 200 }, (_, i) => ((i * 7919) % 997) + 1),
  Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 300 : 150)),
];

test('the faster allocation gives exactly the original answer', () => {
  let checked = 0;
  for (const weights of WEIGHT_SETS) {
    const sum = weights.reduce((a, b) => a + b, 0);
    const totals = new Set([0, 1, 2, 3, 5, 7, 11, 99, 100, 101, 997, sum - 1, sum, -1, -7]);
    for (let t = 0; t < 60; t++) totals.add(Math.floor((sum * t) / 59));
    for (const total of totals) {
      const parts = allocateProportionally(total, weights);
      assert.deepEqual(
        parts,
        specification(total, weights),
        `total ${total} over ${weights.length} weights`,
      );
      if (sum > 0)
        assert.equal(
          parts.reduce((a, b) => a + b, 0),
          total,
        );
      checked += 1;
    }
  }
  assert.ok(checked > 500);
});

test('ties go to the earlier weight, and nothing is given where there is no weight', () => {
  assert.deepEqual(allocateProportionally(2, [1, 1, 1]), [1, 1, 0]);
  assert.deepEqual(allocateProportionally(1, [0, 3, 3]), [0, 1, 0]);
  assert.deepEqual(allocateProportionally(5, [0, 0]), [0, 0]);
});
