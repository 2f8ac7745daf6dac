import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Ledger, LATEST_VERSION, seedDemoCatalog } from './index';
import { cartsPathFor } from './db';
import { operatorOf, TestClock, tempDir, throwsCode } from './test-support/helpers';

/** Every migration this code knows, in order: 1, 2, ... LATEST_VERSION. */
const ALL_VERSIONS = Array.from({ length: LATEST_VERSION }, (_, i) => i + 1);

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
    // Version 1 had no staff: the operator is not recorded (the ledger ignores the id).
    const nobody = 'before-staff';
    old.openShift(500, nobody);
    let s = old.addItem({ sku: 'DRK-001', qty: 2 });
    s = old.addItem({ sku: 'SNK-001' });
    const sold = old.pay(s.id, { method: 'cash', amountFen: 2000 }, nobody);
    old.refund(sold.id, [{ lineNo: 2, qty: 1 }], 'returned', nobody);
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
    // Rows from before operators were recorded say so (null), and still verify.
    assert.equal(before.sale.operator, null);
    assert.equal(before.shift?.openedBy, null);
    // And it keeps working: the next receipt follows on, recorded for its operator.
    const op = operatorOf(now);
    const next = now.addItem({ sku: 'DRK-001' });
    const paid = now.pay(next.id, { method: 'qr', amountFen: 200 }, op);
    assert.equal(paid.receiptNo, 'T01-000002');
    assert.equal(paid.operator?.id, op);
    assert.equal(now.verifyAudit().ok, true);
    now.close();
    // Reopening applies nothing twice.
    Ledger.open({ file }).close();
    assert.deepEqual(versionsOf(file), ALL_VERSIONS);
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
