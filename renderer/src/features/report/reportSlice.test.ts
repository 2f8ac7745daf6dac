import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppStore } from '../../app/store';
import type { DailyReport } from '../../contract';
import { fakeApi } from '../../test/fakeApi';
import { initialManagerState, managerLocked } from '../manager/managerSlice';
import { dateChosen, loadDailyReport } from './reportSlice';

/** The manager's screen once main has accepted the PIN. */
const unlocked = {
  manager: {
    ...initialManagerState,
    manager: { id: 'm1', name: '王店长', role: 'manager' as const },
  },
};

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
  it('loads the report for the chosen date, and drops it when the screen locks', async () => {
    const { api, calls } = fakeApi({
      'report.daily': (p) => report((p as { businessDate: string }).businessDate),
    });
    const store = createAppStore(api, unlocked);
    store.dispatch(dateChosen('2024-05-01'));
    await store.dispatch(loadDailyReport('2024-05-01'));
    assert.deepEqual(calls, [{ channel: 'report.daily', payload: { businessDate: '2024-05-01' } }]);
    assert.equal(store.getState().report.report?.totals.netFen, 2_000);
    assert.equal(store.getState().report.status, 'done');
    store.dispatch(managerLocked());
    assert.equal(store.getState().report.report, null);
  });

  it('is not even asked for while the manager screen is locked', async () => {
    const { api, calls } = fakeApi({
      'report.daily': (p) => report((p as { businessDate: string }).businessDate),
    });
    const store = createAppStore(api);
    store.dispatch(dateChosen('2024-05-01'));
    await store.dispatch(loadDailyReport('2024-05-01'));
    assert.deepEqual(calls, []);
    assert.equal(store.getState().report.report, null);
  });

  it('drops a slow answer for a date no longer chosen', async () => {
    const { api } = fakeApi({
      'report.daily': (p) => report((p as { businessDate: string }).businessDate),
    });
    const store = createAppStore(api, unlocked);
    store.dispatch(dateChosen('2024-05-02'));
    await store.dispatch(loadDailyReport('2024-05-01'));
    assert.equal(store.getState().report.report, null);
  });
});
