/**
 * The audit chain's standing (main/core/audit-monitor.ts): every staff screen loads it and
 * follows `ledger.audit`, to raise the banner; the manager's audit panel runs "check now".
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { AuditStatus } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { toUiError, type UiError } from '../../lib/errors';

export interface AuditState {
  status: AuditStatus | null;
  checking: boolean;
  error: UiError | null;
}

const initialState: AuditState = { status: null, checking: false, error: null };

export const loadAuditStatus = createAppAsyncThunk(
  'audit/load',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('ledger.auditStatus', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

/** The manager's "check now": a full check of the chain (answers when it is done). */
export const checkAuditNow = createAppAsyncThunk(
  'audit/check',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('ledger.verify', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const auditSlice = createSlice({
  name: 'audit',
  initialState,
  reducers: {
    auditChanged(state, action: PayloadAction<AuditStatus>) {
      state.status = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(loadAuditStatus.fulfilled, (state, action) => {
        state.status = action.payload;
      })
      .addCase(checkAuditNow.pending, (state) => {
        state.checking = true;
        state.error = null;
      })
      .addCase(checkAuditNow.fulfilled, (state, action) => {
        state.checking = false;
        state.status = action.payload;
      })
      .addCase(checkAuditNow.rejected, (state, action) => {
        state.checking = false;
        state.error = action.payload ?? null;
      });
  },
  selectors: {
    selectAuditStatus: (state) => state.status,
    selectAuditChecking: (state) => state.checking,
    selectAuditError: (state) => state.error,
  },
});

export const { auditChanged } = auditSlice.actions;
export const { selectAuditStatus, selectAuditChecking, selectAuditError } = auditSlice.selectors;
