import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { checkBarcode, makeEan13, product as productSchema, type Product } from '../contract';
import { DEMO_PRODUCTS } from './demo-catalog';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
});
afterEach(() => t.cleanup());

const upcItem: Product = {
  sku: 'IMP-001',
  barcode: makeEan13('003600029145'),
  nameZh: '进口饼干',
  nameEn: 'Imported Biscuits',
  category: 'snacks',
  priceFen: 1590,
  taxRateBp: 1300,
};

test('the demo catalogue is valid, deterministic and seeded once', () => {
  assert.ok(DEMO_PRODUCTS.length >= 190 && DEMO_PRODUCTS.length <= 230);
  assert.equal(new Set(DEMO_PRODUCTS.map((p) => p.sku)).size, DEMO_PRODUCTS.length);
  assert.equal(new Set(DEMO_PRODUCTS.map((p) => p.barcode)).size, DEMO_PRODUCTS.length);
  for (const p of DEMO_PRODUCTS) {
    productSchema.parse(p);
    assert.ok(checkBarcode(p.barcode).ok, p.barcode);
    assert.match(p.barcode, /^69[0-3]/);
    assert.ok(p.taxRateBp === 900 || p.taxRateBp === 1300);
    assert.ok(p.priceFen > 0);
  }
  assert.ok(new Set(DEMO_PRODUCTS.map((p) => p.category)).size >= 6);
  assert.equal(t.ledger.productCount(), DEMO_PRODUCTS.length);
  assert.deepEqual(t.ledger.getProduct('DRK-001'), DEMO_PRODUCTS[0]);
});

test('barcode lookup: EAN-13 or UPC-A, clear errors', () => {
  const l = t.ledger;
  const water = DEMO_PRODUCTS[0];
  assert.ok(water);
  assert.deepEqual(l.lookupBarcode(` ${water.barcode} `), water);
  l.upsertProducts([{ ...upcItem, barcode: upcItem.barcode.slice(1) }]); // stored as 13 digits
  assert.equal(l.getProduct('IMP-001').barcode, upcItem.barcode);
  assert.deepEqual(l.lookupBarcode('036000291452'), upcItem);
  assert.deepEqual(l.lookupBarcode('0036000291452'), upcItem);
  throwsCode(() => l.lookupBarcode('12345'), 'INVALID_BARCODE', /12 \(UPC-A\) or 13 \(EAN-13\)/);
  throwsCode(() => l.lookupBarcode('69010001000x1'), 'INVALID_BARCODE', /digits/);
  const wrong = water.barcode.slice(0, 12) + String((Number(water.barcode[12]) + 1) % 10);
  throwsCode(() => l.lookupBarcode(wrong), 'INVALID_BARCODE', /check digit/);
  throwsCode(() => l.lookupBarcode(makeEan13('690000000000')), 'UNKNOWN_BARCODE');
  throwsCode(() => l.getProduct('NOPE'), 'NOT_FOUND');
});

test('search by name (zh or en, any case), SKU prefix or barcode prefix', () => {
  const l = t.ledger;
  assert.ok(l.searchProducts('牛奶').every((p) => p.nameZh.includes('牛奶')));
  assert.ok(l.searchProducts('牛奶').length >= 5);
  const milk = l.searchProducts('WHOLE MILK');
  assert.ok(milk.length >= 2 && milk.every((p) => /whole milk/i.test(p.nameEn)));
  assert.deepEqual(
    l
      .searchProducts('drk-00', 50)
      .map((p) => p.sku)
      .sort(),
    [
      'DRK-001',
      'DRK-002',
      'DRK-003',
      'DRK-004',
      'DRK-005',
      'DRK-006',
      'DRK-007',
      'DRK-008',
      'DRK-009',
    ],
  );
  const code = DEMO_PRODUCTS[5]?.barcode ?? '';
  assert.equal(l.searchProducts(code)[0]?.barcode, code);
  assert.ok(l.searchProducts('6').length > 0);
  assert.equal(l.searchProducts('6', 3).length, 3);
  assert.deepEqual(l.searchProducts('_'), [], 'a literal underscore, not any character');
  assert.deepEqual(l.searchProducts('   '), []);
  // 70% is a literal, not a wildcard.
  assert.deepEqual(
    l.searchProducts('70%').map((p) => p.sku),
    ['SNK-022'],
  );
});

test('upsert validates every product and writes all or nothing', () => {
  const l = t.ledger;
  const before = l.productCount();
  throwsCode(
    () => l.upsertProducts([upcItem, { ...upcItem, sku: 'IMP-002', priceFen: -1 }]),
    'VALIDATION',
  );
  throwsCode(() => l.upsertProducts([{ ...upcItem, barcode: '6901000100002' }]), 'INVALID_BARCODE');
  throwsCode(
    () => l.upsertProducts([upcItem, { ...upcItem, sku: 'IMP-002' }]),
    'VALIDATION',
    /already belongs to IMP-001/,
  );
  assert.equal(l.productCount(), before);
  l.upsertProducts([upcItem]);
  l.upsertProducts([{ ...upcItem, priceFen: 1690 }]);
  assert.equal(l.getProduct('IMP-001').priceFen, 1690);
  assert.equal(l.productCount(), before + 1);
});
