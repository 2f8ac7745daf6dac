/**
 * The sale's merchant-presented QR (主扫), as main reports it ('qr.state'): showing (with what
 * the QR encodes and when it expires), then paid, expired, cancelled or failed. The till asks
 * for it (showQr) and takes it down (cancelQr); the customer display only listens.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { QrState } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError, type UiError } from '../../lib/errors';

export interface QrSliceState {
  current: QrState | null;
  /** The till's request is on its way (precreate at the acquirer). */
  asking: boolean;
  error: UiError | null;
}

export const initialQrState: QrSliceState = { current: null, asking: false, error: null };

/** Put the sale's QR up: `recorded` means no acquirer (the till records the QR tender itself). */
export const showQr = createAppAsyncThunk(
  'qr/show',
  async (arg: { saleId: string }, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('sale.showQr', { saleId: arg.saleId });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

/** Esc: take the QR down (main cancels the trade, or keeps a payment that just arrived). */
export const cancelQr = createAppAsyncThunk(
  'qr/cancel',
  async (arg: { saleId: string }, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('sale.cancelQr', { saleId: arg.saleId });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const qrSlice = createSlice({
  name: 'qr',
  initialState: initialQrState,
  reducers: {
    qrStateChanged(state, action: PayloadAction<QrState>) {
      state.current = action.payload;
    },
    qrCleared(state) {
      state.current = null;
      state.error = null;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(showQr.pending, (state) => {
        state.asking = true;
        state.error = null;
      })
      .addCase(showQr.fulfilled, (state, action) => {
        state.asking = false;
        if (action.payload.mode === 'dynamic') state.current = action.payload.qr;
      })
      .addCase(showQr.rejected, (state, action) => {
        state.asking = false;
        state.error = action.payload ?? { kind: 'unknown' };
      })
      .addCase(cancelQr.fulfilled, (state, action) => {
        if (action.payload.qr !== null) state.current = action.payload.qr;
      });
  },
  selectors: {
    selectQr: (state) => state,
  },
});

export const { qrStateChanged, qrCleared } = qrSlice.actions;
export const { selectQr } = qrSlice.selectors;
