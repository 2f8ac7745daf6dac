/**
 * Face pay as the screens follow it: whether it is offered, the current attempt (main's state,
 * replaced wholesale by each 'facepay.state' event or answer) and, on the customer display, the
 * latest preview (a small JPEG and the face box, for drawing only; never stored elsewhere).
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import {
  FACEPAY_ACTIVE_PHASES,
  IDLE_FACEPAY_STATE,
  type FacePayAvailability,
  type FacePayPreview,
  type FacePayState,
} from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError, type UiError } from '../../lib/errors';

export interface FacePaySliceState {
  availability: FacePayAvailability;
  state: FacePayState;
  preview: FacePayPreview | null;
  /** A request was refused (e.g. the sale cannot be paid now). */
  error: UiError | null;
}

export const initialFacePayState: FacePaySliceState = {
  availability: { available: false, reason: 'STARTING' },
  state: IDLE_FACEPAY_STATE,
  preview: null,
  error: null,
};

export const loadFacePayStatus = createAppAsyncThunk(
  'facepay/status',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('facepay.status', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const startFacePay = createAppAsyncThunk(
  'facepay/start',
  async (saleId: string, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('facepay.start', { saleId });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const cancelFacePay = createAppAsyncThunk(
  'facepay/cancel',
  async (saleId: string, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('facepay.cancel', { saleId });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const confirmFacePay = createAppAsyncThunk(
  'facepay/confirm',
  async (saleId: string, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('facepay.confirm', { saleId });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const submitPhoneTail = createAppAsyncThunk(
  'facepay/phoneTail',
  async (arg: { saleId: string; digits: string }, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('facepay.phoneTail', arg);
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const answerMembership = createAppAsyncThunk(
  'facepay/membership',
  async (arg: { saleId: string; consent: boolean }, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('facepay.joinMembership', arg);
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

const requests = [
  startFacePay,
  cancelFacePay,
  confirmFacePay,
  submitPhoneTail,
  answerMembership,
] as const;

function applyState(slice: FacePaySliceState, next: FacePayState): void {
  slice.state = next;
  if (next.phase !== 'capturing' && slice.preview !== null) slice.preview = null;
}

export const facePaySlice = createSlice({
  name: 'facepay',
  initialState: initialFacePayState,
  reducers: {
    facePayStateChanged(slice, action: PayloadAction<FacePayState>) {
      applyState(slice, action.payload);
    },
    facePayAvailabilityChanged(slice, action: PayloadAction<FacePayAvailability>) {
      slice.availability = action.payload;
    },
    facePayPreviewReceived(slice, action: PayloadAction<FacePayPreview>) {
      const { state } = slice;
      if (state.phase === 'capturing' && state.saleId === action.payload.saleId) {
        slice.preview = action.payload;
      }
    },
    facePayErrorCleared(slice) {
      slice.error = null;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(loadFacePayStatus.fulfilled, (slice, action) => {
      slice.availability = action.payload.availability;
      applyState(slice, action.payload.state);
    });
    for (const thunk of requests) {
      builder.addCase(thunk.pending, (slice) => {
        slice.error = null;
      });
      builder.addCase(thunk.fulfilled, (slice, action) => {
        applyState(slice, action.payload);
      });
      builder.addCase(thunk.rejected, (slice, action) => {
        slice.error = action.payload ?? { kind: 'unknown' };
      });
    }
  },
  selectors: {
    selectFacePayAvailability: (slice) => slice.availability,
    selectFacePayState: (slice) => slice.state,
    selectFacePayPreview: (slice) => slice.preview,
    selectFacePayError: (slice) => slice.error,
  },
});

export const {
  facePayStateChanged,
  facePayAvailabilityChanged,
  facePayPreviewReceived,
  facePayErrorCleared,
} = facePaySlice.actions;
export const {
  selectFacePayAvailability,
  selectFacePayState,
  selectFacePayPreview,
  selectFacePayError,
} = facePaySlice.selectors;

const ACTIVE = new Set<string>(FACEPAY_ACTIVE_PHASES);

/** The attempt for this sale, if there is one (an old sale's attempt says nothing now). */
export function attemptFor(state: FacePayState, saleId: string | null): FacePayState | null {
  return saleId !== null && state.saleId === saleId && state.phase !== 'idle' ? state : null;
}

export function isActive(state: FacePayState | null): boolean {
  return state !== null && ACTIVE.has(state.phase);
}
