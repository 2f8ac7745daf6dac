/**
 * Version 3: who works the till, the manager approvals they gave, and the shop's settings.
 *
 * - staff: a PIN is stored as scrypt(PIN, per-person salt); see staff.ts.
 * - pin_guard: consecutive wrong PINs on this terminal and the lockout they earned, kept in the
 *   database so that restarting the app does not reset the count.
 * - approvals: append-only, one row per action a manager's PIN allowed (who, what, on what),
 *   written in the action's own transaction.
 * - settings: small key/value pairs the manager changes (e.g. the discount limit).
 */
import type { Migration } from './types';

const sql = `
CREATE TABLE staff (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('cashier', 'manager')),
  pin_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE pin_guard (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  failures INTEGER NOT NULL CHECK (failures >= 0),
  locked_until TEXT
) STRICT;
INSERT INTO pin_guard (one, failures, locked_until) VALUES (1, 0, NULL);

CREATE TABLE approvals (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  staff_id TEXT NOT NULL REFERENCES staff (id),
  action TEXT NOT NULL,
  ref TEXT NOT NULL,
  details TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE TRIGGER approvals_no_update BEFORE UPDATE ON approvals
BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
CREATE TRIGGER approvals_no_delete BEFORE DELETE ON approvals
BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`;

export const migration003: Migration = { version: 3, name: 'staff, approvals, settings', sql };
