import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { PAYMENT_METHODS } from '../contract';
import { DEMO_PRODUCTS, Ledger, LATEST_VERSION } from './index';
import { cartsPathFor } from './db';
import { MIGRATIONS, migrate } from './migrations';
import { operatorOf, TEST_AUDIT_KEY, TestClock, tempDir, throwsCode } from './test-support/helpers';

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

test('a version 1 database with a catalogue is migrated and keeps it', () => {
  // Today's catalogue code needs version 18 (several barcodes, units, versions), so the old
  // catalogue is written as version 1 had it, in SQL. Sales, shifts, reports and the audit
  // chain written by old code are the next test's (the file the first shipped code wrote).
  const { dir, cleanup } = tempDir();
  try {
    const file = join(dir, 'old.db');
    const clock = new TestClock('2025-06-01T03:00:00.000Z');
    const old = Ledger.open({
      auditKey: TEST_AUDIT_KEY,
      auditKeyIsNew: true,
      file,
      now: clock.now,
      targetVersion: 1,
    });
    assert.equal(old.schemaVersion, 1);
    old.close();
    const raw = new Database(file);
    const insert = raw.prepare(
      `INSERT INTO products (sku, barcode, name_zh, name_en, category, price_fen, tax_rate_bp,
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '2025-06-01T03:00:00.000Z')`,
    );
    raw.transaction(() => {
      for (const p of DEMO_PRODUCTS)
        insert.run(p.sku, p.barcode, p.nameZh, p.nameEn, p.category, p.priceFen, p.taxRateBp);
    })();
    raw.close();
    assert.deepEqual(versionsOf(file), [1]);
    assert.ok(!indexNames(file).includes('sales_by_date'));

    const now = Ledger.open({
      auditKey: TEST_AUDIT_KEY,
      auditKeyIsNew: true,
      file,
      now: clock.now,
    });
    assert.equal(now.schemaVersion, LATEST_VERSION);
    assert.deepEqual(versionsOf(file), ALL_VERSIONS);
    assert.ok(indexNames(file).includes('sales_by_date'));
    assert.equal(now.productCount(), DEMO_PRODUCTS.length);
    for (const p of DEMO_PRODUCTS) assert.deepEqual(now.lookupBarcode(p.barcode), p);
    const water = now.catalogProduct('DRK-001');
    assert.deepEqual(
      [water.barcodes, water.unit, water.active, water.version],
      [[water.barcode], '件', true, 1],
    );
    // And it trades on: the first receipt, recorded for its operator.
    const op = operatorOf(now);
    now.openShift(500, op);
    const next = now.addItem({ sku: 'DRK-001' });
    const paid = now.pay(next.id, { method: 'qr', amountFen: 200 }, op);
    assert.equal(paid.receiptNo, 'T01-000001');
    assert.equal(now.verifyAudit().ok, true);
    now.close();
    // Reopening applies nothing twice.
    Ledger.open({ auditKey: TEST_AUDIT_KEY, auditKeyIsNew: true, file }).close();
    assert.deepEqual(versionsOf(file), ALL_VERSIONS);
  } finally {
    cleanup();
  }
});

/** Writes the committed SQL dumps of an old ledger (and its carts) into real database files. */
function restoreFixture(dir: string, name: string): string {
  const file = join(dir, 'shop.db');
  for (const [sql, target] of [
    [`${name}.sql`, file],
    [`${name}.carts.sql`, cartsPathFor(file)],
  ] as const) {
    const db = new Database(target);
    db.exec(readFileSync(join(import.meta.dirname, 'test-support/fixtures', sql), 'utf8'));
    db.close();
  }
  return file;
}

