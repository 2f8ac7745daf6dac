/**
 * Brings a database to the newest schema. Replicas starting together on one PostgreSQL take an
 * advisory lock, so exactly one applies the migrations and the others then find them applied.
 * All pending migrations run in one transaction: a failure leaves the schema as it was.
 */
import type { Db, Queryable } from './index';
import { MIGRATIONS, type Migration } from './migrations';

/** Arbitrary, fixed: the advisory-lock key that serialises migrating. */
const MIGRATION_LOCK = 7_401_001;

/** Split a migration into statements: each one ends with a semicolon at the end of a line. */
export function statements(sql: string): string[] {
  return sql
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

async function apply(tx: Queryable, migration: Migration): Promise<void> {
  for (const statement of statements(migration.sql)) await tx.query(statement);
  await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
    migration.version,
    migration.name,
  ]);
}

/** Returns the versions it applied (empty when the schema was current). */
export async function migrate(db: Db, migrations = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const newest = Math.max(0, ...migrations.map((m) => m.version));
    const tooNew = rows.find((r) => r.version > newest);
    if (tooNew !== undefined) {
      throw new Error(
        `the database has migration ${tooNew.version}, newer than this build knows (${newest}): upgrade the cloud service`,
      );
    }
    const done: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await apply(tx, migration);
      done.push(migration.version);
    }
    return done;
  });
}
