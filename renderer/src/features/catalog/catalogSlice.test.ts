import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppStore } from '../../app/store';
import { bread, cola } from '../../test/fixtures';
import { fakeApi } from '../../test/fakeApi';
import {
  activeMoved,
  catalogSlice,
  firstResultFor,
  initialCatalogState,
  queryChanged,
  searchProducts,
  selectActiveProduct,
  selectResultsCurrent,
} from './catalogSlice';

describe('catalog search', () => {
  it('searches with a limit and highlights the first result', async () => {
    const { api, calls } = fakeApi({ 'catalog.search': () => [cola, bread] });
    const store = createAppStore(api);
    store.dispatch(queryChanged('co'));
    await store.dispatch(searchProducts('co'));
    assert.deepEqual(calls, [{ channel: 'catalog.search', payload: { query: 'co', limit: 20 } }]);
    assert.equal(selectActiveProduct(store.getState()), cola);
    store.dispatch(activeMoved(1));
    assert.equal(selectActiveProduct(store.getState()), bread);
    store.dispatch(activeMoved(1));
    assert.equal(selectActiveProduct(store.getState()), cola, 'wraps around');
    store.dispatch(activeMoved(-1));
    assert.equal(selectActiveProduct(store.getState()), bread);
  });

  it('does not search for an empty query', async () => {
    const { api, calls } = fakeApi({});
    const store = createAppStore(api);
    await store.dispatch(searchProducts('   '));
    assert.equal(calls.length, 0);
  });

  it('an answer overtaken by a newer query is dropped', async () => {
    let release: (value: unknown) => void = () => undefined;
    const slow = new Promise((resolve) => {
      release = resolve;
    });
    let first = true;
    const { api } = fakeApi({
      'catalog.search': () => {
        if (first) {
          first = false;
          return slow;
        }
        return [bread];
      },
    });
    const store = createAppStore(api);
    const older = store.dispatch(searchProducts('c'));
    await store.dispatch(searchProducts('br'));
    release([cola]);
    await older;
    assert.deepEqual(store.getState().catalog.results, [bread]);
    assert.equal(store.getState().catalog.resultsFor, 'br');
  });

  it('clearing the query clears the results', () => {
    const state = catalogSlice.reducer(
      { ...initialCatalogState, query: 'co', results: [cola], status: 'done' },
      queryChanged(''),
    );
    assert.deepEqual(state.results, []);
    assert.equal(state.status, 'idle');
  });

  it('results for an overtaken query are not current; Enter then takes the answer to the new one', async () => {
    // "可乐" answered (2L first); " 330" typed and Enter before the debounce searched again.
    const { api } = fakeApi({
      'catalog.search': (payload) =>
        (payload as { query: string }).query === 'co' ? [bread, cola] : [cola],
    });
    const store = createAppStore(api);
    store.dispatch(queryChanged('co'));
    await store.dispatch(searchProducts('co'));
    assert.equal(selectResultsCurrent(store.getState()), true);
    store.dispatch(queryChanged('co 330'));
    assert.equal(selectResultsCurrent(store.getState()), false, 'the list answers "co"');
    const picked = await store.dispatch(firstResultFor('co 330'));
    assert.equal(picked.payload, cola);
    assert.equal(selectResultsCurrent(store.getState()), true);
  });

  it('an Enter overtaken by more typing adds nothing', async () => {
    const { api } = fakeApi({ 'catalog.search': () => [cola] });
    const store = createAppStore(api);
    store.dispatch(queryChanged('co'));
    const pending = store.dispatch(firstResultFor('co'));
    store.dispatch(queryChanged('col'));
    assert.equal((await pending).payload, null);
  });
});
