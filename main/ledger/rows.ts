/**
 * The money rows as stored, one interface per table, with their column lists. The same list
 * builds the INSERT, the SELECT that reads a row back, and the row's canonical content for the
 * audit chain, so what is hashed at write time is exactly what verification reads later.
 *
 * A column added by a later migration (operator_id, version 5) is named with that version. Rows
 * written before it have NULL there, and their canonical content leaves the column out, so the
 * hashes chained before the migration still verify; every row written since carries a value,
 * which is hashed (so clearing it later breaks the chain). A ledger opened at an older schema
 * version (tests build one with targetVersion) neither writes nor reads the newer columns.
 */
import type { PaymentMethod } from '../contract';
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
  /** The staff member signed in when the sale completed or was voided (since version 5). */
  operator_id: string | null;
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
  method: PaymentMethod;
  amount_fen: number;
  tendered_fen: number | null;
  change_fen: number;
  reference: string | null;
  created_at: string;
  operator_id: string | null;
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
  operator_id: string | null;
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
  method: PaymentMethod;
  amount_fen: number;
}

export interface ShiftRow {
  id: string;
  terminal_id: string;
  opened_at: string;
  business_date: string;
  float_fen: number;
  operator_id: string | null;
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
  operator_id: string | null;
}

export interface CashMovementRow {
  id: string;
  shift_id: string;
  kind: 'in' | 'out';
  amount_fen: number;
  reason: string;
  created_at: string;
  operator_id: string | null;
}

export interface ZRow {
  number: number;
  business_date: string;
  created_at: string;
  snapshot: string;
  hash: string;
}

/**
 * A table and its columns in a fixed order; the Record makes TypeScript check the list is
 * complete. `true` marks a column of the table's first version, a number the schema version
 * whose migration added it.
 */
function table<T>(name: string, columns: Record<keyof T, true | number>): Table<T> {
  const names = Object.keys(columns) as (keyof T & string)[];
  const added = new Map<keyof T & string, number>();
  for (const c of names) {
    const since = columns[c];
    if (typeof since === 'number') added.set(c, since);
  }
  return new Table<T>(name, names, added);
}

function insertStatement(
  table: string,
  columns: readonly string[],
  parameter: (column: string) => string,
): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(parameter).join(', ')})`;
}

export class Table<T> {
  /** The INSERT of the newest schema, named parameters (benchmarks write rows with it directly). */
  readonly insertSql: string;
  private readonly byVersion = new Map<
    number,
    { columns: (keyof T & string)[]; insert: string; select: string }
  >();

  constructor(
    readonly name: string,
    readonly columns: readonly (keyof T & string)[],
    /** Columns added by a later migration, with the schema version that added them. */
    private readonly added: ReadonlyMap<keyof T & string, number> = new Map(),
  ) {
    this.insertSql = insertStatement(name, columns, (c) => `@${c}`);
  }

  private columnsAt(version: number): (keyof T & string)[] {
    return this.columns.filter((c) => (this.added.get(c) ?? 0) <= version);
  }

  private sqlAt(version: number): {
    columns: (keyof T & string)[];
    insert: string;
    select: string;
  } {
    let sql = this.byVersion.get(version);
    if (sql === undefined) {
      const columns = this.columnsAt(version);
      sql = {
        columns,
        // Positional parameters: binding an array is cheaper than a named-parameter object, and
        // a sale writes a dozen rows in its one transaction.
        insert: insertStatement(this.name, columns, () => '?'),
        select: columns.join(', '),
      };
      this.byVersion.set(version, sql);
    }
    return sql;
  }

  insert(ctx: Ctx, row: T): void {
    const { columns, insert } = this.sqlAt(ctx.schemaVersion);
    const values = new Array<unknown>(columns.length);
    for (let i = 0; i < columns.length; i++) values[i] = row[columns[i] as keyof T & string];
    ctx.stmt(insert).run(values);
  }

  /**
   * The row's values in column order: its canonical content. A later column is left out while
   * it is empty (a row from before its migration), so old hashes stay valid.
   */
  values(row: T): unknown[] {
    return this.columns
      .filter((c) => !this.added.has(c) || (row[c] !== null && row[c] !== undefined))
      .map((c) => row[c]);
  }

  /** Reads rows back; a column the schema does not have yet comes back as null. */
  select(ctx: Ctx, where: string): Reader<T> {
    const statement = ctx.stmt(
      `SELECT ${this.sqlAt(ctx.schemaVersion).select} FROM ${this.name} WHERE ${where}`,
    );
    const missing = this.columns.filter((c) => (this.added.get(c) ?? 0) > ctx.schemaVersion);
    const fill = (row: unknown): T => {
      if (row === undefined || missing.length === 0) return row as T;
      const filled = row as Record<string, unknown>;
      for (const c of missing) filled[c] = null;
      return filled as T;
    };
    return {
      get: (...params) => {
        const row = statement.get(...params);
        return row === undefined ? undefined : fill(row);
      },
      all: (...params) => statement.all(...params).map(fill),
    };
  }
}

/** A prepared SELECT of whole rows. */
export interface Reader<T> {
  get(...params: unknown[]): T | undefined;
  all(...params: unknown[]): T[];
}

/** The schema version whose migration added operator_id to the money tables. */
export const OPERATOR_SINCE = 5;
/** The schema version from which register orders exist (migration 16). */
export const REGISTERS_SINCE = 16;

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
  operator_id: OPERATOR_SINCE,
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
  operator_id: OPERATOR_SINCE,
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
  operator_id: OPERATOR_SINCE,
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
  operator_id: OPERATOR_SINCE,
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
  operator_id: OPERATOR_SINCE,
});

export const CASH_MOVEMENTS = table<CashMovementRow>('cash_movements', {
  id: yes,
  shift_id: yes,
  kind: yes,
  amount_fen: yes,
  reason: yes,
  created_at: yes,
  operator_id: OPERATOR_SINCE,
});

export const Z_REPORTS = table<ZRow>('z_reports', {
  number: yes,
  business_date: yes,
  created_at: yes,
  snapshot: yes,
  hash: yes,
});
