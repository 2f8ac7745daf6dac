import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DailyReport } from '../../contract';
import { hourSeries, methodMix } from './chartData';

type Totals = DailyReport['totals'];
const totals = (byMethod: Totals['byMethod']): Pick<DailyReport, 'totals'> => ({
  totals: { byMethod } as Totals,
});

describe('chart data', () => {
  it('hours: the trading span with quiet hours kept, refund-only hours draw no bar', () => {
    const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0, netFen: 0 }));
    byHour[9] = { hour: 9, count: 2, netFen: 1250 };
    byHour[11] = { hour: 11, count: 0, netFen: -300 };
    const series = hourSeries({ byHour });
    assert.deepEqual(
      series.map((h) => [h.label, h.netFen, h.barFen]),
      [
        ['09', 1250, 1250],
        ['10', 0, 0],
        ['11', -300, 0],
      ],
    );
    assert.deepEqual(hourSeries({ byHour: [] }), []);
  });

  it('mix: only methods that took money, shares in basis points of their total', () => {
    const mix = methodMix(
      totals([
        { method: 'cash', count: 3, amountFen: 300 },
        { method: 'face', count: 0, amountFen: 0 },
        { method: 'card', count: 1, amountFen: 100 },
        { method: 'qr', count: 1, amountFen: -50 },
      ]),
    );
    assert.deepEqual(mix, [
      { method: 'cash', amountFen: 300, shareBp: 7500 },
      { method: 'card', amountFen: 100, shareBp: 2500 },
    ]);
    assert.deepEqual(methodMix(totals([{ method: 'cash', count: 0, amountFen: 0 }])), []);
  });
});
