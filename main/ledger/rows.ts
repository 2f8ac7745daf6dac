/**
 * The money rows as stored, one interface per table, with their column lists. The same list
 * builds the INSERT, the SELECT that reads a row back, and the row's canonical content for the
 * audit chain, so what is hashed at write time is exactly what verification reads later.
 */
import type { Statement } from 'better-sqlite3';
import type { Ctx } from './context';

export interface SaleRow {
  id: string;
  terminal_id: string;
  status: 'completed' | 'voided';
  receipt_seq: number | null;
  receipt_no: string | null;
  shift_id: string | null;
  opened_at: string;
  closed_at: string;
  business_date: string;
  hour: number;
  subtotal_fen: number;
  line_discount_fen: number;
  sale_discount_fen: number;
  total_fen: number;
  tax_fen: number;
  paid_fen: number;
  change_fen: number;
}

export interface SaleLineRow {
  sale_id: string;
  line_no: number;
  sku: string;
  barcode: string;
  name_zh: string;
  name_en: string;
  qty: number;
  unit_price_fen: number;
  tax_rate_bp: number;
  gross_fen: number;
  line_discount_fen: number;
  sale_discount_share_fen: number;
  net_fen: number;
  tax_fen: number;
}

export interface PaymentRow {
  sale_id: string;
  id: string;
  shift_id: string;
  method: 'cash' | 'face' | 'qr' | 'card';
  amount_fen: number;
  tendered_fen: number | null;
  change_fen: number;
  reference: string | null;
  created_at: string;
}

export interface RefundRow {
  id: string;
  sale_id: string;
  shift_id: string;
  reason: string;
  amount_fen: number;
  tax_fen: number;
  created_at: string;
  business_date: string;
  hour: number;
}

export interface RefundLineRow {
  refund_id: string;
  line_no: number;
  qty: number;
  amount_fen: number;
  tax_fen: number;
}

export interface RefundPaymentRow {
  refund_id: string;
  payment_id: string;
  method: 'cash' | 'face' | 'qr' | 'card';
  amount_fen: number;
}

export interface ShiftRow {
  id: string;
  terminal_id: string;
  opened_at: string;
  business_date: string;
  float_fen: number;
}

export interface ShiftCloseRow {
  shift_id: string;
  closed_at: string;
  cash_sales_fen: number;
  cash_refunds_fen: number;
  cash_in_fen: number;
  cash_out_fen: number;
  expected_fen: number;
  counted_fen: number;
  variance_fen: number;
}

export interface CashMovementRow {
  id: string;
  shift_id: string;
  kind: 'in' | 'out';
  amount_fen: number;
  reason: string;
  created_at: string;
}

export interface ZRow {
  number: number;
  business_date: string;
  created_at: string;
  snapshot: string;
  hash: string;
}

/** A table and its columns in a fixed order; the Record makes TypeScript check the list is complete. */
function table<T>(name: string, columns: Record<keyof T, true>): Table<T> {
  return new Table<T>(name, Object.keys(columns) as (keyof T & string)[]);
}

export class Table<T> {
  readonly insertSql: string;
  readonly selectList: string;

  constructor(
    readonly name: string,
    readonly columns: readonly (keyof T & string)[],
  ) {
    this.insertSql = `INSERT INTO ${name} (${columns.join(', ')}) VALUES (${columns
      .map((c) => `@${c}`)
      .join(', ')})`;
    this.selectList = columns.join(', ');
  }

  insert(ctx: Ctx, row: T): void {
    ctx.stmt(this.insertSql).run(row as Record<string, unknown>);
  }

  /** The row's values in column order: its canonical content. */
  values(row: T): unknown[] {
    return this.columns.map((c) => row[c]);
  }

  select(ctx: Ctx, where: string): Statement {
    return ctx.stmt(`SELECT ${this.selectList} FROM ${this.name} WHERE ${where}`);
  }
}

const yes = true as const;

export const SALES = table<SaleRow>('sales', {
  id: yes,
  terminal_id: yes,
  status: yes,
  receipt_seq: yes,
  receipt_no: yes,
  shift_id: yes,
  opened_at: yes,
  closed_at: yes,
  business_date: yes,
  hour: yes,
  subtotal_fen: yes,
  line_discount_fen: yes,
  sale_discount_fen: yes,
  total_fen: yes,
  tax_fen: yes,
  paid_fen: yes,
  change_fen: yes,
});

export const SALE_LINES = table<SaleLineRow>('sale_lines', {
  sale_id: yes,
  line_no: yes,
  sku: yes,
  barcode: yes,
  name_zh: yes,
  name_en: yes,
  qty: yes,
  unit_price_fen: yes,
  tax_rate_bp: yes,
  gross_fen: yes,
  line_discount_fen: yes,
  sale_discount_share_fen: yes,
  net_fen: yes,
  tax_fen: yes,
});

export const PAYMENTS = table<PaymentRow>('payments', {
  sale_id: yes,
  id: yes,
  shift_id: yes,
  method: yes,
  amount_fen: yes,
  tendered_fen: yes,
  change_fen: yes,
  reference: yes,
  created_at: yes,
});

export const REFUNDS = table<RefundRow>('refunds', {
  id: yes,
  sale_id: yes,
  shift_id: yes,
  reason: yes,
  amount_fen: yes,
  tax_fen: yes,
  created_at: yes,
  business_date: yes,
  hour: yes,
});

export const REFUND_LINES = table<RefundLineRow>('refund_lines', {
  refund_id: yes,
  line_no: yes,
  qty: yes,
  amount_fen: yes,
  tax_fen: yes,
});

export const REFUND_PAYMENTS = table<RefundPaymentRow>('refund_payments', {
  refund_id: yes,
  payment_id: yes,
  method: yes,
  amount_fen: yes,
});

export const SHIFTS = table<ShiftRow>('shifts', {
  id: yes,
  terminal_id: yes,
  opened_at: yes,
  business_date: yes,
  float_fen: yes,
});

export const SHIFT_CLOSES = table<ShiftCloseRow>('shift_closes', {
  shift_id: yes,
  closed_at: yes,
  cash_sales_fen: yes,
  cash_refunds_fen: yes,
  cash_in_fen: yes,
  cash_out_fen: yes,
  expected_fen: yes,
  counted_fen: yes,
  variance_fen: yes,
});

export const CASH_MOVEMENTS = table<CashMovementRow>('cash_movements', {
  id: yes,
  shift_id: yes,
  kind: yes,
  amount_fen: yes,
  reason: yes,
  created_at: yes,
});

export const Z_REPORTS = table<ZRow>('z_reports', {
  number: yes,
  business_date: yes,
  created_at: yes,
  snapshot: yes,
  hash: yes,
});
