/** Product search by name for the cashier: the query, its results and the highlighted one. */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Product } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError, type UiError } from '../../lib/errors';

export interface CatalogState {
  query: string;
  results: Product[];
  /** The query the results belong to. */
  resultsFor: string;
  status: 'idle' | 'loading' | 'done' | 'error';
  error: UiError | null;
  /** Index of the highlighted result (Enter adds it). */
  active: number;
  latestRequestId: string | null;
}

export const initialCatalogState: CatalogState = {
  query: '',
  results: [],
  resultsFor: '',
  status: 'idle',
  error: null,
  active: 0,
  latestRequestId: null,
};

export const SEARCH_LIMIT = 20;

export const searchProducts = createAppAsyncThunk(
  'catalog/search',
  async (query: string, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('catalog.search', { query, limit: SEARCH_LIMIT });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
  { condition: (query) => query.trim() !== '' },
);

/**
 * Enter typed before the search answered: search what is typed now and give its first product,
 * or null if there is none or typing has moved on meanwhile (the answer is then to a query
 * nobody is asking any more).
 */
export const firstResultFor = createAppAsyncThunk(
  'catalog/firstResultFor',
  async (query: string, { dispatch, getState }): Promise<Product | null> => {
    const result = await dispatch(searchProducts(query));
    if (!searchProducts.fulfilled.match(result)) return null;
    if (getState().catalog.query.trim() !== query) return null;
    return result.payload[0] ?? null;
  },
);

export const catalogSlice = createSlice({
  name: 'catalog',
  initialState: initialCatalogState,
  reducers: {
    queryChanged(state, action: PayloadAction<string>) {
      state.query = action.payload;
      if (action.payload.trim() === '') {
        state.results = [];
        state.resultsFor = '';
        state.status = 'idle';
        state.error = null;
        state.active = 0;
        state.latestRequestId = null;
      }
    },
    /** Move the highlight by `delta`, wrapping around. */
    activeMoved(state, action: PayloadAction<number>) {
      const n = state.results.length;
      if (n === 0) return;
      state.active = (((state.active + action.payload) % n) + n) % n;
    },
    activeSet(state, action: PayloadAction<number>) {
      if (action.payload >= 0 && action.payload < state.results.length) {
        state.active = action.payload;
      }
    },
    searchCleared() {
      return initialCatalogState;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(searchProducts.pending, (state, action) => {
        state.latestRequestId = action.meta.requestId;
        state.status = 'loading';
        state.error = null;
      })
      .addCase(searchProducts.fulfilled, (state, action) => {
        // Only the answer to the latest query counts (typing overtakes slow answers).
        if (action.meta.requestId !== state.latestRequestId) return;
        state.results = action.payload;
        state.resultsFor = action.meta.arg;
        state.status = 'done';
        state.active = 0;
      })
      .addCase(searchProducts.rejected, (state, action) => {
        if (action.meta.requestId !== state.latestRequestId) return;
        state.status = 'error';
        state.error = action.payload ?? { kind: 'unknown' };
        state.results = [];
      });
  },
  selectors: {
    selectQuery: (state) => state.query,
    selectResults: (state) => state.results,
    selectSearchStatus: (state) => state.status,
    selectSearchError: (state) => state.error,
    selectActiveIndex: (state) => state.active,
    selectActiveProduct: (state) => state.results[state.active] ?? null,
    /** The results answer what is typed now (not a query typing has since overtaken). */
    selectResultsCurrent: (state) =>
      state.status === 'done' && state.resultsFor === state.query.trim(),
  },
});

export const { queryChanged, activeMoved, activeSet, searchCleared } = catalogSlice.actions;
export const {
  selectQuery,
  selectResults,
  selectSearchStatus,
  selectSearchError,
  selectActiveIndex,
  selectActiveProduct,
  selectResultsCurrent,
} = catalogSlice.selectors;
