/**
 * Version 11: the audit chain becomes keyed (see audit.ts).
 *
 * Rows written before this version are an unkeyed SHA-256 chain; rows from `keyed_from` on are
 * HMAC-SHA256 under a key that lives outside the ledger (the terminal's secret store). The
 * switch-over cannot happen here, because a migration has no key: the first Ledger.open with a
 * key verifies the old chain, records whether it held (`legacy_failure`), and sets `keyed_from`
 * with a MAC that binds the old chain's head and that verdict to the key. The old rows are never
 * re-MACed: a broken old chain stays broken on record.
 *
 * The checkpoint lets the start check verify only rows added since the last good check; it
 * carries a MAC so it cannot be moved past an edited row without the key. last_check is the
 * last result (JSON) the screens show; reported_failure is the failure last sent to the cloud
 * as `audit.failed`, so each distinct failure is reported once.
 */
import type { Migration } from './types';

const sql = `
CREATE TABLE audit_state (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  keyed_from INTEGER,
  keyed_from_mac TEXT,
  legacy_failure TEXT,
  checkpoint_seq INTEGER NOT NULL DEFAULT 0 CHECK (checkpoint_seq >= 0),
  checkpoint_mac TEXT,
  last_check TEXT,
  reported_failure TEXT
) STRICT;
INSERT INTO audit_state (one) VALUES (1);
`;

export const migration011: Migration = { version: 11, name: 'keyed audit chain', sql };
