import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppStore } from '../../app/store';
import { bread, cola, line, sale } from '../../test/fixtures';
import { fakeApi } from '../../test/fakeApi';
import {
  addItem,
  initialSaleState,
  lineSelected,
  payTender,
  saleChanged,
  saleSlice,
  selectionMoved,
} from './saleSlice';

const reduce = saleSlice.reducer;

describe('the selected line (what +, -, Del, F6 and F9 act on)', () => {
  const three = sale('s1', [line(cola, 1, 1), line(bread, 2, 1), line(cola, 3, 2)]);

  it('follows the newest line, moves with the arrows and stops at the ends', () => {
    let state = reduce(initialSaleState, saleChanged(three));
    assert.equal(state.selectedLineNo, 3);
    state = reduce(state, selectionMoved(-1));
    state = reduce(state, selectionMoved(-1));
    state = reduce(state, selectionMoved(-1));
    assert.equal(state.selectedLineNo, 1);
    state = reduce(state, selectionMoved(1));
    assert.equal(state.selectedLineNo, 2);
    state = reduce(state, lineSelected(9));
    assert.equal(state.selectedLineNo, 2, 'a line that does not exist is not selected');
  });

  it('falls back to the last line when the selected one is removed, none when empty', () => {
    let state = reduce(initialSaleState, saleChanged(three));
    state = reduce(state, saleChanged(sale('s1', [line(cola, 1, 1), line(bread, 2, 1)])));
    assert.equal(state.selectedLineNo, 2);
    state = reduce(state, saleChanged(sale('s1', [])));
    assert.equal(state.selectedLineNo, null);
  });

  it('a scan selects the line it landed on', async () => {
    const { api } = fakeApi({ 'sale.addItem': () => three });
    const store = createAppStore(api);
    await store.dispatch(addItem({ barcode: bread.barcode }));
    assert.equal(store.getState().sale.selectedLineNo, 2);
  });
});

describe('payTender (split tender)', () => {
  it('sends the method, amount and reference; a part payment keeps the sale open', async () => {
    const open = sale('s1', [line(bread, 1, 1)]);
    const part = { ...open, paidFen: 1000, dueFen: open.totalFen - 1000 };
    const { api, calls } = fakeApi({ 'sale.pay': () => part });
    const store = createAppStore(api);
    store.dispatch(saleChanged(open));
    await store.dispatch(payTender({ method: 'card', amountFen: 1000, reference: '4321' }));
    assert.deepEqual(calls[0]?.payload, {
      saleId: 's1',
      method: 'card',
      amountFen: 1000,
      reference: '4321',
    });
    assert.equal(store.getState().sale.current?.dueFen, open.totalFen - 1000);
    assert.equal(store.getState().sale.paying, false);
  });
});
