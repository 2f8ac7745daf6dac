/** Held sales waiting to be recalled (the recall list). */
import { createSlice } from '@reduxjs/toolkit';
import type { SaleSummary } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError, type UiError } from '../../lib/errors';

export interface HeldState {
  sales: SaleSummary[];
  status: 'idle' | 'loading' | 'done' | 'error';
  error: UiError | null;
}

export const initialHeldState: HeldState = { sales: [], status: 'idle', error: null };

export const loadHeld = createAppAsyncThunk(
  'held/load',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('sale.listHeld', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const holdSale = createAppAsyncThunk(
  'held/hold',
  async (_: void, { extra, getState, rejectWithValue }) => {
    const sale = getState().sale.current;
    if (sale === null || sale.lines.length === 0)
      return rejectWithValue({ kind: 'pos', code: 'SALE_EMPTY' });
    try {
      return await extra.api.invoke('sale.hold', { saleId: sale.id });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const recallSale = createAppAsyncThunk(
  'held/recall',
  async (saleId: string, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('sale.recall', { saleId });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const heldSlice = createSlice({
  name: 'held',
  initialState: initialHeldState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(loadHeld.pending, (state) => {
        state.status = 'loading';
        state.error = null;
      })
      .addCase(loadHeld.fulfilled, (state, action) => {
        state.status = 'done';
        state.sales = action.payload;
      })
      .addCase(loadHeld.rejected, (state, action) => {
        state.status = 'error';
        state.error = action.payload ?? { kind: 'unknown' };
      })
      .addCase(holdSale.fulfilled, (state, action) => {
        state.sales = [...state.sales.filter((s) => s.id !== action.payload.id), action.payload];
      })
      .addCase(recallSale.fulfilled, (state, action) => {
        state.sales = state.sales.filter((s) => s.id !== action.payload.id);
      })
      .addCase(recallSale.rejected, (state, action) => {
        state.error = action.payload ?? { kind: 'unknown' };
      });
  },
  selectors: {
    selectHeld: (state) => state.sales,
    selectHeldStatus: (state) => state.status,
    selectHeldError: (state) => state.error,
  },
});

export const { selectHeld, selectHeldStatus, selectHeldError } = heldSlice.selectors;
