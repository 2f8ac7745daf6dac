/** The sync worker's own connection to the ledger file (sync-store.ts). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeEan13 } from '../contract';
import { DEMO_PRODUCTS, LATEST_VERSION, Ledger, SyncStore } from './index';
import {
  openTestLedger,
  operatorOf,
  TEST_AUDIT_KEY,
  tempDir,
  throwsCode,
} from './test-support/helpers';

function sell(ledger: Ledger, sku = 'DRK-001'): void {
  const sale = ledger.addItem({ sku, qty: 2 });
  ledger.pay(sale.id, { method: 'card', amountFen: sale.dueFen }, operatorOf(ledger));
}

test('reads the outbox beside the till and records deliveries in any order', () => {
  const t = openTestLedger();
  const store = SyncStore.open({ file: t.file });
  try {
    t.ledger.openShift(0, t.op);
    for (let i = 0; i < 5; i++) sell(t.ledger);
    const all = store.pendingOutbox(100);
    assert.equal(all.length, 11); // shift.opened, then payment.recorded + sale.completed each
    assert.deepEqual(
      all.map((e) => e.id),
      t.ledger.pendingOutbox(100).map((e) => e.id),
    );
    // Reading on while earlier batches are in flight.
    assert.deepEqual(
      store.pendingOutbox(3, all[4]?.seq).map((e) => e.seq),
      all.slice(5, 8).map((e) => e.seq),
    );
    // A later batch acknowledged first, then the earlier one.
    store.markSent(all.slice(6, 9).map((e) => e.id));
    assert.equal(store.pendingCount(), 8);
    assert.equal(t.ledger.pendingOutboxCount(), 8);
    assert.deepEqual(
      store.pendingOutbox(100).map((e) => e.id),
      [...all.slice(0, 6), ...all.slice(9)].map((e) => e.id),
    );
    store.markSent(all.slice(0, 6).map((e) => e.id));
    store.markSent(all.slice(0, 2).map((e) => e.id)); // again: ignored
    assert.deepEqual(
      store.pendingOutbox(100).map((e) => e.id),
      all.slice(9).map((e) => e.id),
    );
    assert.ok(store.lastSuccessAt() !== null);
    // The till keeps writing while the store is open, and sees the same outbox.
    sell(t.ledger);
    assert.equal(store.pendingCount(), 4);
    assert.equal(t.ledger.pendingOutbox(100).length, 4);
  } finally {
    store.close();
    t.cleanup();
  }
});

test('business dates are the ledger’s own, including a day a Z report moved on', () => {
  const t = openTestLedger();
  const store = SyncStore.open({ file: t.file, timezone: 'Asia/Shanghai' });
  try {
    t.clock.set('2025-03-14T10:00:00.000Z'); // 18:00 in Shanghai
    t.ledger.openShift(0, t.op);
    sell(t.ledger);
    t.ledger.closeShift(0, t.op);
    t.ledger.takeZReport('2025-03-14');
    t.ledger.openShift(0, t.op);
    sell(t.ledger); // same calendar day, but the Z closed it: counts on the 15th
    const sale = t.ledger.getSaleByReceipt('T01-000002');
    t.ledger.refund(sale.id, undefined, 'returned', t.op);
    const dates = store
      .pendingOutbox(100)
      .filter((e) => e.type === 'sale.completed' || e.type === 'refund.created')
      .map((e) => `${e.type} ${store.businessDateOf(e)}`);
    assert.deepEqual(dates, [
      'sale.completed 2025-03-14',
      'sale.completed 2025-03-15',
      'refund.created 2025-03-15',
    ]);
    // Anything else: the shop's calendar day of the moment it was written.
    assert.equal(
      store.businessDateOf({ type: 'shift.cash', payload: {}, createdAt: '2025-03-14T17:00:00Z' }),
      '2025-03-15',
    );
  } finally {
    store.close();
    t.cleanup();
  }
});

test('applies catalogue pages through the ledger catalogue, with the cursor per cloud', () => {
  const t = openTestLedger();
  const store = SyncStore.open({ file: t.file });
  try {
    const [a, b, c] = DEMO_PRODUCTS as [
      (typeof DEMO_PRODUCTS)[number],
      (typeof DEMO_PRODUCTS)[number],
      (typeof DEMO_PRODUCTS)[number],
    ];
    assert.equal(store.catalogVersion('http://cloud-a'), 0);
    const applied = store.applyCatalog(
      'http://cloud-a',
      [
        { ...a, priceFen: 1, active: true },
        { ...b, active: false },
        { ...c, sku: 'NEW-1', active: true }, // takes c's barcode
        { ...c, sku: 'BAD-1', barcode: '6900000000029', active: true },
        {
          ...c,
          sku: 'NEW-2',
          barcode: makeEan13('069000000003').slice(1), // a UPC-A form is fine
          active: true,
        },
      ],
      7,
    );
    assert.equal(applied.upserted, 3);
    assert.equal(applied.removed, 2);
    assert.deepEqual(
      applied.skipped.map((s) => s.sku),
      ['BAD-1'],
    );
    assert.equal(t.ledger.getProduct(a.sku).priceFen, 1);
    throwsCode(() => t.ledger.getProduct(b.sku), 'NOT_FOUND');
    assert.equal(t.ledger.lookupBarcode(c.barcode).sku, 'NEW-1');
    assert.equal(store.catalogVersion('http://cloud-a'), 7);
    assert.equal(store.catalogVersion('http://cloud-b'), 0, 'another cloud starts from 0');
  } finally {
    store.close();
    t.cleanup();
  }
});

test('both edited one product: the chain cloud is master, its page overwrites the local edit', () => {
  const t = openTestLedger();
  const store = SyncStore.open({ file: t.file });
  try {
    // Edited here before the shop joined the chain: an extra barcode, a new price, off sale.
    const local = t.ledger.catalogProduct('DRK-001');
    const extra = makeEan13('690777000001');
    const { version, barcode: _primary, ...rest } = local;
    t.ledger.saveProduct({
      ...rest,
      barcodes: [local.barcode, extra],
      priceFen: 990,
      active: false,
      expectedVersion: version,
    });
    // The cloud's own edit of the same product arrives with the catalogue sync.
    const cloudBarcode = makeEan13('690777000002');
    const applied = store.applyCatalog(
      'http://chain',
      [{ ...DEMO_PRODUCTS[0]!, barcode: cloudBarcode, priceFen: 250, active: true }],
      3,
    );
    assert.equal(applied.upserted, 1);
    const now = t.ledger.catalogProduct('DRK-001');
    assert.deepEqual(
      [now.barcodes, now.priceFen, now.active, now.version],
      [[cloudBarcode], 250, true, version + 2],
    );
    throwsCode(() => t.ledger.lookupBarcode(extra), 'UNKNOWN_BARCODE');
    assert.equal(t.ledger.lookupBarcode(cloudBarcode).priceFen, 250);
    // A product off sale here still gives up a barcode the cloud gives another product.
    const held = t.ledger.catalogProduct('DRK-002');
    const { version: v2, barcode: _p2, ...rest2 } = held;
    t.ledger.saveProduct({ ...rest2, active: false, expectedVersion: v2 });
    store.applyCatalog(
      'http://chain',
      [{ ...DEMO_PRODUCTS[2]!, sku: 'CHAIN-9', barcode: held.barcode, active: true }],
      4,
    );
    assert.equal(t.ledger.lookupBarcode(held.barcode).sku, 'CHAIN-9');
  } finally {
    store.close();
    t.cleanup();
  }
});

test('refuses a ledger file that the terminal has not created or migrated', () => {
  const { dir, cleanup } = tempDir();
  try {
    assert.throws(() => SyncStore.open({ file: join(dir, 'missing.db') }));
    const file = join(dir, 'old.db');
    Ledger.open({ auditKey: TEST_AUDIT_KEY, file, targetVersion: LATEST_VERSION - 1 }).close();
    throwsCode(() => SyncStore.open({ file }), 'VALIDATION');
  } finally {
    cleanup();
  }
});
