import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppStore } from '../../app/store';
import { cola, line, sale } from '../../test/fixtures';
import { fakeApi } from '../../test/fakeApi';
import { saleChanged } from '../sale/saleSlice';
import { holdSale, loadHeld, recallSale } from './heldSlice';

const summary = {
  id: 's1',
  receiptNo: null,
  status: 'held' as const,
  openedAt: '2024-05-01T02:00:00.000Z',
  heldAt: '2024-05-01T02:03:00.000Z',
  lineCount: 1,
  itemCount: 1,
  firstItems: [{ nameZh: cola.nameZh, nameEn: cola.nameEn, qty: 1 }],
  totalFen: 350,
};

describe('held sales', () => {
  it('holding the active sale lists it; recalling takes it off the list', async () => {
    const { api, calls } = fakeApi({
      'sale.hold': () => summary,
      'sale.listHeld': () => [summary],
      'sale.recall': () => sale('s1', [line(cola, 1, 1)]),
    });
    const store = createAppStore(api);
    store.dispatch(saleChanged(sale('s1', [line(cola, 1, 1)])));
    await store.dispatch(holdSale());
    assert.deepEqual(calls[0], { channel: 'sale.hold', payload: { saleId: 's1' } });
    assert.deepEqual(store.getState().held.sales, [summary]);
    await store.dispatch(loadHeld());
    await store.dispatch(recallSale('s1'));
    assert.deepEqual(store.getState().held.sales, []);
  });

  it('an empty cart is not held (SALE_EMPTY, no request)', async () => {
    const { api, calls } = fakeApi({});
    const store = createAppStore(api);
    const result = await store.dispatch(holdSale());
    assert.equal(calls.length, 0);
    assert.deepEqual(result.payload, { kind: 'pos', code: 'SALE_EMPTY' });
  });
});
