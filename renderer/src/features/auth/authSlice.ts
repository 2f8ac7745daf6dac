/** Who is signed in at this terminal (the core keeps it; 'auth.changed' keeps every screen in step). */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { Staff } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError, type UiError } from '../../lib/errors';

export interface AuthState {
  operator: Staff | null;
  loaded: boolean;
  signingIn: boolean;
  error: UiError | null;
  /** Who may sign in (the sign-in screen picks the person, then takes the PIN). */
  staff: Staff[];
}

const initialState: AuthState = {
  operator: null,
  loaded: false,
  signingIn: false,
  error: null,
  staff: [],
};

export const loadSignInStaff = createAppAsyncThunk(
  'auth/staff',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('auth.staff', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const loadOperator = createAppAsyncThunk(
  'auth/load',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('auth.current', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const signIn = createAppAsyncThunk(
  'auth/signIn',
  async (request: { staffId: string; pin: string }, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('auth.signIn', request);
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const signOut = createAppAsyncThunk(
  'auth/signOut',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('auth.signOut', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const authSlice = createSlice({
  name: 'auth',
  initialState,
  reducers: {
    operatorChanged(state, action: PayloadAction<Staff | null>) {
      state.operator = action.payload;
      state.loaded = true;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(loadOperator.fulfilled, (state, action) => {
        state.operator = action.payload;
        state.loaded = true;
      })
      .addCase(loadSignInStaff.fulfilled, (state, action) => {
        state.staff = action.payload;
      })
      .addCase(signIn.pending, (state) => {
        state.signingIn = true;
        state.error = null;
      })
      .addCase(signIn.fulfilled, (state, action) => {
        state.signingIn = false;
        state.operator = action.payload;
        state.loaded = true;
      })
      .addCase(signIn.rejected, (state, action) => {
        state.signingIn = false;
        state.error = action.payload ?? { kind: 'unknown' };
      })
      .addCase(signOut.fulfilled, (state) => {
        state.operator = null;
      });
  },
  selectors: {
    selectOperator: (state) => state.operator,
    selectOperatorLoaded: (state) => state.loaded,
    selectSigningIn: (state) => state.signingIn,
    selectSignInError: (state) => state.error,
    selectSignInStaff: (state) => state.staff,
    /** Ask for a PIN: we know for sure nobody is signed in. */
    selectNeedsSignIn: (state) => state.loaded && state.operator === null,
  },
});

export const { operatorChanged } = authSlice.actions;
export const {
  selectOperator,
  selectOperatorLoaded,
  selectSigningIn,
  selectSignInError,
  selectSignInStaff,
  selectNeedsSignIn,
} = authSlice.selectors;
