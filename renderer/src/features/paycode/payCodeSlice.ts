/**
 * A customer's payment code (付款码) being charged, as the cashier follows it: what main said
 * last ('paycode.progress' events while it runs, then the answer). The code itself is never kept
 * here, only its masked ends (maskPaymentCode) and its wallet, so nothing in the store, the
 * screen or a log ever holds a whole code once it has been read.
 */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import {
  classifyPaymentCode,
  maskPaymentCode,
  type PayCodeProgress,
  type PayCodeStage,
  type PaymentScheme,
} from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { TransportError } from '../../api/transport';
import { toUiError, type UiError } from '../../lib/errors';
import { saleChanged, saleCompleted } from '../sale/saleSlice';

export type PayCodePhase = 'idle' | PayCodeStage | 'paid' | 'refused' | 'unknown' | 'failed';

export interface PayCodeState {
  phase: PayCodePhase;
  saleId: string | null;
  /** The code's ends (e.g. 2841…1234), never the code. */
  masked: string | null;
  scheme: PaymentScheme | null;
  /** While the buyer confirms: when main will stop waiting (ms since the epoch, screen clock). */
  waitingUntil: number | null;
  /** Refused or unknown: the acquirer's code and its words (English; translated by code). */
  reason: { code: string; message: string } | null;
  /** The request itself was refused (bad code, no acquirer, nothing due) or lost. */
  error: UiError | null;
}

export const initialPayCodeState: PayCodeState = {
  phase: 'idle',
  saleId: null,
  masked: null,
  scheme: null,
  waitingUntil: null,
  reason: null,
  error: null,
};

/** How long to wait for the connection to come back before asking what became of the sale. */
const RECHECK_MS = 5_000;

/**
 * Charge the open sale's due amount to a scanned or typed payment code. A refusal by main
 * (malformed code, no acquirer, nothing due) is `failed` with the error; what the acquirer said
 * is `paid` / `refused` / `unknown`.
 */
export const payByCode = createAppAsyncThunk(
  'paycode/pay',
  async (arg: { saleId: string; code: string }, { extra, getState, dispatch, rejectWithValue }) => {
    const sale = getState().sale.current;
    if (sale === null || sale.id !== arg.saleId)
      return rejectWithValue({ kind: 'pos', code: 'SALE_NOT_OPEN' });
    try {
      const result = await extra.api.invoke('sale.payByCode', { saleId: sale.id, code: arg.code });
      if (result.status === 'paid') {
        dispatch(
          result.sale.status === 'completed'
            ? saleCompleted(result.sale)
            : saleChanged(result.sale),
        );
      }
      return result;
    } catch (error) {
      // The connection dropped while main was charging: ask what became of the sale.
      if (TransportError.is(error) && error.reason !== 'offline') {
        if (await extra.api.whenConnected(RECHECK_MS)) {
          try {
            const after = await extra.api.invoke('sale.get', { saleId: sale.id });
            if (after.paidFen > sale.paidFen) {
              dispatch(after.status === 'completed' ? saleCompleted(after) : saleChanged(after));
              return { status: 'paid' as const, sale: after, replayed: false };
            }
          } catch {
            // fall through: report the original failure
          }
        }
      }
      return rejectWithValue(toUiError(error));
    }
  },
);

export const payCodeSlice = createSlice({
  name: 'paycode',
  initialState: initialPayCodeState,
  reducers: {
    /** Main moved the charge on (only for the charge this screen started). */
    payCodeProgressed(
      state,
      action: PayloadAction<{ progress: PayCodeProgress; receivedAt: number }>,
    ) {
      const { progress, receivedAt } = action.payload;
      if (state.saleId !== progress.saleId) return;
      if (!['charging', 'waiting_for_buyer', 'checking', 'cancelling'].includes(state.phase))
        return;
      state.phase = progress.stage;
      state.waitingUntil =
        progress.secondsLeft === null ? null : receivedAt + progress.secondsLeft * 1000;
    },
    /** The cashier put the outcome away (or a new sale began). */
    payCodeCleared() {
      return initialPayCodeState;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(payByCode.pending, (state, action) => {
        state.phase = 'charging';
        // Only the code's ends and its wallet are kept (the code stays in the request alone).
        const check = classifyPaymentCode(action.meta.arg.code);
        state.saleId = action.meta.arg.saleId;
        state.masked = maskPaymentCode(action.meta.arg.code.trim());
        state.scheme = check.ok ? check.scheme : null;
        state.waitingUntil = null;
        state.reason = null;
        state.error = null;
      })
      .addCase(payByCode.fulfilled, (state, action) => {
        const result = action.payload;
        state.waitingUntil = null;
        if (result.status === 'paid') {
          state.phase = 'paid';
          state.saleId = result.sale.id;
          return;
        }
        state.phase = result.status;
        state.reason = { code: result.code, message: result.message };
      })
      .addCase(payByCode.rejected, (state, action) => {
        state.phase = 'failed';
        state.waitingUntil = null;
        state.error = action.payload ?? { kind: 'unknown' };
      });
  },
});

export const { payCodeProgressed, payCodeCleared } = payCodeSlice.actions;

export const selectPayCode = (state: { paycode: PayCodeState }): PayCodeState => state.paycode;
export const selectPayCodeBusy = (state: { paycode: PayCodeState }): boolean =>
  ['charging', 'waiting_for_buyer', 'checking', 'cancelling'].includes(state.paycode.phase);
