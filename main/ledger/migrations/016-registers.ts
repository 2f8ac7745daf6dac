/**
 * Version 16: the register integration API (issue 10).
 *
 * - registers: one row per paired register. Its bearer token is kept only as its SHA-256 (32
 *   random bytes need no slow hash); the callback secret is derived from the token (core's
 *   registers.ts), so no secret is stored here at all. Revoking sets revoked_at; the row stays.
 * - register_orders: the register's order number -> the ledger sale it became, keyed per
 *   register (the idempotency key), with what was asked (canonical JSON) (to tell "the same order
 *   again" from "another order under the same number"), the discounts' split (merchant,
 *   platform) that the sale keeps only as one sale discount, the callback URL, the register's
 *   name at the time, and a version the long-poll waits on.
 * - register_refunds: the register's refund number -> the ledger refund, keyed per register.
 */
import type { Migration } from './types';

const sql = `
CREATE TABLE registers (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT,
  revoked_at TEXT
) STRICT;

CREATE TABLE register_orders (
  register_id TEXT NOT NULL REFERENCES registers (id),
  order_no TEXT NOT NULL,
  sale_id TEXT NOT NULL UNIQUE,
  register_name TEXT NOT NULL,
  request TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  discounts TEXT NOT NULL,
  callback_url TEXT,
  cancelled_at TEXT,
  business_date TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (register_id, order_no)
) STRICT;
CREATE INDEX register_orders_day ON register_orders (register_id, business_date);

CREATE TABLE register_refunds (
  register_id TEXT NOT NULL REFERENCES registers (id),
  refund_no TEXT NOT NULL,
  order_no TEXT NOT NULL,
  refund_id TEXT NOT NULL UNIQUE,
  request TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (register_id, refund_no)
) STRICT;
`;

export const migration016: Migration = { version: 16, name: 'registers', sql };
