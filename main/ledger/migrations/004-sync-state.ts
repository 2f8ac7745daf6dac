/**
 * Version 4: what the sync worker keeps between runs, beside the outbox's own delivery record.
 *
 * - catalog_source / catalog_version: the cloud the catalogue is pulled from and the last
 *   catalogue version applied from it ("changes since N"). Another cloud starts again from 0.
 * - last_success_at: the last time the cloud acknowledged events or answered a catalogue pull,
 *   so the status bar can say so again after a restart.
 */
import type { Migration } from './types';

const sql = `
CREATE TABLE sync_state (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  catalog_source TEXT NOT NULL,
  catalog_version INTEGER NOT NULL CHECK (catalog_version >= 0),
  last_success_at TEXT
) STRICT;
INSERT INTO sync_state (one, catalog_source, catalog_version, last_success_at) VALUES (1, '', 0, NULL);
`;

export const migration004: Migration = { version: 4, name: 'sync state', sql };
