/** Delivery of the outbox to the cloud, as the status bar and the manager show it. */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { SyncStatus } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError } from '../../lib/errors';

export interface SyncState {
  status: SyncStatus | null;
}

const initialState: SyncState = { status: null };

export const loadSyncStatus = createAppAsyncThunk(
  'sync/load',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('sync.status', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const syncSlice = createSlice({
  name: 'sync',
  initialState,
  reducers: {
    syncStatusChanged(state, action: PayloadAction<SyncStatus>) {
      state.status = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(loadSyncStatus.fulfilled, (state, action) => {
      state.status = action.payload;
    });
  },
  selectors: {
    selectSyncStatus: (state) => state.status,
  },
});

export const { syncStatusChanged } = syncSlice.actions;
export const { selectSyncStatus } = syncSlice.selectors;
