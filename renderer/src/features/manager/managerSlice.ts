/**
 * The manager's screen: a manager session on this screen's connection, opened with a manager's
 * PIN (checked by main, with its lockout), ended by the Lock button, after IDLE_LOCK_MS without
 * input, or by main (MANAGER_REQUIRED: its own idle limit, or a new connection that never had
 * the session). Nothing of the manager's is asked for while there is no session: the loads
 * below do not even start (their condition), and whatever was shown is dropped on lock.
 */
import { createSlice, isRejected, type UnknownAction } from '@reduxjs/toolkit';
import {
  MANAGER_IDLE_MS,
  type PinAttempt,
  type Shift,
  type Staff,
  type ZReport,
} from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import type { RootState } from '../../app/store';
import { toUiError, type UiError } from '../../lib/errors';

export const IDLE_LOCK_MS = MANAGER_IDLE_MS;

export interface ManagerState {
  manager: Staff | null;
  unlocking: boolean;
  error: UiError | null;
  zReports: ZReport[];
  /** The newest PIN checks (who, for whom, outcome, lockout). */
  pinAttempts: PinAttempt[];
  shifts: Shift[];
  /** The date the shifts belong to. */
  shiftsFor: string | null;
}

export const initialManagerState: ManagerState = {
  manager: null,
  unlocking: false,
  error: null,
  zReports: [],
  pinAttempts: [],
  shifts: [],
  shiftsFor: null,
};

/** Only with a manager session: the thunks of the manager's data do not start without one. */
export const unlocked = (state: RootState): boolean => state.manager.manager !== null;

export const unlockManager = createAppAsyncThunk(
  'manager/unlock',
  async (pin: string, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('manager.signIn', { pin });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

/** The session main keeps for this screen (after a reload, or a reconnection: none). */
export const loadManagerSession = createAppAsyncThunk(
  'manager/session',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('manager.current', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

/** Ends the session here and in main (the screen locks even if main cannot be told). */
export const lockManager = createAppAsyncThunk(
  'manager/lock',
  async (_: void, { extra, dispatch }) => {
    dispatch(managerSlice.actions.managerLocked());
    try {
      await extra.api.invoke('manager.signOut', {});
    } catch {
      // Offline: main ends the session itself (idle limit, or the connection is gone).
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
  { condition: (_, { getState }) => unlocked(getState()) },
);

export const loadPinAttempts = createAppAsyncThunk(
  'manager/pinAttempts',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('staff.pinAttempts', { limit: 50 });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
  { condition: (_, { getState }) => unlocked(getState()) },
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
  { condition: (_, { getState }) => unlocked(getState()) },
);

/** Main refused a manager's request: this screen has no session (any more). */
export function endedByMain(action: UnknownAction): action is UnknownAction & { payload: UiError } {
  if (!isRejected(action)) return false;
  const error = action.payload as UiError | undefined;
  return error?.kind === 'pos' && error.code === 'MANAGER_REQUIRED';
}

function lock(state: ManagerState): void {
  state.manager = null;
  state.zReports = [];
  state.pinAttempts = [];
  state.shifts = [];
  state.shiftsFor = null;
}

export const managerSlice = createSlice({
  name: 'manager',
  initialState: initialManagerState,
  reducers: {
    managerLocked(state) {
      lock(state);
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
        state.manager = action.payload.manager;
      })
      .addCase(unlockManager.rejected, (state, action) => {
        state.unlocking = false;
        state.error = action.payload ?? { kind: 'unknown' };
      })
      .addCase(loadManagerSession.fulfilled, (state, action) => {
        if (action.payload === null) lock(state);
        else state.manager = action.payload.manager;
      })
      .addCase(loadPinAttempts.fulfilled, (state, action) => {
        state.pinAttempts = action.payload;
      })
      .addCase(loadZReports.fulfilled, (state, action) => {
        state.zReports = [...action.payload].sort((a, b) => b.number - a.number);
      })
      .addCase(loadShifts.fulfilled, (state, action) => {
        state.shifts = action.payload;
        state.shiftsFor = action.meta.arg;
      })
      .addMatcher(endedByMain, (state, action) => {
        lock(state);
        state.error = action.payload;
      });
  },
  selectors: {
    selectManager: (state) => state.manager,
    selectUnlocking: (state) => state.unlocking,
    selectUnlockError: (state) => state.error,
    selectZReports: (state) => state.zReports,
    selectPinAttempts: (state) => state.pinAttempts,
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
  selectPinAttempts,
  selectShifts,
  selectShiftsFor,
} = managerSlice.selectors;
