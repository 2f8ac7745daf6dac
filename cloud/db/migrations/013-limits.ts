import type { Migration } from './index';

/**
 * Rate limits that every replica agrees on, and the alerts a burst leaves for the back office.
 */
export const m013: Migration = {
  version: 13,
  name: 'limits-and-alerts',
  sql: `
-- One row per (what is counted, minute). Counting in the database rather than in each process:
-- replicas behind a balancer share the count, so a burst spread over them is still one burst.
CREATE TABLE rate_counters (
  bucket text NOT NULL,
  window_start timestamptz NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);

-- Something the back office should look at (npm run cloud -- alerts): a burst of identify or
-- authorise calls from one terminal or on one payer's face.
CREATE TABLE alerts (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  subject text NOT NULL,
  detail text NOT NULL
);
CREATE INDEX alerts_at ON alerts (at);
`,
};
