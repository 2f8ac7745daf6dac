/**
 * The manager's daily report for a chosen business date: asked for only with a manager session
 * on this screen, and dropped when the screen locks.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { DailyReport } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError, type UiError } from '../../lib/errors';
import { endedByMain, managerLocked, unlocked } from '../manager/managerSlice';

export interface ReportState {
  /** YYYY-MM-DD; null until the shop's "today" is known. */
  date: string | null;
  report: DailyReport | null;
  status: 'idle' | 'loading' | 'done' | 'error';
  error: UiError | null;
}

export const initialReportState: ReportState = {
  date: null,
  report: null,
  status: 'idle',
  error: null,
};

export const loadDailyReport = createAppAsyncThunk(
  'report/loadDaily',
  async (businessDate: string, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('report.daily', { businessDate });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
  { condition: (_, { getState }) => unlocked(getState()) },
);

export const reportSlice = createSlice({
  name: 'report',
  initialState: initialReportState,
  reducers: {
    dateChosen(state, action: PayloadAction<string>) {
      state.date = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(loadDailyReport.pending, (state) => {
        state.status = 'loading';
        state.error = null;
      })
      .addCase(loadDailyReport.fulfilled, (state, action) => {
        // A slow answer for a date no longer chosen is dropped.
        if (action.meta.arg !== state.date) return;
        state.report = action.payload;
        state.status = 'done';
      })
      .addCase(loadDailyReport.rejected, (state, action) => {
        if (action.meta.arg !== state.date || endedByMain(action)) return;
        state.status = 'error';
        state.error = action.payload ?? { kind: 'unknown' };
      })
      // Locked (by the manager, the idle timer or main): no figures stay behind the gate.
      .addMatcher(
        (action) => managerLocked.match(action) || endedByMain(action),
        (state) => {
          state.report = null;
          state.status = 'idle';
          state.error = null;
        },
      );
  },
  selectors: {
    selectReportDate: (state) => state.date,
    selectReport: (state) => state.report,
    selectReportStatus: (state) => state.status,
    selectReportError: (state) => state.error,
  },
});

export const { dateChosen } = reportSlice.actions;
export const { selectReportDate, selectReport, selectReportStatus, selectReportError } =
  reportSlice.selectors;
