import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { PosError, type Shift } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError, type UiError } from '../../lib/errors';

export interface ShiftState {
  current: Shift | null;
  /** Whether shift.current has answered at least once (before that, don't ask to open one). */
  loaded: boolean;
  opening: boolean;
  error: UiError | null;
}

const initialState: ShiftState = { current: null, loaded: false, opening: false, error: null };

export const loadShift = createAppAsyncThunk(
  'shift/load',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('shift.current', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const openShift = createAppAsyncThunk(
  'shift/open',
  async (floatFen: number, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('shift.open', { floatFen });
    } catch (error) {
      if (PosError.is(error) && error.code === 'SHIFT_ALREADY_OPEN') {
        // Opened elsewhere meanwhile (another screen): take that one.
        const shift = await extra.api.invoke('shift.current', {}).catch(() => null);
        if (shift !== null) return shift;
      }
      return rejectWithValue(toUiError(error));
    }
  },
);

function setShift(state: ShiftState, shift: Shift | null): void {
  state.current = shift !== null && shift.status === 'open' ? shift : null;
  state.loaded = true;
}

export const shiftSlice = createSlice({
  name: 'shift',
  initialState,
  reducers: {
    shiftChanged(state, action: PayloadAction<Shift | null>) {
      setShift(state, action.payload);
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(loadShift.fulfilled, (state, action) => setShift(state, action.payload))
      .addCase(openShift.pending, (state) => {
        state.opening = true;
        state.error = null;
      })
      .addCase(openShift.fulfilled, (state, action) => {
        state.opening = false;
        setShift(state, action.payload);
      })
      .addCase(openShift.rejected, (state, action) => {
        state.opening = false;
        state.error = action.payload ?? { kind: 'unknown' };
      });
  },
  selectors: {
    selectShift: (state) => state.current,
    selectShiftLoaded: (state) => state.loaded,
    selectShiftOpening: (state) => state.opening,
    selectShiftError: (state) => state.error,
    /** Ask for an opening float: we know for sure that no shift is open. */
    selectNeedsShift: (state) => state.loaded && state.current === null,
  },
});

export const { shiftChanged } = shiftSlice.actions;
export const {
  selectShift,
  selectShiftLoaded,
  selectShiftOpening,
  selectShiftError,
  selectNeedsShift,
} = shiftSlice.selectors;
