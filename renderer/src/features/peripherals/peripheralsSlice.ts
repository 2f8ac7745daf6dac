/** The receipt printer (and the drawer on it), as the status bar and the receipt dialogs show it. */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { PeripheralsStatus } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError } from '../../lib/errors';

export interface PeripheralsState {
  status: PeripheralsStatus | null;
}

const initialState: PeripheralsState = { status: null };

export const loadPeripherals = createAppAsyncThunk(
  'peripherals/load',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('peripherals.status', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const peripheralsSlice = createSlice({
  name: 'peripherals',
  initialState,
  reducers: {
    peripheralsChanged(state, action: PayloadAction<PeripheralsStatus>) {
      state.status = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(loadPeripherals.fulfilled, (state, action) => {
      state.status = action.payload;
    });
  },
  selectors: {
    selectPeripherals: (state) => state.status,
    /** A receipt printer is attached (so receipts go to it rather than the browser's print). */
    selectPrinterAttached: (state) =>
      state.status !== null && state.status.printer.state !== 'absent',
  },
});

export const { peripheralsChanged } = peripheralsSlice.actions;
export const { selectPeripherals, selectPrinterAttached } = peripheralsSlice.selectors;
