/**
 * Numbered migrations. The ledger records each applied version in schema_version; opening a
 * database with a version this code does not know is refused, because older code could misread
 * or damage a newer schema.
 *
 * Versions are numbered by the work that needs them and may land out of order (6 before 5 and
 * 7, say, when those are still on other branches), so a migration is applied when its version is
 * missing from schema_version, not merely when it is above the highest one: a database at 6
 * still gets 5 when 5 arrives. Each migration must therefore stand on the ones before it in
 * number only where it says so.
 */
import type Database from 'better-sqlite3';
import { PosError } from '../../contract';
import { migration001 } from './001-initial';
import { migration002 } from './002-report-indexes';
import { migration003 } from './003-staff-approvals-settings';
import { migration004 } from './004-sync-state';
import { migration005 } from './005-operators';
import { migration006 } from './006-wallet-credits';
import { migration007 } from './007-receipts';
import { migration011 } from './011-keyed-audit';
import { migration012 } from './012-pin-guards';
import { migration013 } from './013-face-debits';
import { migration014 } from './014-display-devices';
import { migration015 } from './015-acquirer-payments';
import { migration016 } from './016-registers';
import { migration018 } from './018-catalog-editing';
import type { Migration } from './types';

export type { Migration } from './types';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration018,
];
/** The highest version this code knows (versions may have gaps: see above). */
export const LATEST_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

export function schemaVersionOf(db: Database.Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_version').get() as {
    v: number | null;
  };
  return row.v ?? 0;
}

/**
 * Brings the ledger database up to `target` (default: the newest); returns its version.
 * `migrations` is for tests of the mechanism itself.
 */
export function migrate(
  db: Database.Database,
  now: () => Date,
  target: number = LATEST_VERSION,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const latest = Math.max(...migrations.map((m) => m.version));
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_version').all() as { version: number }[]).map(
      (r) => r.version,
    ),
  );
  const known = new Set(migrations.map((m) => m.version));
  const unknown = [...applied].filter((v) => !known.has(v));
  if (unknown.length > 0)
    throw new PosError(
      'DATABASE_TOO_NEW',
      `the ledger database has schema version ${unknown.join(', ')}, which this software does ` +
        `not know (it knows up to version ${latest}: ${[...known].join(', ')}); install ` +
        `the newer software (or restore an older backup)`,
    );
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version) || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        now().toISOString(),
      );
    }).immediate();
  }
  return schemaVersionOf(db);
}

/**
 * The carts database (open and held sales; see carts.ts) has its own tiny schema, versioned with
 * user_version. Losing it loses unpaid carts only, never money.
 */
const CART_MIGRATIONS: readonly string[] = [
  `CREATE TABLE carts.carts (
    id TEXT PRIMARY KEY,
    terminal_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'held')),
    opened_at TEXT NOT NULL,
    held_at TEXT,
    doc TEXT NOT NULL
  ) STRICT;
  CREATE UNIQUE INDEX carts.carts_one_open ON carts (terminal_id) WHERE status = 'open';`,
];

export function migrateCarts(db: Database.Database): void {
  const current = db.pragma('carts.user_version', { simple: true }) as number;
  if (current > CART_MIGRATIONS.length)
    throw new PosError(
      'DATABASE_TOO_NEW',
      `the carts database is at schema version ${current}, but this software knows only up ` +
        `to version ${CART_MIGRATIONS.length}`,
    );
  for (let v = current + 1; v <= CART_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(CART_MIGRATIONS[v - 1] ?? '');
      db.pragma(`carts.user_version = ${v}`);
    }).immediate();
  }
}
