import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppStore } from '../../app/store';
import type { DailyReport } from '../../contract';
import { fakeApi } from '../../test/fakeApi';
import { dateChosen, loadDailyReport } from './reportSlice';

function report(businessDate: string): DailyReport {
  return {
    businessDate,
    timezone: 'Asia/Shanghai',
    totals: {
      salesCount: 2,
      grossFen: 2_000,
      discountFen: 0,
      salesFen: 2_000,
      refundsCount: 0,
      refundsFen: 0,
      netFen: 2_000,
      taxFen: 200,
      averageTicketFen: 1_000,
      byMethod: [{ method: 'cash', count: 2, amountFen: 2_000 }],
      facePayShareBp: 0,
    },
    byHour: [{ hour: 9, count: 2, netFen: 2_000 }],
    topItems: [],
    refunds: [],
  };
}

describe('daily report', () => {
  it('loads the report for the chosen date', async () => {
    const { api, calls } = fakeApi({
      'report.daily': (p) => report((p as { businessDate: string }).businessDate),
    });
    const store = createAppStore(api);
    store.dispatch(dateChosen('2024-05-01'));
    await store.dispatch(loadDailyReport('2024-05-01'));
    assert.deepEqual(calls, [{ channel: 'report.daily', payload: { businessDate: '2024-05-01' } }]);
    assert.equal(store.getState().report.report?.totals.netFen, 2_000);
    assert.equal(store.getState().report.status, 'done');
  });

  it('drops a slow answer for a date no longer chosen', async () => {
    const { api } = fakeApi({
      'report.daily': (p) => report((p as { businessDate: string }).businessDate),
    });
    const store = createAppStore(api);
    store.dispatch(dateChosen('2024-05-02'));
    await store.dispatch(loadDailyReport('2024-05-01'));
    assert.equal(store.getState().report.report, null);
  });
});
