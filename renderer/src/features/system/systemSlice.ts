import { createSlice } from '@reduxjs/toolkit';
import type { TerminalInfo } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError } from '../../lib/errors';

export interface SystemState {
  info: TerminalInfo | null;
}

const initialState: SystemState = { info: null };

export const loadSystemInfo = createAppAsyncThunk(
  'system/load',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('system.info', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const systemSlice = createSlice({
  name: 'system',
  initialState,
  reducers: {},
  extraReducers: (builder) => {
    builder.addCase(loadSystemInfo.fulfilled, (state, action) => {
      state.info = action.payload;
    });
  },
  selectors: {
    selectInfo: (state) => state.info,
    selectTimezone: (state) => state.info?.timezone ?? null,
  },
});

export const { selectInfo, selectTimezone } = systemSlice.selectors;
