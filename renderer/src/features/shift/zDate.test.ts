import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { datesUpTo, defaultZDate } from './zDate';

describe('the Z report date', () => {
  it('lists the days up to today across a month and a year end', () => {
    assert.deepEqual(datesUpTo('2025-01-02', 4), [
      '2024-12-30',
      '2024-12-31',
      '2025-01-01',
      '2025-01-02',
    ]);
    assert.deepEqual(datesUpTo('2024-03-01', 2), ['2024-02-29', '2024-03-01']);
  });

  it('defaults to the oldest unclosed day with trade', async () => {
    const trade = new Set(['2024-05-01', '2024-05-03', '2024-05-05']);
    const closed = new Set(['2024-05-01']);
    const date = await defaultZDate('2024-05-05', closed, async (d) => trade.has(d), 7);
    assert.equal(date, '2024-05-03');
  });

  it('is today when every day with trade is closed, or a question fails', async () => {
    const closed = new Set(['2024-05-03']);
    assert.equal(
      await defaultZDate('2024-05-05', closed, async (d) => d === '2024-05-03', 7),
      '2024-05-05',
    );
    assert.equal(
      await defaultZDate('2024-05-05', new Set(), async () => Promise.reject(new Error('x')), 7),
      '2024-05-05',
    );
  });

  it('does not ask about closed days', async () => {
    const asked: string[] = [];
    await defaultZDate(
      '2024-05-03',
      new Set(['2024-05-02']),
      async (d) => {
        asked.push(d);
        return false;
      },
      3,
    );
    assert.deepEqual(asked, ['2024-05-01', '2024-05-03']);
  });
});
