import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { MAX_IMPORT_ROWS, makeEan13 } from '../contract';
import { parseCsv, UTF8_BOM } from '../shared/csv';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
});
afterEach(() => t.cleanup());

const HEADER = 'sku,barcodes,name_zh,name_en,category,unit,price,tax_rate,active';
const b = (n: number) => makeEan13(`6909990${String(n).padStart(5, '0')}`);
const csv = (...rows: string[]) => `${[HEADER, ...rows].join('\r\n')}\r\n`;

test('preview then apply: new and changed products, several barcodes, the till sees them', () => {
  const l = t.ledger;
  const water = l.catalogProduct('DRK-001');
  const text = csv(
    `NEW-1,${b(1)}|${b(2)},"饼干, 原味","Biscuits ""plain""",snacks,包,12.50,13,1`,
    `DRK-001,${water.barcode},${water.nameZh},${water.nameEn},drinks,瓶,2.5,13,1`,
  );
  const preview = l.previewCatalogImport(text);
  assert.equal(preview.errorCount, 0);
  assert.deepEqual(
    { rows: preview.rows, created: preview.created, updated: preview.updated },
    { rows: 2, created: 1, updated: 1 },
  );
  assert.equal(preview.sample[0]?.nameZh, '饼干, 原味');
  assert.equal(preview.sample[0]?.nameEn, 'Biscuits "plain"');
  // the preview changed nothing
  throwsCode(() => l.lookupBarcode(b(1)), 'UNKNOWN_BARCODE');
  const applied = l.applyCatalogImport(text, preview.digest);
  assert.deepEqual(applied, { created: 1, updated: 1, unchanged: 0 });
  assert.equal(l.lookupBarcode(b(2)).priceFen, 1250);
  assert.equal(l.catalogProduct('DRK-001').priceFen, 250);
  assert.equal(l.catalogProduct('DRK-001').version, water.version + 1);
  // the same file again changes nothing
  const again = l.previewCatalogImport(text);
  assert.deepEqual([again.created, again.updated, again.unchanged], [0, 0, 2]);
});

test('wrong columns are refused as a whole with the expected columns named', () => {
  const l = t.ledger;
  throwsCode(
    () => l.previewCatalogImport('sku,barcode,name,price\r\nA,1,x,1\r\n'),
    'VALIDATION',
    /unknown column "barcode": the columns are sku, barcodes, name_zh/,
  );
  throwsCode(
    () => l.previewCatalogImport('sku,barcodes,name_zh,category,price\r\n'),
    'VALIDATION',
    /lacks column tax_rate/,
  );
  throwsCode(() => l.previewCatalogImport(`${HEADER},sku\r\n`), 'VALIDATION', /twice/);
  throwsCode(() => l.previewCatalogImport(''), 'VALIDATION', /empty/);
});

test('row-level errors: three decimals, duplicate barcodes and SKUs, a barcode of another product; apply changes nothing', () => {
  const l = t.ledger;
  const water = l.getProduct('DRK-001');
  const text = csv(
    `OK-1,${b(10)},好的,Fine,snacks,件,1.00,13,1`,
    `BAD-1,${b(11)},三位小数,Three decimals,snacks,件,12.345,13,1`,
    `BAD-2,${b(10)},重复条码,Dup barcode,snacks,件,1,13,1`,
    `OK-1,${b(12)},重复编号,Dup SKU,snacks,件,1,13,1`,
    `BAD-3,${water.barcode},抢条码,Taken,snacks,件,1,13,1`,
    `BAD-4,${b(13)},,No name,snacks,件,1,13,1`,
    `BAD-5,${b(14)},税率,Tax,snacks,件,1,abc,1`,
    `BAD-6,${b(15)},short row`,
  );
  const preview = l.previewCatalogImport(text);
  assert.equal(preview.rows, 8);
  assert.equal(preview.created, 1);
  assert.deepEqual(
    preview.errors.map((e) => [e.line, e.column]),
    [
      [3, 'price'],
      [4, 'barcodes'],
      [5, 'sku'],
      [6, 'barcodes'],
      [7, 'name_zh'],
      [8, 'tax_rate'],
      [9, null],
    ],
  );
  assert.deepEqual(
    preview.errors.map((e) => e.problem),
    [
      'priceDecimals',
      'duplicateBarcode',
      'duplicateSku',
      'barcodeTaken',
      'invalid',
      'taxRate',
      'cellCount',
    ],
  );
  assert.deepEqual(preview.errors[3]?.values, { barcode: water.barcode, sku: 'DRK-001' });
  assert.match(preview.errors[0]?.message ?? '', /12\.345 has more than two decimals/);
  assert.match(preview.errors[1]?.message ?? '', /also on line 2 \(OK-1\)/);
  assert.match(preview.errors[3]?.message ?? '', /already belongs to DRK-001/);
  const count = l.productCount();
  throwsCode(
    () => l.applyCatalogImport(text, preview.digest),
    'VALIDATION',
    /7 row\(s\) have errors .* nothing was changed/,
  );
  assert.equal(l.productCount(), count);
  throwsCode(() => l.lookupBarcode(b(10)), 'UNKNOWN_BARCODE');
});

