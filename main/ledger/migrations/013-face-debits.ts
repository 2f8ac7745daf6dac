/**
 * Version 13: the cloud's signed authorisation of each face payment (face-debit.ts), kept beside
 * the payment so that any face payment in the ledger can be checked against the cloud's payment
 * key. Append-only, like the payments it vouches for.
 *
 * Numbered 13 (not 8) because other work on issue 9 adds ledger migrations at the same time.
 */
import type { Migration } from './types';

const sql = `
CREATE TABLE face_debits (
  payment_id TEXT PRIMARY KEY,
  cloud_payment_id TEXT NOT NULL,
  cloud_terminal_id TEXT NOT NULL,
  sale_id TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  debited_at TEXT NOT NULL,
  signature TEXT NOT NULL
) STRICT;
CREATE TRIGGER face_debits_no_update BEFORE UPDATE ON face_debits
BEGIN SELECT RAISE(ABORT, 'face debits are append-only'); END;
CREATE TRIGGER face_debits_no_delete BEFORE DELETE ON face_debits
BEGIN SELECT RAISE(ABORT, 'face debits are append-only'); END;
`;

export const migration013: Migration = { version: 13, name: 'face debits', sql };
