/**
 * Version 14: remote customer displays paired with the till (issue 9).
 *
 * - display_devices: one row per paired device. The device's token is kept only as its SHA-256
 *   (a 32-byte random token needs no slow hash: there is nothing to guess). Revoking sets
 *   revoked_at; the row stays so the manager sees what was paired and when.
 * - customer: the one device the till says is the customer's display (none: the local one).
 */
import type { Migration } from './types';

const sql = `
CREATE TABLE display_devices (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT,
  revoked_at TEXT,
  customer INTEGER NOT NULL DEFAULT 0 CHECK (customer IN (0, 1)),
  CHECK (revoked_at IS NULL OR customer = 0)
) STRICT;
CREATE UNIQUE INDEX display_devices_one_customer ON display_devices (customer) WHERE customer = 1;
`;

export const migration014: Migration = { version: 14, name: 'display devices', sql };
