/**
 * The embedded store: PostgreSQL compiled to WebAssembly, in this process, on a data directory.
 *
 * Its files hold payers, wallets and sealed secrets, so they are owner-only whatever the caller
 * did: PGlite writes files for as long as it is open (new relations, WAL segments) in folders
 * that follow the process's umask, so opening one restricts the umask for the process (a
 * process that opens the cloud's store is a cloud process; the tests' ones included). PGlite
 * also chmods some files itself (0666 for its initial data directory, 0644 for the relation
 * cache), past any umask: those are taken back to owner-only once it is ready and when it closes.
 */
import { PGlite, type Transaction } from '@electric-sql/pglite';
import {
  ensurePrivateDir,
  restrictFilesUnder,
  restrictUmask,
} from '../../main/shared/private-files';
import type { Db, QueryResult, Queryable } from './index';

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

function wrap(target: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const result = await target.query<T>(sql, params);
      return { rows: result.rows, rowCount: result.rowCount ?? result.affectedRows ?? 0 };
    },
  };
}

export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir !== undefined) {
    restrictUmask();
    ensurePrivateDir(dataDir);
  }
  const pg = new PGlite({
    ...(dataDir === undefined ? {} : { dataDir }),
    parsers: { [INT8]: Number, [NUMERIC]: Number, [DATE]: (v: string) => v },
  });
  await pg.waitReady;
  if (dataDir !== undefined) restrictFilesUnder(dataDir);
  const root = wrap(pg);
  return {
    kind: 'pglite',
    query: root.query,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async close() {
      await pg.close();
      if (dataDir !== undefined) restrictFilesUnder(dataDir);
    },
  };
}
