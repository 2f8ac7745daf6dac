import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffCeiling, backoffDelay, DEFAULT_BACKOFF } from './backoff';

test('the backoff ceiling doubles from the base and stops at the cap', () => {
  const policy = { baseMs: 1_000, capMs: 300_000 };
  assert.equal(backoffCeiling(0, policy), 0);
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => backoffCeiling(n, policy)),
    [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000],
  );
  // Hours of outage: thousands of failures in a row stay at the cap (no overflow, no NaN).
  for (const n of [11, 100, 1_000, 1e6]) assert.equal(backoffCeiling(n, policy), 300_000);
  assert.deepEqual(DEFAULT_BACKOFF, { baseMs: 1_000, capMs: 300_000 });
});

test('full jitter: a delay anywhere from 0 to the ceiling, never more', () => {
  const policy = { baseMs: 100, capMs: 1_000 };
  assert.equal(
    backoffDelay(3, policy, () => 0),
    0,
  );
  assert.equal(
    backoffDelay(3, policy, () => 0.5),
    200,
  );
  assert.equal(
    backoffDelay(3, policy, () => 0.999_999),
    399,
  );
  assert.equal(
    backoffDelay(50, policy, () => 0.999_999),
    999,
  );
  assert.equal(
    backoffDelay(0, policy, () => 0.7),
    0,
  );

  // Over many draws the delays spread over the whole interval (mean near half the ceiling).
  let seed = 42;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const delays = Array.from({ length: 5_000 }, () => backoffDelay(10, policy, random));
  assert.ok(delays.every((d) => d >= 0 && d <= 1_000));
  const mean = delays.reduce((a, d) => a + d, 0) / delays.length;
  assert.ok(mean > 450 && mean < 550, `mean ${mean}`);
  assert.ok(Math.min(...delays) < 50 && Math.max(...delays) > 950);
});
