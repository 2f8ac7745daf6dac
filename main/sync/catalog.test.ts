/**
 * Catalogue pull: prices and products changed in the cloud's back office reach the terminal's
 * catalogue (through the ledger's catalogue code), the version cursor survives a restart, and a
 * product the terminal cannot take is skipped without holding up the rest.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEan13 } from '../contract';
import { DEMO_PRODUCTS } from '../ledger';
import { SyncWorker } from './index';
import { openShop, startShopCloud, until } from './test-support/shop';
import { operatorOf } from '../ledger/test-support/helpers';

const productPrice = (shop: ReturnType<typeof openShop>, sku: string): number | null => {
  try {
    return shop.ledger.getProduct(sku).priceFen;
  } catch {
    return null;
  }
};

test('a price changed in the back office arrives in the terminal catalogue', async () => {
  const shop = openShop();
  const cloud = await startShopCloud();
  const changes: { version: number; upserted: number; removed: number }[] = [];
  let sync: SyncWorker | null = null;
  const start = () =>
    SyncWorker.start({
      ledgerFile: shop.file,
      timezone: 'Asia/Shanghai',
      baseUrl: cloud.test.cloud.url,
      credentials: cloud.credentials,
      settings: { pollMs: 10, statusIntervalMs: 0, catalogIntervalMs: 50 },
      onCatalog: (c) => changes.push(c),
    });
  try {
    const [repriced, withdrawn, displaced] = DEMO_PRODUCTS as [
      (typeof DEMO_PRODUCTS)[number],
      (typeof DEMO_PRODUCTS)[number],
      (typeof DEMO_PRODUCTS)[number],
    ];
    const fresh = {
      sku: 'CLOUD-001',
      barcode: makeEan13('690000000001'),
      nameZh: '云端新品',
      nameEn: 'Cloud novelty',
      category: 'snacks',
      priceFen: 1_234,
      taxRateBp: 1300,
    };
    const badCheckDigit = { ...fresh, sku: 'CLOUD-BAD', barcode: '6900000000029' };
    await cloud.test.admin.upsertProducts([
      { ...repriced, priceFen: repriced.priceFen + 100 },
      { ...withdrawn, active: false },
      // The chain gives a local product's barcode to another SKU: the chain wins.
      { ...fresh, sku: 'CLOUD-002', barcode: displaced.barcode, nameEn: 'Relabelled' },
      fresh,
      badCheckDigit,
    ]);

    sync = start();
    await until(
      () => productPrice(shop, repriced.sku) === repriced.priceFen + 100,
      20_000,
      'the new price',
    );
    assert.equal(productPrice(shop, withdrawn.sku), null, 'withdrawn from sale');
    assert.equal(productPrice(shop, displaced.sku), null, 'its barcode went to another SKU');
    assert.equal(shop.ledger.lookupBarcode(displaced.barcode).sku, 'CLOUD-002');
    assert.equal(shop.ledger.lookupBarcode(fresh.barcode).priceFen, 1_234);
    assert.equal(productPrice(shop, 'CLOUD-BAD'), null, 'a product the till cannot take');
    await until(() => changes.length === 1, 5_000, 'the change reported');
    assert.equal(changes[0]?.upserted, 3);
    assert.equal(changes[0]?.removed, 2);

    // A sale rung up now is at the new price.
    shop.ledger.openShift(0, operatorOf(shop.ledger));
    const sale = shop.ledger.addItem({ sku: repriced.sku });
    assert.equal(sale.lines[0]?.unitPriceFen, repriced.priceFen + 100);
    shop.ledger.voidSale(sale.id, operatorOf(shop.ledger));

    // A later change follows from the cursor.
    await cloud.test.admin.upsertProducts([{ ...repriced, priceFen: 99 }]);
    await until(() => productPrice(shop, repriced.sku) === 99, 10_000, 'the second price');
    await until(() => changes.length === 2, 5_000, 'the second change reported');
    assert.equal(changes[1]?.upserted, 1);
    const version = sync.status?.catalogVersion ?? 0;
    assert.ok(version > 0);

    // Restarted, the terminal asks only for what changed since: nothing is applied again.
    await sync.stop();
    changes.length = 0;
    sync = start();
    await until(() => sync?.status?.state === 'idle', 10_000, 'the restart to settle');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(sync.status?.catalogVersion, version);
    assert.deepEqual(changes, []);
    assert.equal(productPrice(shop, repriced.sku), 99);
  } finally {
    await sync?.stop();
    await cloud.close();
    shop.cleanup();
  }
});
