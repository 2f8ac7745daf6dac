/**
 * One small interface over both stores: embedded PGlite (a data directory, nothing to install)
 * and PostgreSQL through node-postgres. The SQL is the same for both; only opening, pooling and
 * type parsing differ. Both adapters parse bigint and numeric to number (every amount here is
 * integer fen, far below 2^53) and leave `date` as the 'YYYY-MM-DD' text it is.
 */
export interface QueryResult<T> {
  rows: T[];
  /** Rows returned or affected by the statement. */
  rowCount: number;
}

export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction (READ COMMITTED), committing when it resolves and rolling back
   * when it throws. Inside, use only `tx`: on PGlite the database is held by the transaction.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** postgres://… : use PostgreSQL. Otherwise PGlite. */
  databaseUrl?: string;
  /** PostgreSQL only: the schema to work in (created if missing); tests use one per run. */
  schema?: string;
  /** PGlite only: the data directory; omitted means in memory (tests). */
  dataDir?: string;
}

export async function openDb(options: OpenDbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const { openPostgres } = await import('./postgres');
    return openPostgres(options.databaseUrl, options.schema);
  }
  const { openPglite } = await import('./pglite');
  return openPglite(options.dataDir);
}

/** Is this a unique-constraint violation (SQLSTATE 23505) from either driver? */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
