import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bpToPercentInput, draftOf, EMPTY_FORM, formOf } from './catalogForm';

test('the form becomes a draft in fen and basis points, without floating point', () => {
  const r = draftOf(
    {
      ...EMPTY_FORM,
      sku: ' TEA-1 ',
      barcodes: '6901234567892, 036000291452',
      nameZh: '茶',
      category: 'drinks',
      price: '12.35',
      taxRate: '6.5%',
    },
    3,
  );
  assert.ok(r.ok);
  assert.equal(r.draft.sku, 'TEA-1');
  assert.deepEqual(r.draft.barcodes, ['6901234567892', '036000291452']);
  assert.equal(r.draft.priceFen, 1235);
  assert.equal(r.draft.taxRateBp, 650);
  assert.equal(r.draft.expectedVersion, 3);
});

test('three decimals in a price or a tax rate over 100 % is the field at fault', () => {
  assert.deepEqual(draftOf({ ...EMPTY_FORM, price: '1.005' }, null), { ok: false, field: 'price' });
  assert.deepEqual(draftOf({ ...EMPTY_FORM, price: '1', taxRate: '101' }, null), {
    ok: false,
    field: 'taxRate',
  });
});

test('a product fills the form back: 13 %, 6.5 %, 0 %', () => {
  assert.deepEqual([1300, 650, 0, 1225].map(bpToPercentInput), ['13', '6.5', '0', '12.25']);
  const form = formOf({
    sku: 'A',
    barcode: '6901234567892',
    barcodes: ['6901234567892', '0036000291452'],
    nameZh: '甲',
    nameEn: 'A',
    category: 'x',
    unit: '瓶',
    priceFen: 1250,
    taxRateBp: 900,
    active: false,
    version: 4,
  });
  assert.equal(form.price, '12.50');
  assert.equal(form.barcodes, '6901234567892 0036000291452');
  assert.equal(form.taxRate, '9');
});