test('apply takes only the file previewed', () => {
  const l = t.ledger;
  const text = csv(`OK-1,${b(20)},好的,Fine,snacks,件,1.00,13,1`);
  const preview = l.previewCatalogImport(text);
  throwsCode(
    () => l.applyCatalogImport(text.replace('1.00', '0.01'), preview.digest),
    'VALIDATION',
    /not the one previewed/,
  );
});

test('barcodes may move between products of one file', () => {
  const l = t.ledger;
  const [w1, w2] = [l.catalogProduct('DRK-001'), l.catalogProduct('DRK-002')];
  const text = csv(
    `DRK-001,${w2.barcode},${w1.nameZh},,drinks,瓶,2,13,1`,
    `DRK-002,${w1.barcode},${w2.nameZh},,drinks,瓶,4.5,13,1`,
  );
  const preview = l.previewCatalogImport(text);
  assert.equal(preview.errorCount, 0, JSON.stringify(preview.errors));
  l.applyCatalogImport(text, preview.digest);
  assert.equal(l.lookupBarcode(w2.barcode).sku, 'DRK-001');
  assert.equal(l.lookupBarcode(w1.barcode).sku, 'DRK-002');
});

test(`more than ${MAX_IMPORT_ROWS} rows (100,000) is refused with the limit, nothing read past it`, () => {
  const rows = Array.from(
    { length: 100_000 },
    (_, i) => `S${i},${makeEan13(`69199${String(i).padStart(7, '0')}`)},名,Name,x,件,1,13,1`,
  );
  throwsCode(
    () => t.ledger.previewCatalogImport(csv(...rows)),
    'TOO_LARGE',
    new RegExp(`more than ${MAX_IMPORT_ROWS} rows`),
  );
});

test('export: BOM, CRLF, RFC 4180 quoting, formula cells defused; it imports back unchanged', () => {
  const l = t.ledger;
  l.saveProduct({
    sku: 'Q-1',
    barcodes: [b(30), b(31)],
    nameZh: '=HYPERLINK("x")',
    nameEn: 'Line\nbreak, comma',
    category: 'snacks',
    unit: '包',
    priceFen: 1205,
    taxRateBp: 650,
    active: false,
    expectedVersion: null,
  });
  const text = l.exportCatalogCsv();
  assert.ok(text.startsWith(UTF8_BOM + 'sku,barcodes,name_zh'));
  assert.ok(text.endsWith('\r\n'));
  const records = parseCsv(text);
  assert.equal(records.length, l.productCount() + 1);
  const row = records.find((r) => r.fields[0] === 'Q-1');
  assert.deepEqual(row?.fields, [
    'Q-1',
    `${b(30)}|${b(31)}`,
    `'=HYPERLINK("x")`,
    'Line\nbreak, comma',
    'snacks',
    '包',
    '12.05',
    '6.5',
    '0',
  ]);
  assert.match(text, /"'=HYPERLINK\(""x""\)","Line\nbreak, comma"/);
  const preview = l.previewCatalogImport(text);
  assert.equal(preview.errorCount, 0, JSON.stringify(preview.errors.slice(0, 3)));
  assert.equal(preview.unchanged, l.productCount());
});
