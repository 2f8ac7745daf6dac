/**
 * Version 1: the ledger's tables.
 *
 * Money tables are append-only: a completed or voided sale, its lines, payments, refunds, cash
 * movements, shift openings and closings, Z reports and the audit log are inserted once and
 * never updated or deleted (triggers below refuse it). Open and held sales are not money and do
 * not live here: they are carts in the scratch database (see carts.ts), and a sale row is
 * written only when the sale completes or is voided.
 *
 * Tables are STRICT (an amount can only be an integer) and CHECK the arithmetic that must hold
 * within a row. Keys that are appended in time order (UUIDv7) keep inserts on the right edge
 * of each B-tree.
 */
import type { Migration } from './types';

/** Money tables: rows are inserted once, then never updated or deleted. */
export const APPEND_ONLY_TABLES = [
  'shifts',
  'shift_closes',
  'cash_movements',
  'sales',
  'sale_lines',
  'payments',
  'refunds',
  'refund_lines',
  'refund_payments',
  'z_reports',
  'audit',
] as const;

function appendOnlyTriggers(table: string): string {
  const message = `${table} is append-only: money rows are never changed or deleted`;
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${message}'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${message}'); END;`;
}

const sql = `
CREATE TABLE products (
  sku TEXT PRIMARY KEY,
  barcode TEXT NOT NULL UNIQUE CHECK (length(barcode) = 13),
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  category TEXT NOT NULL,
  price_fen INTEGER NOT NULL CHECK (price_fen BETWEEN 0 AND 100000000),
  tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE shifts (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  terminal_id TEXT NOT NULL,
  opened_at TEXT NOT NULL,
  business_date TEXT NOT NULL,
  float_fen INTEGER NOT NULL CHECK (float_fen >= 0)
) STRICT;

-- A closing is its own row so that shifts stay append-only. The figures are stored as they
-- were at closing time.
CREATE TABLE shift_closes (
  shift_id TEXT PRIMARY KEY REFERENCES shifts (id),
  closed_at TEXT NOT NULL,
  cash_sales_fen INTEGER NOT NULL,
  cash_refunds_fen INTEGER NOT NULL,
  cash_in_fen INTEGER NOT NULL,
  cash_out_fen INTEGER NOT NULL,
  expected_fen INTEGER NOT NULL,
  counted_fen INTEGER NOT NULL CHECK (counted_fen >= 0),
  variance_fen INTEGER NOT NULL CHECK (variance_fen = counted_fen - expected_fen)
) STRICT, WITHOUT ROWID;

CREATE TABLE cash_movements (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  shift_id TEXT NOT NULL REFERENCES shifts (id),
  kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX cash_movements_by_shift ON cash_movements (shift_id);

-- Completed and voided sales. closed_at is when the sale completed (or was voided);
-- business_date and hour are that instant in the shop's time zone, stored for the reports.
CREATE TABLE sales (
  id TEXT PRIMARY KEY,
  terminal_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('completed', 'voided')),
  receipt_seq INTEGER,
  receipt_no TEXT,
  shift_id TEXT,
  opened_at TEXT NOT NULL,
  closed_at TEXT NOT NULL,
  business_date TEXT NOT NULL,
  hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
  subtotal_fen INTEGER NOT NULL,
  line_discount_fen INTEGER NOT NULL,
  sale_discount_fen INTEGER NOT NULL,
  total_fen INTEGER NOT NULL CHECK (total_fen = subtotal_fen - line_discount_fen - sale_discount_fen),
  tax_fen INTEGER NOT NULL,
  paid_fen INTEGER NOT NULL,
  change_fen INTEGER NOT NULL CHECK (change_fen >= 0),
  CHECK ((status = 'completed') = (receipt_seq IS NOT NULL AND receipt_no IS NOT NULL)),
  CHECK (status <> 'completed' OR (paid_fen = total_fen AND shift_id IS NOT NULL)),
  CHECK (status <> 'voided' OR paid_fen = 0)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX sales_by_receipt ON sales (terminal_id, receipt_seq)
  WHERE receipt_seq IS NOT NULL;

CREATE TABLE sale_lines (
  sale_id TEXT NOT NULL REFERENCES sales (id),
  line_no INTEGER NOT NULL CHECK (line_no >= 1),
  sku TEXT NOT NULL,
  barcode TEXT NOT NULL,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  qty INTEGER NOT NULL CHECK (qty BETWEEN 1 AND 9999),
  unit_price_fen INTEGER NOT NULL CHECK (unit_price_fen >= 0),
  tax_rate_bp INTEGER NOT NULL CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  gross_fen INTEGER NOT NULL CHECK (gross_fen = qty * unit_price_fen AND gross_fen <= 100000000),
  line_discount_fen INTEGER NOT NULL CHECK (line_discount_fen BETWEEN 0 AND gross_fen),
  sale_discount_share_fen INTEGER NOT NULL CHECK (sale_discount_share_fen >= 0),
  net_fen INTEGER NOT NULL
    CHECK (net_fen = gross_fen - line_discount_fen - sale_discount_share_fen AND net_fen >= 0),
  tax_fen INTEGER NOT NULL,
  PRIMARY KEY (sale_id, line_no)
) STRICT, WITHOUT ROWID;

-- A payment may be taken while its sale is still an open cart (split tender), so sale_id has
-- no foreign key; the sale row follows in the transaction of the last payment.
CREATE TABLE payments (
  sale_id TEXT NOT NULL,
  id TEXT NOT NULL,
  shift_id TEXT NOT NULL REFERENCES shifts (id),
  method TEXT NOT NULL CHECK (method IN ('cash', 'face', 'qr', 'card')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  tendered_fen INTEGER CHECK ((method = 'cash') = (tendered_fen IS NOT NULL)),
  change_fen INTEGER NOT NULL
    CHECK (change_fen >= 0 AND change_fen = COALESCE(tendered_fen - amount_fen, 0)),
  reference TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (sale_id, id)
) STRICT, WITHOUT ROWID;
-- The drawer's cash per shift. Partial: only cash payments pay for an index entry.
CREATE INDEX payments_cash_by_shift ON payments (shift_id, amount_fen) WHERE method = 'cash';

CREATE TABLE refunds (
  id TEXT PRIMARY KEY,
  sale_id TEXT NOT NULL REFERENCES sales (id),
  shift_id TEXT NOT NULL REFERENCES shifts (id),
  reason TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  tax_fen INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  business_date TEXT NOT NULL,
  hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23)
) STRICT, WITHOUT ROWID;
CREATE INDEX refunds_by_sale ON refunds (sale_id);

CREATE TABLE refund_lines (
  refund_id TEXT NOT NULL REFERENCES refunds (id),
  line_no INTEGER NOT NULL,
  qty INTEGER NOT NULL CHECK (qty >= 1),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  tax_fen INTEGER NOT NULL,
  PRIMARY KEY (refund_id, line_no)
) STRICT, WITHOUT ROWID;

CREATE TABLE refund_payments (
  refund_id TEXT NOT NULL REFERENCES refunds (id),
  payment_id TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('cash', 'face', 'qr', 'card')),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (refund_id, payment_id)
) STRICT, WITHOUT ROWID;

-- The Z report as printed (snapshot JSON), so a reprint is byte for byte the original.
CREATE TABLE z_reports (
  number INTEGER PRIMARY KEY CHECK (number >= 1),
  business_date TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;

-- The audit chain: one row per money row (or group: a sale with its lines, a refund with its
-- lines and payment allocations), hash = sha256(seq, kind, ref, prev_hash, row content).
CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

-- Transactional outbox for the sync worker: append-only, no secondary index, so an event costs
-- its commit one page at most. Delivery is recorded apart: every seq <= acked_through is
-- delivered, and outbox_acks holds the seqs above it acknowledged out of order. Delivered events
-- may be pruned; undelivered ones never.
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE outbox_state (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  acked_through INTEGER NOT NULL
) STRICT;
INSERT INTO outbox_state (one, acked_through) VALUES (1, 0);
CREATE TABLE outbox_acks (seq INTEGER PRIMARY KEY, sent_at TEXT NOT NULL) STRICT;

CREATE TRIGGER outbox_no_update BEFORE UPDATE ON outbox
BEGIN SELECT RAISE(ABORT, 'outbox events are immutable'); END;
CREATE TRIGGER outbox_keep_unsent BEFORE DELETE ON outbox
WHEN OLD.seq > (SELECT acked_through FROM outbox_state)
BEGIN SELECT RAISE(ABORT, 'an undelivered outbox event may not be deleted'); END;

CREATE TRIGGER shifts_one_open BEFORE INSERT ON shifts
WHEN EXISTS (
  SELECT 1 FROM shifts s WHERE s.terminal_id = NEW.terminal_id
    AND NOT EXISTS (SELECT 1 FROM shift_closes c WHERE c.shift_id = s.id)
)
BEGIN SELECT RAISE(ABORT, 'a shift is already open on this terminal'); END;
${APPEND_ONLY_TABLES.map(appendOnlyTriggers).join('\n')}
`;

export const migration001: Migration = { version: 1, name: 'initial', sql };
