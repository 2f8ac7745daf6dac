/** Printed receipt copies (migration 7), and the migration rule that allows gaps. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { migrate } from './migrations';
import { openTestLedger, tempDir, throwsCode } from './test-support/helpers';

function soldSale(t: ReturnType<typeof openTestLedger>) {
  t.ledger.openShift(0, t.op);
  const sale = t.ledger.addItem({ sku: 'DRK-001', qty: 2 });
  return t.ledger.pay(sale.id, { method: 'cash', amountFen: sale.totalFen }, t.op);
}

test('a receipt counts as printed only once a copy printed; copies are append-only', () => {
  const t = openTestLedger();
  try {
    const sale = soldSale(t);
    const receiptNo = sale.receiptNo ?? '';
    const base = { saleId: sale.id, receiptNo, staffId: null };
    t.ledger.recordReceiptPrint({ ...base, reprint: false, outcome: 'failed', fault: 'io' });
    assert.equal(t.ledger.receiptPrinted(sale.id), false, 'a failed copy is no original');
    t.ledger.recordReceiptPrint({ ...base, reprint: false, outcome: 'printed', fault: null });
    t.reopen();
    assert.equal(t.ledger.receiptPrinted(sale.id), true, 'and it survives a restart');
    assert.deepEqual(
      t.ledger.receiptPrints(sale.id).map((p) => [p.outcome, p.fault, p.reprint]),
      [
        ['failed', 'io', false],
        ['printed', null, false],
      ],
    );
    throwsCode(
      () => t.ledger.recordReceiptPrint({ ...base, reprint: true, outcome: 'failed', fault: null }),
      'VALIDATION',
    );
    const raw = new Database(t.file);
    assert.throws(() => raw.prepare('DELETE FROM receipt_prints').run(), /append-only/);
    assert.throws(
      () => raw.prepare("UPDATE receipt_prints SET outcome = 'failed'").run(),
      /append-only/,
    );
    raw.close();
  } finally {
    t.cleanup();
  }
});

test('auto-print is a setting, on by default, changed without touching the others', () => {
  const t = openTestLedger();
  try {
    assert.equal(t.ledger.settings().autoPrintReceipt, true);
    t.ledger.setSettings({ discountLimitBp: 1000 });
    assert.deepEqual(t.ledger.setSettings({ autoPrintReceipt: false }), {
      discountLimitBp: 1000,
      autoPrintReceipt: false,
      cashierPinDigits: 4,
      managerPinDigits: 6,
    });
    t.reopen();
    assert.deepEqual(t.ledger.settings(), {
      discountLimitBp: 1000,
      autoPrintReceipt: false,
      cashierPinDigits: 4,
      managerPinDigits: 6,
    });
  } finally {
    t.cleanup();
  }
});

test('a schema version this code does not know is refused even below the newest one', () => {
  // As when a database has met a branch's migration that this code never had.
  const { dir, cleanup } = tempDir();
  try {
    const raw = new Database(join(dir, 'gap.db'));
    const at = () => new Date('2025-06-01T00:00:00.000Z');
    const one = { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER) STRICT;' };
    const five = { version: 5, name: 'five', sql: 'CREATE TABLE b (x INTEGER) STRICT;' };
    const seven = { version: 7, name: 'seven', sql: 'CREATE TABLE c (x INTEGER) STRICT;' };
    assert.equal(migrate(raw, at, 7, [one, five, seven]), 7);
    throwsCode(() => migrate(raw, at, 7, [one, seven]), 'DATABASE_TOO_NEW', /version 5\b/);
    raw.close();
  } finally {
    cleanup();
  }
});
