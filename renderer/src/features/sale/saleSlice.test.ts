import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransportError } from '../../api/transport';
import { createAppStore } from '../../app/store';
import { PosError } from '../../contract';
import { bread, cola, completed, line, sale } from '../../test/fixtures';
import { fakeApi } from '../../test/fakeApi';
import {
  addItem,
  dismissCompleted,
  initialSaleState,
  payCash,
  removeLine,
  saleChanged,
  saleCompleted,
  saleSlice,
  selectCanPay,
  selectDiscountFen,
  selectItemCount,
  setQty,
} from './saleSlice';

const reduce = saleSlice.reducer;

describe('sale reducer', () => {
  const open = sale('s1', [line(cola, 1, 2)]);

  it('sale.changed replaces the active sale wholesale (the server is the truth)', () => {
    let state = reduce(initialSaleState, saleChanged(open));
    assert.equal(state.current, open);
    assert.equal(state.loaded, true);
    const more = sale('s1', [line(cola, 1, 2), line(bread, 2, 1)]);
    state = reduce(state, saleChanged(more));
    assert.equal(state.current, more);
    state = reduce(state, saleChanged(null));
    assert.equal(state.current, null);
  });

  it('a completed sale leaves the active slot and becomes the receipt / thank-you', () => {
    let state = reduce(initialSaleState, saleChanged(open));
    // The host sends sale.changed(null) then sale.completed.
    state = reduce(state, saleChanged(null));
    const done = completed(open, 1_000);
    state = reduce(state, saleCompleted(done));
    assert.equal(state.current, null);
    assert.equal(state.completed, done);
  });

  it('a completed sale arriving as sale.changed is handled too', () => {
    let state = reduce(initialSaleState, saleChanged(open));
    state = reduce(state, saleChanged(completed(open, 700)));
    assert.equal(state.current, null);
    assert.equal(state.completed?.status, 'completed');
  });

  it('the next sale with items puts the receipt away; an empty one does not', () => {
    let state = reduce(initialSaleState, saleCompleted(completed(open, 700)));
    state = reduce(state, saleChanged(sale('s2', [])));
    assert.notEqual(state.completed, null);
    state = reduce(state, saleChanged(sale('s2', [line(bread, 1, 1)])));
    assert.equal(state.completed, null);
    assert.equal(state.current?.id, 's2');
  });

  it('a held or voided sale leaves the active slot without a receipt', () => {
    for (const status of ['held', 'voided'] as const) {
      let state = reduce(initialSaleState, saleChanged(open));
      state = reduce(state, saleChanged({ ...open, status }));
      assert.equal(state.current, null);
      assert.equal(state.completed, null);
    }
  });

  it('dismissCompleted clears the receipt', () => {
    const state = reduce(
      reduce(initialSaleState, saleCompleted(completed(open, 700))),
      dismissCompleted(),
    );
    assert.equal(state.completed, null);
  });
});

describe('sale selectors', () => {
  it('count items, sum discounts and know when payment is possible', () => {
    const s = sale('s1', [line(cola, 1, 2), line(bread, 2, 1)], {
      lineDiscountFen: 100,
      saleDiscountFen: 50,
    });
    const store = createAppStore(fakeApi({}).api);
    assert.equal(selectCanPay(store.getState()), false);
    store.dispatch(saleChanged(s));
    const state = store.getState();
    assert.equal(selectItemCount(state), 3);
    assert.equal(selectDiscountFen(state), 150);
    assert.equal(selectCanPay(state), true);
    store.dispatch(saleChanged(sale('s1', [])));
    assert.equal(selectCanPay(store.getState()), false);
  });
});

