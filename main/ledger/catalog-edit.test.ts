import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { makeEan13, type ProductDraft } from '../contract';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
});
afterEach(() => t.cleanup());

const tea: ProductDraft = {
  sku: 'TEA-900',
  barcodes: [makeEan13('690999000001'), makeEan13('690999000002')],
  nameZh: '白茶 100g',
  nameEn: 'White tea 100g',
  category: 'drinks',
  unit: '盒',
  priceFen: 5800,
  taxRateBp: 1300,
  active: true,
  expectedVersion: null,
};

test('a new product with two barcodes, a unit and a version scans by either barcode', () => {
  const l = t.ledger;
  const saved = l.saveProduct(tea);
  assert.equal(saved.version, 1);
  assert.deepEqual(saved.barcodes, tea.barcodes);
  assert.equal(saved.barcode, tea.barcodes[0]);
  assert.equal(saved.unit, '盒');
  for (const b of tea.barcodes) assert.equal(l.lookupBarcode(b).sku, 'TEA-900');
  assert.equal(l.listCatalog({ query: '白茶' }, null).products[0]?.sku, 'TEA-900');
  // any barcode finds it in the manager's search, not only the primary
  assert.equal(l.listCatalog({ query: tea.barcodes[1] }, null).total, 1);
});

test('two managers edit one product: the second save gets a clear conflict, nothing lost', () => {
  const l = t.ledger;
  const v1 = l.saveProduct(tea);
  const first = l.saveProduct({ ...tea, priceFen: 5900, expectedVersion: v1.version });
  assert.equal(first.version, 2);
  const err = throwsCode(
    () => l.saveProduct({ ...tea, nameEn: 'White tea', expectedVersion: v1.version }),
    'VERSION_CONFLICT',
    /saved by someone else meanwhile \(now version 2, this edit began from version 1\)/,
  );
  assert.equal(err.field, 'expectedVersion');
  const now = l.catalogProduct('TEA-900');
  assert.equal(now.priceFen, 5900);
  assert.equal(now.nameEn, 'White tea 100g');
  // creating over an existing SKU is a conflict too, not an overwrite
  throwsCode(() => l.saveProduct(tea), 'VERSION_CONFLICT', /already exists/);
  // the same values again change nothing, not even the version
  assert.equal(l.saveProduct({ ...tea, priceFen: 5900, expectedVersion: 2 }).version, 2);
});

test('bad input: a barcode of another product, a barcode twice, a wrong check digit, no name', () => {
  const l = t.ledger;
  const water = l.getProduct('DRK-001');
  throwsCode(
    () => l.saveProduct({ ...tea, barcodes: [water.barcode] }),
    'VALIDATION',
    /already belongs to DRK-001/,
  );
  throwsCode(
    () =>
      l.saveProduct({ ...tea, barcodes: [tea.barcodes[0] as string, tea.barcodes[0] as string] }),
    'VALIDATION',
    /given twice/,
  );
  const wrong = (tea.barcodes[0] as string).slice(0, 12) + '0';
  throwsCode(() => l.saveProduct({ ...tea, barcodes: [wrong] }), 'INVALID_BARCODE');
  throwsCode(() => l.saveProduct({ ...tea, nameZh: ' ' }), 'VALIDATION', /Chinese name/);
  assert.equal(l.listCatalog({ query: 'TEA-900' }, null).total, 0);
});

test('a product off sale is kept for the manager but neither scans nor shows at the till', () => {
  const l = t.ledger;
  const v1 = l.saveProduct(tea);
  l.saveProduct({ ...tea, active: false, expectedVersion: v1.version });
  throwsCode(() => l.lookupBarcode(tea.barcodes[1] as string), 'UNKNOWN_BARCODE', /off sale/);
  throwsCode(() => l.addItem({ sku: 'TEA-900' }), 'NOT_FOUND', /off sale/);
  assert.equal(l.searchProducts('白茶').length, 0);
  assert.equal(l.listCatalog({ query: '白茶' }, null).total, 1);
  assert.equal(l.listCatalog({ query: '白茶', includeInactive: false }, null).total, 0);
});

test('a price change takes effect at the next scan and never changes a line already rung up', () => {
  const l = t.ledger;
  const v1 = l.saveProduct(tea);
  const before = l.addItem({ barcode: tea.barcodes[0] as string });
  l.saveProduct({ ...tea, priceFen: 9900, expectedVersion: v1.version });
  const after = l.addItem({ barcode: tea.barcodes[1] as string });
  assert.equal(after.id, before.id);
  assert.deepEqual(
    after.lines.map((x) => x.unitPriceFen),
    [5800, 9900],
  );
  // a quantity change on the old line keeps its price too
  const line1 = after.lines[0];
  assert.ok(line1);
  const changed = l.setQty(after.id, line1.lineNo, 3);
  assert.equal(changed.lines[0]?.unitPriceFen, 5800);
  assert.equal(changed.lines[0]?.grossFen, 17400);
});

test('filter by category, page through, the total counts all matches', () => {
  const l = t.ledger;
  const drinks = l.listCatalog({ category: 'drinks', limit: 10 }, null);
  assert.equal(drinks.products.length, 10);
  assert.ok(drinks.total > 10);
  assert.ok(drinks.products.every((p) => p.category === 'drinks'));
  const page2 = l.listCatalog({ category: 'drinks', limit: 10, offset: 10 }, null);
  assert.notEqual(page2.products[0]?.sku, drinks.products[0]?.sku);
  assert.equal(l.listCatalog({}, 'https://cloud.example').managedBy, 'https://cloud.example');
});

test('the chain catalogue sync still replaces a product and its barcodes (the cloud is master)', () => {
  const l = t.ledger;
  const v1 = l.saveProduct(tea);
  const cloudBarcode = makeEan13('690999000003');
  l.upsertProducts([
    {
      sku: 'TEA-900',
      barcode: cloudBarcode,
      nameZh: '白茶',
      nameEn: 'White tea',
      category: 'drinks',
      priceFen: 6000,
      taxRateBp: 1300,
    },
  ]);
  const now = l.catalogProduct('TEA-900');
  assert.deepEqual(now.barcodes, [cloudBarcode]);
  assert.equal(now.version, v1.version + 1);
  throwsCode(() => l.lookupBarcode(tea.barcodes[1] as string), 'UNKNOWN_BARCODE');
  // a local edit begun before the sync is now a conflict rather than an overwrite
  throwsCode(() => l.saveProduct({ ...tea, expectedVersion: v1.version }), 'VERSION_CONFLICT');
});
