/**
 * The active sale, exactly as the server last reported it (the server is the source of truth:
 * responses and 'sale.changed' events both replace it wholesale), plus the sale just completed
 * (the cashier's receipt preview, the customer's "thank you").
 */
import { createSlice, isAnyOf, type PayloadAction } from '@reduxjs/toolkit';
import { checkBarcode, type TillTender, type Sale, type SaleLine } from '../../contract';
import { createAppAsyncThunk } from '../../app/createAppAsyncThunk';
import { TransportError } from '../../api/transport';
import { toUiError, type UiError } from '../../lib/errors';

export interface SaleState {
  current: Sale | null;
  completed: Sale | null;
  loaded: boolean;
  /** Requests changing the sale that have not answered yet. */
  pending: number;
  paying: boolean;
  error: UiError | null;
  /** The last item added (for a short confirmation), by sale line number. */
  lastAddedLineNo: number | null;
  /** The line the keyboard acts on (+/-, Del, discount, price), by line number. */
  selectedLineNo: number | null;
}

export const initialSaleState: SaleState = {
  current: null,
  completed: null,
  loaded: false,
  pending: 0,
  paying: false,
  error: null,
  lastAddedLineNo: null,
  selectedLineNo: null,
};

/** Keep the selection on a line that exists: the last line when it fell off the end. */
function clampSelection(state: SaleState): void {
  const lines = state.current?.lines ?? [];
  if (lines.length === 0) {
    state.selectedLineNo = null;
    return;
  }
  if (state.selectedLineNo === null || !lines.some((l) => l.lineNo === state.selectedLineNo)) {
    state.selectedLineNo = lines[lines.length - 1]?.lineNo ?? null;
  }
}

/** Apply whatever the server says the sale now is. */
function applySale(state: SaleState, sale: Sale | null): void {
  applySaleOnly(state, sale);
  clampSelection(state);
}

function applySaleOnly(state: SaleState, sale: Sale | null): void {
  state.loaded = true;
  if (sale === null) {
    state.current = null;
    return;
  }
  if (sale.status === 'open') {
    state.current = sale;
    // A new sale under way: the previous receipt / thank-you has served its purpose.
    if (state.completed !== null && state.completed.id !== sale.id && sale.lines.length > 0) {
      state.completed = null;
    }
    return;
  }
  if (state.current?.id === sale.id) state.current = null;
  if (sale.status === 'completed') state.completed = sale;
}

function saleIdOf(state: { sale: SaleState }): string | null {
  return state.sale.current?.id ?? null;
}