test('a ledger written by the first shipped code (schema 2) opens, migrates and trades on', () => {
  // Not built by today's code at an old version: the file the old code itself wrote (see the
  // header of test-support/fixtures/ledger-v2.sql), so a later edit to an old migration, or a
  // reader that no longer understands old rows, fails here.
  const { dir, cleanup } = tempDir();
  try {
    const file = restoreFixture(dir, 'ledger-v2');
    assert.deepEqual(versionsOf(file), [1, 2]);
    const clock = new TestClock('2025-06-02T02:00:00.000Z');
    const ledger = Ledger.open({
      auditKey: TEST_AUDIT_KEY,
      auditKeyIsNew: true,
      file,
      now: clock.now,
    });
    try {
      assert.equal(ledger.schemaVersion, LATEST_VERSION);
      assert.deepEqual(versionsOf(file), ALL_VERSIONS);
      assert.deepEqual(ledger.verifyAudit().ok, true, 'the old audit chain still verifies');

      // Day 1 as the old code recorded it: the Z report's snapshot and today's report agree.
      const z = ledger.getZReport(1);
      const day = ledger.dailyReport('2025-06-01');
      assert.equal(z.businessDate, '2025-06-01');
      for (const key of ['salesCount', 'salesFen', 'refundsFen', 'netFen', 'taxFen'] as const) {
        assert.equal(day.totals[key], z.totals[key], key);
      }
      assert.equal(day.totals.salesCount, 3);
      // Every method the contract knows (the acquirer ones came with migration 15).
      assert.deepEqual(
        day.totals.byMethod.map((m) => m.method).sort(),
        [...PAYMENT_METHODS].sort(),
      );
      assert.equal(day.refunds.length, 1);
      const first = ledger.getSaleByReceipt('T01-000001');
      assert.equal(first.lines[0]?.lineDiscountFen, 50);
      assert.equal(ledger.getSaleByReceipt('T01-000003').payments[0]?.method, 'face');
      assert.equal(ledger.listZReports().length, 1);

      // Day 2: the open shift, the held sale and the open one survived in the carts file.
      assert.equal(ledger.currentShift()?.floatFen, 30_000);
      assert.equal(ledger.listHeld().length, 1);
      const open = ledger.currentSale();
      assert.ok(open !== null);
      assert.equal(open.lines[0]?.sku, 'DRY-001');
      // Rows from before operators were recorded have none; new ones name who rang them up.
      assert.equal(first.operator, null);
      const op = operatorOf(ledger);
      const paid = ledger.pay(open.id, { method: 'cash', amountFen: open.totalFen }, op);
      assert.equal(paid.receiptNo, 'T01-000004', 'receipt numbers follow on');
      assert.equal(paid.operator?.id, op);
      // A refund of an old sale, bounded by what the old sale paid.
      throwsCode(
        () => ledger.refund(first.id, [{ lineNo: 2, qty: 1 }], 'again', op),
        'REFUND_EXCEEDS_PAID',
      );
      assert.equal(ledger.verifyAudit().ok, true);
    } finally {
      ledger.close();
    }
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
    Ledger.open({ auditKey: TEST_AUDIT_KEY, auditKeyIsNew: true, file }).close();
    const raw = new Database(file);
    raw
      .prepare("INSERT INTO schema_version VALUES (99, 'from the future', '2030-01-01T00:00:00Z')")
      .run();
    raw.close();
    const err = throwsCode(
      () => Ledger.open({ auditKey: TEST_AUDIT_KEY, auditKeyIsNew: true, file }),
      'DATABASE_TOO_NEW',
    );
    assert.match(err.message, /version 99/);
    assert.match(err.message, new RegExp(`version ${LATEST_VERSION}\\b`));
    assert.deepEqual(versionsOf(file), [...ALL_VERSIONS, 99]);

    const file2 = join(dir, 'carts-new.db');
    Ledger.open({ auditKey: TEST_AUDIT_KEY, auditKeyIsNew: true, file: file2 }).close();
    const carts = new Database(cartsPathFor(file2));
    carts.pragma('user_version = 7');
    carts.close();
    throwsCode(
      () => Ledger.open({ auditKey: TEST_AUDIT_KEY, auditKeyIsNew: true, file: file2 }),
      'DATABASE_TOO_NEW',
      /carts database.*7/,
    );
  } finally {
    cleanup();
  }
});

test('open refuses a bad time zone or terminal id', () => {
  const { dir, cleanup } = tempDir();
  try {
    throwsCode(
      () =>
        Ledger.open({
          auditKey: TEST_AUDIT_KEY,
          file: join(dir, 'a.db'),
          timezone: 'Mars/Olympus',
        }),
      'VALIDATION',
    );
    throwsCode(
      () =>
        Ledger.open({
          auditKey: TEST_AUDIT_KEY,
          auditKeyIsNew: true,
          file: join(dir, 'a.db'),
          terminalId: 'T 1',
        }),
      'VALIDATION',
    );
  } finally {
    cleanup();
  }
});
