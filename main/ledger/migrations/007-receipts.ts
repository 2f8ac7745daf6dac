/**
 * Version 7: what the receipt printer needs from the ledger (who rang up a sale, which the
 * receipt names, is the sale's operator_id: migration 5).
 *
 * - receipt_prints: every copy of a receipt that was sent to the printer and how it went,
 *   append-only. The first copy that printed is the original; any later one is a reprint and says
 *   so on the paper, also after a restart (a second "original" is how receipt fraud starts).
 */
import type { Migration } from './types';

const sql = `
CREATE TABLE receipt_prints (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  sale_id TEXT NOT NULL REFERENCES sales (id),
  receipt_no TEXT NOT NULL,
  reprint INTEGER NOT NULL CHECK (reprint IN (0, 1)),
  outcome TEXT NOT NULL CHECK (outcome IN ('printed', 'failed')),
  fault TEXT,
  staff_id TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX receipt_prints_by_sale ON receipt_prints (sale_id, outcome);
CREATE TRIGGER receipt_prints_no_update BEFORE UPDATE ON receipt_prints
BEGIN SELECT RAISE(ABORT, 'receipt prints are append-only'); END;
CREATE TRIGGER receipt_prints_no_delete BEFORE DELETE ON receipt_prints
BEGIN SELECT RAISE(ABORT, 'receipt prints are append-only'); END;
`;

export const migration007: Migration = { version: 7, name: 'receipt prints', sql };
