/**
 * What the customer display shows besides the sale: the idle posters, and the cashier's payment
 * step (waiting for a tender, with the cash handed over so far).
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { DisplayPayment, Poster } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError } from '../../lib/errors';

export interface DisplayState {
  posters: Poster[];
  /** The payment step of the active sale, or null when the cashier is not taking payment. */
  payment: DisplayPayment | null;
}

export const initialDisplayState: DisplayState = { posters: [], payment: null };

export const loadPosters = createAppAsyncThunk(
  'display/posters',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('display.posters', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

/** Cashier side: tell the customer display about the payment step (best effort). */
export const announcePayment = createAppAsyncThunk(
  'display/announce',
  async (payment: DisplayPayment, { extra }) => {
    try {
      await extra.api.invoke('display.payment', payment);
    } catch {
      // The customer display is a courtesy: a lost announcement never blocks the payment.
    }
  },
);

export const displaySlice = createSlice({
  name: 'display',
  initialState: initialDisplayState,
  reducers: {
    paymentAnnounced(state, action: PayloadAction<DisplayPayment>) {
      state.payment = action.payload.stage === 'cancelled' ? null : action.payload;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(loadPosters.fulfilled, (state, action) => {
      state.posters = action.payload;
    });
  },
  selectors: {
    selectPosters: (state) => state.posters,
    selectDisplayPayment: (state) => state.payment,
  },
});

export const { paymentAnnounced } = displaySlice.actions;
export const { selectPosters, selectDisplayPayment } = displaySlice.selectors;
