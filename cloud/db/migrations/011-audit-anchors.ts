import type { Migration } from './index';

/**
 * The terminals' audit chain anchors (cloud/audit/service.ts): every chain head (seq, MAC) a
 * terminal sent at sync, kept per terminal, never overwritten; and the alerts raised when a
 * terminal's chain no longer matches what the cloud holds (its ledger was rewritten or cut).
 * Numbered 11 to sit beside the terminal's own migration 11 (the keyed chain).
 */
export const m011: Migration = {
  version: 11,
  name: 'audit anchors',
  sql: `
CREATE TABLE audit_anchors (
  terminal_id text NOT NULL REFERENCES terminals (id),
  seq bigint NOT NULL CHECK (seq >= 1),
  mac text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, seq)
);

CREATE TABLE audit_alerts (
  id bigserial PRIMARY KEY,
  terminal_id text NOT NULL REFERENCES terminals (id),
  store_id text NOT NULL REFERENCES stores (id),
  seq bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('rewritten', 'truncated')),
  detail text NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (terminal_id, seq, kind)
);
`,
};
