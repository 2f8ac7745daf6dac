import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tradingHours } from './report';

const h = (hour: number, count: number, netFen = count * 100) => ({ hour, count, netFen });

describe('tradingHours', () => {
  it('drops closed hours at either end and keeps quiet hours in between', () => {
    const all = Array.from({ length: 24 }, (_, hour) => h(hour, 0));
    all[9] = h(9, 3);
    all[13] = h(13, 1);
    assert.deepEqual(
      tradingHours(all).map((x) => x.hour),
      [9, 10, 11, 12, 13],
    );
  });

  it('sorts by hour, counts refund-only hours, and is empty without trade', () => {
    assert.deepEqual(
      tradingHours([h(15, 1), h(14, 0, -500), h(2, 0)]).map((x) => x.hour),
      [14, 15],
    );
    assert.deepEqual(tradingHours([h(0, 0), h(1, 0)]), []);
    assert.deepEqual(tradingHours([]), []);
  });
});
