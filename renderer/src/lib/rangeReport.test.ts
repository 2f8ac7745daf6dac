import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RangeReport } from '../contract';
import {
  changeBp,
  formatChange,
  presetRange,
  rangeCsv,
  weekdayOf,
  type RangeCsvLabels,
} from './rangeReport';

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

test('the CSV: periods with their totals, tables in yuan, the heat map by weekday', () => {
  const f = { salesCount: 2, grossFen: 1250, discountFen: 50, refundsCount: 1, refundsFen: 200 };
  const report: RangeReport = {
    from: '2025-03-10',
    to: '2025-03-10',
    days: 1,
    timezone: 'Asia/Shanghai',
    totals: { ...f, netFen: 1000, averageTicketFen: 500 },
    byDay: [{ date: '2025-03-10', ...f, netFen: 1000 }],
    byCashier: [{ staffId: null, name: '', ...f, netFen: 1000 }],
    byTill: [{ kind: 'terminal', tillId: 'T01', name: 'T01', ...f, netFen: 1000 }],
    byCategory: [{ category: '饮料, 冷', qty: 3, salesFen: 1200, refundsFen: 200, netFen: 1000 }],
    heat: Array.from({ length: 7 }, (_, d) =>
      Array.from({ length: 24 }, (_, h) => ({ count: d === 0 && h === 9 ? 2 : 0, netFen: 0 })),
    ),
    previous: {
      from: '2025-03-09',
      to: '2025-03-09',
      totals: { ...f, netFen: 1000, averageTicketFen: 500 },
    },
    sameDayLastWeek: {
      from: '2025-03-03',
      to: '2025-03-03',
      totals: { ...f, netFen: 1000, averageTicketFen: 500 },
    },
  };
  const labels = Object.fromEntries(
    [
      'title',
      'previous',
      'sameDayLastWeek',
      'figure',
      'salesCount',
      'gross',
      'discounts',
      'refunds',
      'net',
      'averageTicket',
      'byDay',
      'date',
      'byCashier',
      'cashier',
      'unknownCashier',
      'byTill',
      'till',
      'byCategory',
      'category',
      'qty',
      'sales',
      'heat',
    ].map((k) => [k, k]),
  ) as unknown as RangeCsvLabels;
  const lines = rangeCsv(report, { ...labels, weekday: (d) => `W${d}` }).split('\r\n');
  assert.equal(lines[0], '\uFEFFtitle,2025-03-10,2025-03-10,Asia/Shanghai');
  assert.ok(lines.includes('title,2025-03-10,2025-03-10,2,12.50,0.50,2.00,10.00,5.00'));
  assert.ok(lines.includes('previous,2025-03-09,2025-03-09,2,12.50,0.50,2.00,10.00,5.00'));
  assert.ok(lines.includes('sameDayLastWeek,2025-03-03,2025-03-03,2,12.50,0.50,2.00,10.00,5.00'));
  assert.ok(lines.includes('unknownCashier,2,12.50,0.50,2.00,10.00'));
  assert.ok(lines.includes('"饮料, 冷",3,12.00,2.00,10.00'));
  assert.ok(
    lines.includes(`W0,${Array.from({ length: 24 }, (_, h) => (h === 9 ? 2 : 0)).join(',')}`),
  );
});
