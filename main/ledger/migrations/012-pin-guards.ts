/**
 * Version 12: wrong PINs counted per person, not per terminal (issue 9).
 *
 * - pin_guards: one row per bucket that has failed: 'staff:<id>' (a PIN entered for that person)
 *   or 'role:manager' (an approval that takes any manager's PIN). Only a correct PIN for the
 *   bucket resets it, so a cashier's own sign-in no longer clears the count of their guesses at
 *   the manager's PIN, and wrong PINs against one person do not lock anyone else out.
 * - pin_attempts: every PIN check (whose bucket, who was at the till, the outcome, the lockout
 *   it earned), for the manager's screen. Bounded: staff.ts keeps the newest rows only.
 * - pin_guard (version 3's terminal-wide count) is dropped: nothing reads it any more.
 *
 * Numbered 12, not 8, because other work on issue 9 adds ledger migrations at the same time
 * (versions may land out of order: migrations/index.ts).
 */
import type { Migration } from './types';

const sql = `
CREATE TABLE pin_guards (
  bucket TEXT PRIMARY KEY,
  failures INTEGER NOT NULL CHECK (failures >= 0),
  locked_until TEXT
) STRICT;

CREATE TABLE pin_attempts (
  seq INTEGER PRIMARY KEY,
  bucket TEXT NOT NULL,
  staff_id TEXT,
  by_staff_id TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'wrong', 'locked')),
  locked_until TEXT,
  created_at TEXT NOT NULL
) STRICT;

DROP TABLE pin_guard;
`;

export const migration012: Migration = { version: 12, name: 'per-person PIN guards', sql };