export const loadCurrentSale = createAppAsyncThunk(
  'sale/loadCurrent',
  async (_: void, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('sale.current', {});
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

/** What to add; `qty` is the quantity typed before it (24 * scan), else one. */
export type AddItemArg = ({ barcode: string } | { sku: string }) & { qty?: number };

export const addItem = createAppAsyncThunk(
  'sale/addItem',
  async (arg: AddItemArg, { extra, rejectWithValue }) => {
    try {
      return await extra.api.invoke('sale.addItem', { ...arg, qty: arg.qty ?? 1 });
    } catch (error) {
      return rejectWithValue(toUiError(error, 'barcode' in arg ? { barcode: arg.barcode } : {}));
    }
  },
);

export const setQty = createAppAsyncThunk(
  'sale/setQty',
  async (arg: { lineNo: number; qty: number }, { extra, getState, rejectWithValue }) => {
    const saleId = saleIdOf(getState());
    if (saleId === null) return rejectWithValue({ kind: 'pos', code: 'SALE_NOT_OPEN' });
    try {
      return await extra.api.invoke('sale.setQty', { saleId, ...arg });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

export const removeLine = createAppAsyncThunk(
  'sale/removeLine',
  async (lineNo: number, { extra, getState, rejectWithValue }) => {
    const saleId = saleIdOf(getState());
    if (saleId === null) return rejectWithValue({ kind: 'pos', code: 'SALE_NOT_OPEN' });
    try {
      return await extra.api.invoke('sale.removeLine', { saleId, lineNo });
    } catch (error) {
      return rejectWithValue(toUiError(error));
    }
  },
);

/** How long to wait for the connection to come back when it drops during a payment. */
export const PAYMENT_RECHECK_MS = 10_000;

/**
 * Pay the whole amount due in cash. If the connection drops mid-request the payment may or may
 * not have been recorded: wait for the connection and ask the server what became of the sale,
 * rather than guessing (and never pay twice).
 */
export const payCash = createAppAsyncThunk(
  'sale/payCash',
  async (arg: { tenderedFen: number }, { extra, getState, rejectWithValue }) => {
    const sale = getState().sale.current;
    if (sale === null) return rejectWithValue({ kind: 'pos', code: 'SALE_NOT_OPEN' });
    try {
      return await extra.api.invoke('sale.pay', {
        saleId: sale.id,
        method: 'cash',
        amountFen: sale.dueFen,
        tenderedFen: arg.tenderedFen,
      });
    } catch (error) {
      if (TransportError.is(error) && error.reason !== 'offline') {
        if (await extra.api.whenConnected(PAYMENT_RECHECK_MS)) {
          try {
            const after = await extra.api.invoke('sale.get', { saleId: sale.id });
            if (after.status === 'completed' || after.paidFen > sale.paidFen) return after;
          } catch {
            // fall through: report the original failure
          }
        }
      }
      return rejectWithValue(toUiError(error));
    }
  },
);

export interface TenderArg {
  /** Tenders the till records itself (face pay records its own payments). */
  method: TillTender;
  /** The amount to apply to the sale (cash: at most what is due is applied). */
  amountFen: number;
  /** Cash only: what the customer handed over. */
  tenderedFen?: number;
  reference?: string;
}

/**
 * One tender of any method (split tender is several). Like payCash, a dropped connection is
 * resolved by asking the server what became of the sale, never by paying twice.
 */
export const payTender = createAppAsyncThunk(
  'sale/payTender',
  async (arg: TenderArg, { extra, getState, rejectWithValue }) => {
    const sale = getState().sale.current;
    if (sale === null) return rejectWithValue({ kind: 'pos', code: 'SALE_NOT_OPEN' });
    try {
      return await extra.api.invoke('sale.pay', {
        saleId: sale.id,
        method: arg.method,
        amountFen: arg.amountFen,
        ...(arg.tenderedFen !== undefined ? { tenderedFen: arg.tenderedFen } : {}),
        ...(arg.reference !== undefined && arg.reference !== ''
          ? { reference: arg.reference }
          : {}),
      });
    } catch (error) {
      if (TransportError.is(error) && error.reason !== 'offline') {
        if (await extra.api.whenConnected(PAYMENT_RECHECK_MS)) {
          try {
            const after = await extra.api.invoke('sale.get', { saleId: sale.id });
            if (after.status === 'completed' || after.paidFen > sale.paidFen) return after;
          } catch {
            // fall through: report the original failure
          }
        }
      }
      return rejectWithValue(toUiError(error));
    }
  },
);

/**
 * Complete a sale of ¥0.00 (a 100 % discount, free items): there is nothing to pay, so no
 * tender. Like a payment, a dropped connection is resolved by asking what became of the sale.
 */
export const completeZero = createAppAsyncThunk(
  'sale/completeZero',
  async (_: void, { extra, getState, rejectWithValue }) => {
    const sale = getState().sale.current;
    if (sale === null) return rejectWithValue({ kind: 'pos', code: 'SALE_NOT_OPEN' });
    try {
      return await extra.api.invoke('sale.completeZero', { saleId: sale.id });
    } catch (error) {
      if (TransportError.is(error) && error.reason !== 'offline') {
        if (await extra.api.whenConnected(PAYMENT_RECHECK_MS)) {
          try {
            const after = await extra.api.invoke('sale.get', { saleId: sale.id });
            if (after.status === 'completed') return after;
          } catch {
            // fall through: report the original failure
          }
        }
      }
      return rejectWithValue(toUiError(error));
    }
  },
);

const NO_LINES: readonly SaleLine[] = [];

const mutations = [addItem, setQty, removeLine] as const;

export const saleSlice = createSlice({
  name: 'sale',
  initialState: initialSaleState,
  reducers: {
    saleChanged(state, action: PayloadAction<Sale | null>) {
      applySale(state, action.payload);
    },
    saleCompleted(state, action: PayloadAction<Sale>) {
      applySale(state, action.payload);
    },
    /** "New sale": put the receipt / thank-you away. */
    dismissCompleted(state) {
      state.completed = null;
    },
    clearSaleError(state) {
      state.error = null;
    },
    /** Show an error raised by the screen itself (e.g. a scan while a window is open). */
    saleErrorShown(state, action: PayloadAction<UiError>) {
      state.error = action.payload;
    },
    lineSelected(state, action: PayloadAction<number>) {
      if (state.current?.lines.some((l) => l.lineNo === action.payload) === true)
        state.selectedLineNo = action.payload;
    },
    /** Move the selection up (-1) or down (+1), stopping at either end. */
    selectionMoved(state, action: PayloadAction<number>) {
      const lines = state.current?.lines ?? [];
      if (lines.length === 0) return;
      const index = lines.findIndex((l) => l.lineNo === state.selectedLineNo);
      const next = Math.min(
        lines.length - 1,
        Math.max(0, (index < 0 ? lines.length : index) + action.payload),
      );
      state.selectedLineNo = lines[next]?.lineNo ?? null;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(loadCurrentSale.fulfilled, (state, action) => {
      applySale(state, action.payload);
    });
    builder
      .addCase(addItem.fulfilled, (state, action) => {
        state.pending = Math.max(0, state.pending - 1);
        applySale(state, action.payload);
        const lines = action.payload.lines;
        // The server appends a new line or bumps an existing one; either way the added product
        // is identified by barcode or sku.
        const arg = action.meta.arg;
        let matches: (line: SaleLine) => boolean = (l) => 'sku' in arg && l.sku === arg.sku;
        if ('barcode' in arg) {
          const code = checkBarcode(arg.barcode);
          const barcode = code.ok ? code.ean13 : arg.barcode;
          matches = (l) => l.barcode === barcode;
        }
        const line = lines.find(matches);
        state.lastAddedLineNo = line?.lineNo ?? lines[lines.length - 1]?.lineNo ?? null;
        state.selectedLineNo = state.lastAddedLineNo;
      })
      .addCase(payTender.pending, (state) => {
        state.paying = true;
        state.error = null;
      })
      .addCase(payTender.fulfilled, (state, action) => {
        state.paying = false;
        applySale(state, action.payload);
      })
      .addCase(payTender.rejected, (state, action) => {
        state.paying = false;
        state.error = action.payload ?? { kind: 'unknown' };
      })
      .addCase(completeZero.pending, (state) => {
        state.paying = true;
        state.error = null;
      })
      .addCase(completeZero.fulfilled, (state, action) => {
        state.paying = false;
        applySale(state, action.payload);
      })
      .addCase(completeZero.rejected, (state, action) => {
        state.paying = false;
        state.error = action.payload ?? { kind: 'unknown' };
      })
      .addCase(payCash.pending, (state) => {
        state.paying = true;
        state.error = null;
      })
      .addCase(payCash.fulfilled, (state, action) => {
        state.paying = false;
        applySale(state, action.payload);
      })
      .addCase(payCash.rejected, (state, action) => {
        state.paying = false;
        state.error = action.payload ?? { kind: 'unknown' };
      })
      .addMatcher(isAnyOf(setQty.fulfilled, removeLine.fulfilled), (state, action) => {
        state.pending = Math.max(0, state.pending - 1);
        applySale(state, action.payload);
      })
      .addMatcher(isAnyOf(...mutations.map((m) => m.pending)), (state) => {
        state.pending += 1;
        state.error = null;
      })
      .addMatcher(isAnyOf(...mutations.map((m) => m.rejected)), (state, action) => {
        state.pending = Math.max(0, state.pending - 1);
        state.error = (action.payload as UiError | undefined) ?? { kind: 'unknown' };
      });
  },
  selectors: {
    selectSale: (state) => state.current,
    selectCompletedSale: (state) => state.completed,
    selectSaleLoaded: (state) => state.loaded,
    selectSaleError: (state) => state.error,
    selectSaleBusy: (state) => state.pending > 0,
    selectPaying: (state) => state.paying,
    selectLastAddedLineNo: (state) => state.lastAddedLineNo,
    selectSelectedLineNo: (state) => state.selectedLineNo,
    selectSelectedLine: (state) =>
      state.current?.lines.find((l) => l.lineNo === state.selectedLineNo) ?? null,
    selectLines: (state) => state.current?.lines ?? NO_LINES,
    selectItemCount: (state) => (state.current?.lines ?? NO_LINES).reduce((n, l) => n + l.qty, 0),
    selectDiscountFen: (state) =>
      state.current === null ? 0 : state.current.lineDiscountFen + state.current.saleDiscountFen,
    /** Something to pay: an open sale with items and an amount due. */
    selectCanPay: (state) =>
      state.current !== null && state.current.lines.length > 0 && state.current.dueFen > 0,
    /** Nothing to pay at all: items whose total is ¥0.00 and no payment taken (completeZero). */
    selectIsZeroSale: (state) =>
      state.current !== null &&
      state.current.lines.length > 0 &&
      state.current.totalFen === 0 &&
      state.current.paidFen === 0,
  },
});

export const {
  saleChanged,
  saleCompleted,
  dismissCompleted,
  clearSaleError,
  saleErrorShown,
  lineSelected,
  selectionMoved,
} = saleSlice.actions;
export const {
  selectSale,
  selectCompletedSale,
  selectSaleLoaded,
  selectSaleError,
  selectSaleBusy,
  selectPaying,
  selectLastAddedLineNo,
  selectSelectedLineNo,
  selectSelectedLine,
  selectLines,
  selectItemCount,
  selectDiscountFen,
  selectCanPay,
  selectIsZeroSale,
} = saleSlice.selectors;
