import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Ledger, LATEST_VERSION, seedDemoCatalog } from './index';
import { cartsPathFor } from './db';
import { MIGRATIONS, migrate } from './migrations';
import { TestClock, tempDir, throwsCode } from './test-support/helpers';

/** Every migration this code knows, in order (numbers may have gaps: see migrations/index.ts). */
const ALL_VERSIONS = MIGRATIONS.map((m) => m.version).sort((a, b) => a - b);

function indexNames(file: string): string[] {
  const raw = new Database(file, { readonly: true });
  const names = (
    raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").all() as {
      name: string;
    }[]
  ).map((r) => r.name);
  raw.close();
  return names;
}

function versionsOf(file: string): number[] {
  const raw = new Database(file, { readonly: true });
  const v = (
    raw.prepare('SELECT version FROM schema_version ORDER BY version').all() as {
      version: number;
    }[]
  ).map((r) => r.version);
  raw.close();
  return v;
}

test('a version 1 database with data is migrated and keeps its data', () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, 'old.db');
    const clock = new TestClock('2025-06-01T03:00:00.000Z');
    // The database as the first migration left it, written by the code of that version.
    const old = Ledger.open({ file, now: clock.now, targetVersion: 1 });
    assert.equal(old.schemaVersion, 1);
    seedDemoCatalog(old);
    old.openShift(500);
    let s = old.addItem({ sku: 'DRK-001', qty: 2 });
    s = old.addItem({ sku: 'SNK-001' });
    const sold = old.pay(s.id, { method: 'cash', amountFen: 2000 });
    old.refund(sold.id, [{ lineNo: 2, qty: 1 }], 'returned');
    const held = old.hold(old.addItem({ sku: 'DRY-001' }).id);
    const before = {
      sale: old.getSale(sold.id),
      report: old.dailyReport('2025-06-01'),
      shift: old.currentShift(),
      outbox: old.pendingOutbox(100),
    };
    old.close();
    assert.deepEqual(versionsOf(file), [1]);
    assert.ok(!indexNames(file).includes('sales_by_date'));

    const now = Ledger.open({ file, now: clock.now });
    assert.equal(now.schemaVersion, LATEST_VERSION);
    assert.ok(LATEST_VERSION >= 2);
    assert.deepEqual(versionsOf(file), ALL_VERSIONS);
    assert.ok(indexNames(file).includes('sales_by_date'));
    assert.deepEqual(now.getSale(sold.id), before.sale);
    assert.deepEqual(now.dailyReport('2025-06-01'), before.report);
    assert.deepEqual(now.currentShift(), before.shift);
    assert.deepEqual(now.pendingOutbox(100), before.outbox);
    assert.deepEqual(now.listHeld(), [held]);
    assert.equal(now.productCount(), 220);
    assert.deepEqual(now.verifyAudit().ok, true);
    // And it keeps working: the next receipt follows on.
    const next = now.addItem({ sku: 'DRK-001' });
    assert.equal(now.pay(next.id, { method: 'qr', amountFen: 200 }).receiptNo, 'T01-000002');
    now.close();
    // Reopening applies nothing twice.
    Ledger.open({ file }).close();
    assert.deepEqual(versionsOf(file), ALL_VERSIONS);
  } finally {
    cleanup();
  }
});

test('a migration numbered below the newest applied one still runs when it arrives', () => {
  // As when branches merge: a database already at 6 meets a version 5 it has never had.
  const { dir, cleanup } = tempDir();
  try {
    const raw = new Database(join(dir, 'gap.db'));
    const at = () => new Date('2025-06-01T00:00:00.000Z');
    const one = { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER) STRICT;' };
    const six = { version: 6, name: 'six', sql: 'CREATE TABLE c (x INTEGER) STRICT;' };
    const five = { version: 5, name: 'five', sql: 'CREATE TABLE b (x INTEGER) STRICT;' };
    assert.equal(migrate(raw, at, 6, [one, six]), 6);
    assert.equal(migrate(raw, at, 6, [one, five, six]), 6);
    const versions = raw.prepare('SELECT version FROM schema_version ORDER BY version').all();
    assert.deepEqual(versions, [{ version: 1 }, { version: 5 }, { version: 6 }]);
    const tables = raw
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a','b','c')")
      .all();
    assert.equal(tables.length, 3);
    // And nothing twice.
    assert.equal(migrate(raw, at, 6, [one, five, six]), 6);
    raw.close();
  } finally {
    cleanup();
  }
});

test('a database from newer software is refused, naming both versions, and left alone', () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, 'new.db');
    Ledger.open({ file }).close();
    const raw = new Database(file);
    raw
      .prepare("INSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01T00:00:00Z')")
      .run();
    raw.close();
    const err = throwsCode(() => Ledger.open({ file }), 'DATABASE_TOO_NEW');
    assert.match(err.message, /version 99/);
    assert.match(err.message, new RegExp(`version ${LATEST_VERSION}\\b`));
    assert.deepEqual(versionsOf(file), [...ALL_VERSIONS, 99]);

    const file2 = join(dir, 'carts-new.db');
    Ledger.open({ file: file2 }).close();
    const carts = new Database(cartsPathFor(file2));
    carts.pragma('user_version = 7');
    carts.close();
    throwsCode(() => Ledger.open({ file: file2 }), 'DATABASE_TOO_NEW', /carts database.*7/);
  } finally {
    cleanup();
  }
});

test('open refuses a bad time zone or terminal id', () => {
  const { dir, cleanup } = tempDir();
  try {
    throwsCode(
      () => Ledger.open({ file: join(dir, 'a.db'), timezone: 'Mars/Olympus' }),
      'VALIDATION',
    );
    throwsCode(() => Ledger.open({ file: join(dir, 'a.db'), terminalId: 'T 1' }), 'VALIDATION');
  } finally {
    cleanup();
  }
});
