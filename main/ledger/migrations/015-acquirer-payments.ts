/**
 * Version 15: payments taken through an acquirer (payment codes: Alipay, WeChat Pay, UnionPay
 * QR, and the reference cloud's stored-value codes).
 *
 * 1. The payment methods 'alipay', 'wechat', 'unionpay' and 'stored_value'. A method is a CHECK
 *    constraint on payments and refund_payments, and SQLite cannot alter a CHECK (the schema
 *    table is read-only here: better-sqlite3 runs in defensive mode), so both tables are rebuilt
 *    with the same columns, rows, index and triggers, the method list widened. Rows are copied
 *    unchanged, so the audit chain's links over them still verify. wallet_credits references
 *    refund_payments: with foreign keys deferred for this transaction, dropping the old table
 *    and re-inserting the same keys into the new one leaves no violation at commit.
 *    The method list is written out here, not imported: a migration is history, and a later
 *    method needs a migration of its own.
 * 2. acquirer_payments: beside each such payment, what the acquirer said (acquirer, our
 *    out_trade_no, its trade number, scheme, amount, when), like face_debits for face pay. The
 *    out_trade_no is UNIQUE: a proof handed out again after a crash (pay-by-code's recover())
 *    can never be recorded twice. Append-only.
 * 3. acquirer_refunds: beside each refund part that went back through an acquirer, the refund
 *    number the acquirer keyed it by and when it said it refunded. Append-only.
 */
import type { Migration } from './types';

const METHODS = `('cash', 'face', 'qr', 'card', 'alipay', 'wechat', 'unionpay', 'stored_value')`;

function appendOnly(table: string, message: string): string {
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${message}'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${message}'); END;`;
}

const MONEY_ROWS = (table: string) =>
  `${table} is append-only: money rows are never changed or deleted`;

const sql = `
PRAGMA defer_foreign_keys = ON;

CREATE TABLE payments_v15 (
  sale_id TEXT NOT NULL,
  id TEXT NOT NULL,
  shift_id TEXT NOT NULL REFERENCES shifts (id),
  method TEXT NOT NULL CHECK (method IN ${METHODS}),
  amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
  tendered_fen INTEGER CHECK ((method = 'cash') = (tendered_fen IS NOT NULL)),
  change_fen INTEGER NOT NULL
    CHECK (change_fen >= 0 AND change_fen = COALESCE(tendered_fen - amount_fen, 0)),
  reference TEXT,
  created_at TEXT NOT NULL,
  operator_id TEXT REFERENCES staff (id),
  PRIMARY KEY (sale_id, id)
) STRICT, WITHOUT ROWID;
INSERT INTO payments_v15
  (sale_id, id, shift_id, method, amount_fen, tendered_fen, change_fen, reference, created_at,
   operator_id)
  SELECT sale_id, id, shift_id, method, amount_fen, tendered_fen, change_fen, reference,
         created_at, operator_id FROM payments;
DROP TABLE payments;
ALTER TABLE payments_v15 RENAME TO payments;
CREATE INDEX payments_cash_by_shift ON payments (shift_id, amount_fen) WHERE method = 'cash';
${appendOnly('payments', MONEY_ROWS('payments'))}
CREATE TRIGGER payments_names_operator BEFORE INSERT ON payments
WHEN NEW.operator_id IS NULL
BEGIN SELECT RAISE(ABORT, 'payments: a money row records who was signed in at the till'); END;

-- Kept under another name while the table is rebuilt under its own (wallet_credits names it).
CREATE TABLE refund_payments_v14 AS SELECT * FROM refund_payments;
DROP TABLE refund_payments;
CREATE TABLE refund_payments (
  refund_id TEXT NOT NULL REFERENCES refunds (id),
  payment_id TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ${METHODS}),
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  PRIMARY KEY (refund_id, payment_id)
) STRICT, WITHOUT ROWID;
INSERT INTO refund_payments (refund_id, payment_id, method, amount_fen)
  SELECT refund_id, payment_id, method, amount_fen FROM refund_payments_v14;
DROP TABLE refund_payments_v14;
${appendOnly('refund_payments', MONEY_ROWS('refund_payments'))}

CREATE TABLE acquirer_payments (
  payment_id TEXT PRIMARY KEY,
  sale_id TEXT NOT NULL,
  acquirer TEXT NOT NULL CHECK (acquirer IN ('alipay', 'wechatpay', 'reference')),
  scheme TEXT NOT NULL,
  out_trade_no TEXT NOT NULL UNIQUE,
  acquirer_trade_no TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  paid_at TEXT NOT NULL
) STRICT;
${appendOnly('acquirer_payments', 'acquirer payments are append-only')}

CREATE TABLE acquirer_refunds (
  refund_id TEXT NOT NULL,
  payment_id TEXT NOT NULL REFERENCES acquirer_payments (payment_id),
  refund_no TEXT NOT NULL UNIQUE,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  refunded_at TEXT NOT NULL,
  PRIMARY KEY (refund_id, payment_id),
  FOREIGN KEY (refund_id, payment_id) REFERENCES refund_payments (refund_id, payment_id)
) STRICT, WITHOUT ROWID;
${appendOnly('acquirer_refunds', 'acquirer refunds are append-only')}
`;

export const migration015: Migration = { version: 15, name: 'acquirer payments', sql };
