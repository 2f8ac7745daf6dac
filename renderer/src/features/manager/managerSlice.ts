/**
 * The manager's screen: unlocked by a manager's PIN (checked by main), it locks again after
 * IDLE_LOCK_MS without use or on request. Also the Z report history and the day's shifts.
 */
import { createSlice } from '@reduxjs/toolkit';
import type { Shift, Staff, ZReport } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError, type UiError } from '../../lib/errors';

export const IDLE_LOCK_MS = 10 * 60_000;

export interface ManagerState {
  manager: Staff | null;
  unlocking: boolean;
  error: UiError | null;
  zReports: ZReport[];
  shifts: Shift[];
  /** The date the shifts belong to. */
  shiftsFor: string | null;
}

export const initialManagerState: ManagerState = {
  manager: null,
  unlocking: false,
  error: null,
  zReports: [],
  shifts: [],
  shiftsFor: null,
};

export const unlockManager = createAppAsyncThunk(
  'manager/unlock',
  async (pin: string, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('auth.verifyManager', { pin });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const loadZReports = createAppAsyncThunk(
  'manager/zList',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('report.zList', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const loadShifts = createAppAsyncThunk(
  'manager/shifts',
  async (businessDate: string, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('report.shifts', { businessDate });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const managerSlice = createSlice({
  name: 'manager',
  initialState: initialManagerState,
  reducers: {
    managerLocked(state) {
      state.manager = null;
      state.error = null;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(unlockManager.pending, (state) => {
        state.unlocking = true;
        state.error = null;
      })
      .addCase(unlockManager.fulfilled, (state, action) => {
        state.unlocking = false;
        state.manager = action.payload;
      })
      .addCase(unlockManager.rejected, (state, action) => {
        state.unlocking = false;
        state.error = action.payload ?? { kind: 'unknown' };
      })
      .addCase(loadZReports.fulfilled, (state, action) => {
        state.zReports = [...action.payload].sort((a, b) => b.number - a.number);
      })
      .addCase(loadShifts.fulfilled, (state, action) => {
        state.shifts = action.payload;
        state.shiftsFor = action.meta.arg;
      });
  },
  selectors: {
    selectManager: (state) => state.manager,
    selectUnlocking: (state) => state.unlocking,
    selectUnlockError: (state) => state.error,
    selectZReports: (state) => state.zReports,
    selectShifts: (state) => state.shifts,
    selectShiftsFor: (state) => state.shiftsFor,
  },
});

export const { managerLocked } = managerSlice.actions;
export const {
  selectManager,
  selectUnlocking,
  selectUnlockError,
  selectZReports,
  selectShifts,
  selectShiftsFor,
} = managerSlice.selectors;