describe('sale thunks', () => {
  it('addItem sends the barcode with qty 1 and applies the returned sale', async () => {
    const after = sale('s1', [line(cola, 1, 1)]);
    const { api, calls } = fakeApi({ 'sale.addItem': () => after });
    const store = createAppStore(api);
    await store.dispatch(addItem({ barcode: cola.barcode }));
    assert.deepEqual(calls, [
      { channel: 'sale.addItem', payload: { barcode: cola.barcode, qty: 1 } },
    ]);
    assert.equal(store.getState().sale.current, after);
    assert.equal(store.getState().sale.lastAddedLineNo, 1);
    assert.equal(store.getState().sale.pending, 0);
  });

  it('addItem of an unknown barcode stores a translatable error with the barcode', async () => {
    const { api } = fakeApi({
      'sale.addItem': () => {
        throw new PosError('UNKNOWN_BARCODE', 'no product with barcode 4006381333931');
      },
    });
    const store = createAppStore(api);
    await store.dispatch(addItem({ barcode: '4006381333931' }));
    assert.deepEqual(store.getState().sale.error, {
      kind: 'pos',
      code: 'UNKNOWN_BARCODE',
      barcode: '4006381333931',
    });
    // The next successful action clears it.
    const ok = fakeApi({ 'sale.addItem': () => sale('s1', [line(cola, 1, 1)]) });
    const store2 = createAppStore(ok.api, { sale: store.getState().sale });
    await store2.dispatch(addItem({ sku: cola.sku }));
    assert.equal(store2.getState().sale.error, null);
  });

  it('setQty and removeLine address the active sale', async () => {
    const open = sale('s9', [line(cola, 1, 1), line(bread, 2, 1)]);
    const { api, calls } = fakeApi({
      'sale.setQty': () => sale('s9', [line(cola, 1, 3), line(bread, 2, 1)]),
      'sale.removeLine': () => sale('s9', [line(cola, 1, 3)]),
    });
    const store = createAppStore(api);
    store.dispatch(saleChanged(open));
    await store.dispatch(setQty({ lineNo: 1, qty: 3 }));
    await store.dispatch(removeLine(2));
    assert.deepEqual(calls, [
      { channel: 'sale.setQty', payload: { saleId: 's9', lineNo: 1, qty: 3 } },
      { channel: 'sale.removeLine', payload: { saleId: 's9', lineNo: 2 } },
    ]);
    assert.equal(store.getState().sale.current?.lines.length, 1);
  });

  it('setQty without an active sale fails locally', async () => {
    const { api, calls } = fakeApi({});
    const store = createAppStore(api);
    await store.dispatch(setQty({ lineNo: 1, qty: 2 }));
    assert.equal(calls.length, 0);
    assert.deepEqual(store.getState().sale.error, { kind: 'pos', code: 'SALE_NOT_OPEN' });
  });

  it('payCash pays the amount due with the tender and shows the completed sale', async () => {
    const open = sale('s1', [line(cola, 1, 2)]);
    const done = completed(open, 1_000);
    const { api, calls } = fakeApi({ 'sale.pay': () => done });
    const store = createAppStore(api);
    store.dispatch(saleChanged(open));
    const result = await store.dispatch(payCash({ tenderedFen: 1_000 }));
    assert.ok(payCash.fulfilled.match(result));
    assert.deepEqual(calls[0], {
      channel: 'sale.pay',
      payload: { saleId: 's1', method: 'cash', amountFen: 700, tenderedFen: 1_000 },
    });
    const state = store.getState().sale;
    assert.equal(state.current, null);
    assert.equal(state.completed, done);
    assert.equal(state.paying, false);
  });

  it('payCash rejected by the server keeps the sale and reports the code', async () => {
    const open = sale('s1', [line(cola, 1, 2)]);
    const { api } = fakeApi({
      'sale.pay': () => {
        throw new PosError('NO_OPEN_SHIFT', 'no shift');
      },
    });
    const store = createAppStore(api);
    store.dispatch(saleChanged(open));
    await store.dispatch(payCash({ tenderedFen: 1_000 }));
    assert.equal(store.getState().sale.current, open);
    assert.deepEqual(store.getState().sale.error, { kind: 'pos', code: 'NO_OPEN_SHIFT' });
  });

  it('payCash whose connection drops asks the server what happened instead of guessing', async () => {
    const open = sale('s1', [line(cola, 1, 2)]);
    const done = completed(open, 700);
    const { api, calls } = fakeApi({
      'sale.pay': () => {
        throw new TransportError('lost', 'connection lost');
      },
      'sale.get': () => done,
    });
    const store = createAppStore(api);
    store.dispatch(saleChanged(open));
    await store.dispatch(payCash({ tenderedFen: 700 }));
    assert.deepEqual(
      calls.map((c) => c.channel),
      ['sale.pay', 'sale.get'],
    );
    assert.equal(store.getState().sale.completed, done);
    assert.equal(store.getState().sale.error, null);
  });

  it('payCash lost and not recorded reports the lost connection (never pays again)', async () => {
    const open = sale('s1', [line(cola, 1, 2)]);
    const { api, calls } = fakeApi({
      'sale.pay': () => {
        throw new TransportError('lost', 'connection lost');
      },
      'sale.get': () => open,
    });
    const store = createAppStore(api);
    store.dispatch(saleChanged(open));
    await store.dispatch(payCash({ tenderedFen: 700 }));
    assert.equal(calls.filter((c) => c.channel === 'sale.pay').length, 1);
    assert.deepEqual(store.getState().sale.error, { kind: 'transport', reason: 'lost' });
  });
});
