/**
 * The register's pole display (客显) this terminal reads (--pole-display): what the register
 * shows and the total it offers the till. The till confirms or dismisses the offer; the customer
 * display shows the register's amount. Confirming names the amount the cashier saw, so a
 * register that moved on meanwhile is refused by the core, never charged at the new figure.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { PoleDisplayStatus } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError, type UiError } from '../../lib/errors';

export interface PoleState {
  status: PoleDisplayStatus | null;
  /** Why the last confirm or dismiss was refused, until the offer changes. */
  error: UiError | null;
  busy: boolean;
}

const initialState: PoleState = { status: null, error: null, busy: false };

export const loadPole = createAppAsyncThunk(
  'pole/load',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('pole.status', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

/** The cashier takes the register's total: the core opens a sale of that amount. */
export const confirmPole = createAppAsyncThunk(
  'pole/confirm',
  async (amountFen: number, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('pole.confirm', { amountFen });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const dismissPole = createAppAsyncThunk(
  'pole/dismiss',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('pole.dismiss', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

function statusChanged(state: PoleState, status: PoleDisplayStatus): void {
  if (state.status?.payableFen !== status.payableFen) state.error = null;
  state.status = status;
}

export const poleSlice = createSlice({
  name: 'pole',
  initialState,
  reducers: {
    poleChanged(state, action: PayloadAction<PoleDisplayStatus>) {
      statusChanged(state, action.payload);
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(loadPole.fulfilled, (state, action) => statusChanged(state, action.payload))
      .addCase(dismissPole.fulfilled, (state, action) => {
        state.busy = false;
        statusChanged(state, action.payload);
      })
      .addCase(confirmPole.pending, (state) => {
        state.busy = true;
        state.error = null;
      })
      .addCase(dismissPole.pending, (state) => {
        state.busy = true;
      })
      .addCase(confirmPole.fulfilled, (state) => {
        state.busy = false;
      })
      .addCase(confirmPole.rejected, (state, action) => {
        state.busy = false;
        state.error = action.payload ?? { kind: 'unknown' };
      })
      .addCase(dismissPole.rejected, (state, action) => {
        state.busy = false;
        state.error = action.payload ?? { kind: 'unknown' };
      });
  },
  selectors: {
    selectPole: (state) => state.status,
    /** The total the till may take now, or null. */
    selectPoleOffer: (state) => state.status?.payableFen ?? null,
    selectPoleError: (state) => state.error,
    selectPoleBusy: (state) => state.busy,
  },
});

export const { poleChanged } = poleSlice.actions;
export const { selectPole, selectPoleOffer, selectPoleError, selectPoleBusy } = poleSlice.selectors;
