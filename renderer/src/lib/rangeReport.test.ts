import assert from 'node:assert/strict';
import { test } from 'node:test';
import { changeBp, formatChange, presetRange, weekdayOf } from './rangeReport';

test('quick periods from the business date today (Thursday 2025-03-13)', () => {
  const today = '2025-03-13';
  assert.equal(weekdayOf(today), 3);
  assert.deepEqual(presetRange('today', today), { from: today, to: today });
  assert.deepEqual(presetRange('yesterday', today), { from: '2025-03-12', to: '2025-03-12' });
  assert.deepEqual(presetRange('thisWeek', today), { from: '2025-03-10', to: today });
  assert.deepEqual(presetRange('last7', today), { from: '2025-03-07', to: today });
  assert.deepEqual(presetRange('thisMonth', today), { from: '2025-03-01', to: today });
  // Across a month and a year boundary; a Sunday belongs to the week that began on Monday.
  assert.deepEqual(presetRange('yesterday', '2025-01-01'), {
    from: '2024-12-31',
    to: '2024-12-31',
  });
  assert.deepEqual(presetRange('thisWeek', '2025-03-16'), { from: '2025-03-10', to: '2025-03-16' });
});

test('the change against the comparison, in basis points, and its arrow', () => {
  assert.equal(changeBp(1125, 1000), 1250);
  assert.equal(changeBp(970, 1000), -300);
  assert.equal(changeBp(2, 3), -3333);
  assert.equal(changeBp(500, 0), null);
  assert.equal(changeBp(-500, -1000), 5000);
  assert.equal(formatChange(1250), '▲ 12.5 %');
  assert.equal(formatChange(-300), '▼ 3.0 %');
  assert.equal(formatChange(0), '– 0.0 %');
  assert.equal(formatChange(null), '—');
});
