/**
 * Opening the ledger: two SQLite files on one connection.
 *
 * - The ledger file holds money (and the catalog). WAL, synchronous=FULL: a commit returns only
 *   after its WAL frames are fsynced, so a completed sale survives a power cut.
 * - The carts file (`<name>.carts.db`, attached as `carts`) holds open and held sales, which are
 *   not money yet. WAL, synchronous=NORMAL: a scan is written to the OS (it survives a crash of
 *   the app) but not fsynced, so ringing up items costs no disk flush and adds nothing to the
 *   flush of the sale's commit. A power cut can lose the last scans of an unpaid cart; never a
 *   payment (see payments.ts for the split-tender case).
 *
 * A transaction that writes both (the last payment completes the sale and drops the cart)
 * commits the ledger first. If the process dies between the two commits, the cart is left
 * behind; reconcileCarts() drops it on the next open.
 */
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { LATEST_VERSION, migrate, migrateCarts } from './migrations';

export type Db = Database.Database;

/** Where the carts of a ledger file live. */
export function cartsPathFor(file: string): string {
  if (file === ':memory:') return ':memory:';
  return file.endsWith('.db') ? `${file.slice(0, -3)}.carts.db` : `${file}.carts.db`;
}

/**
 * Creates a database file owner-only (0600) before SQLite opens it, whatever the umask: SQLite
 * makes the -wal and -shm files with the mode of the database file, so the money, the PIN
 * hashes and the open carts are never readable by another local user, not even in the WAL.
 */
function createOwnerOnly(file: string): void {
  if (file === ':memory:' || file === '') return;
  closeSync(openSync(file, 'a', 0o600));
}

export interface OpenedDatabase {
  db: Db;
  schemaVersion: number;
}

export function openDatabase(
  file: string,
  now: () => Date,
  targetVersion: number = LATEST_VERSION,
): OpenedDatabase {
  createOwnerOnly(file);
  createOwnerOnly(cartsPathFor(file));
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Reports read a day's index entries; a larger page cache keeps repeated reports off disk.
    db.pragma('cache_size = -16384');
    db.pragma('temp_store = MEMORY');
    const schemaVersion = migrate(db, now, targetVersion);
    db.prepare('ATTACH DATABASE ? AS carts').run(cartsPathFor(file));
    db.pragma('carts.journal_mode = WAL');
    db.pragma('carts.synchronous = NORMAL');
    migrateCarts(db);
    return { db, schemaVersion };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Drops carts whose sale already reached the ledger (a crash between the two commits). */
export function reconcileCarts(db: Db): number {
  return db.prepare('DELETE FROM carts.carts WHERE id IN (SELECT id FROM main.sales)').run()
    .changes;
}
