/**
 * The manager's catalogue through the core, as a screen calls it: manager-only (a cashier's
 * session is refused), refused where a chain's cloud is the master, a CSV import uploaded in
 * parts, previewed and applied, and a product added here scanning at the till at once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { makeEan13, MAX_IMPORT_PART_CHARS, type Channel, type ProductDraft } from '../contract';
import { createPosCore, type PosCore } from './core';
import { call, callerFor, managerSession, refusal, signInCashier } from './test-support/calls';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newCore(): PosCore {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-core-catalog-'));
  dirs.push(dataDir);
  return createPosCore({
    dataDir,
    shopName: 'Test Shop',
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
    defaultLocale: 'zh-CN',
  });
}

const draft: ProductDraft = {
  sku: 'NEW-001',
  barcodes: [makeEan13('690888000001')],
  nameZh: '新品 酸奶',
  nameEn: 'New yoghurt',
  category: 'dairy',
  unit: '杯',
  priceFen: 650,
  taxRateBp: 900,
  active: true,
  expectedVersion: null,
};

const MANAGER_CHANNELS: [Channel, unknown][] = [
  ['catalog.list', {}],
  ['catalog.get', { sku: 'DRK-001' }],
  ['catalog.save', draft],
  ['catalog.importUpload', { part: 'sku\r\n', first: true }],
  ['catalog.importPreview', {}],
  ['catalog.importApply', { digest: '0'.repeat(64) }],
  ['catalog.export', {}],
];

test("attack: a cashier's session (signed in at the till) cannot read or change the catalogue", async () => {
  const core = newCore();
  try {
    await signInCashier(core);
    for (const [channel, payload] of MANAGER_CHANNELS)
      assert.equal(await refusal(core, channel, payload), 'MANAGER_REQUIRED', channel);
    // the customer display cannot either, even with a manager session open elsewhere
    await managerSession(core);
    for (const [channel, payload] of MANAGER_CHANNELS)
      assert.equal(
        await refusal(core, channel, payload, callerFor(core, 'customer')),
        'FORBIDDEN',
        channel,
      );
    // the manager session is this screen's, not another staff screen's
    const other = core.openCaller('staff');
    assert.equal(await refusal(core, 'catalog.save', draft, other), 'MANAGER_REQUIRED');
    assert.equal(core.ledger.listCatalog({ query: 'NEW-001' }, null).total, 0);
  } finally {
    core.close();
  }
});

test('the manager adds a product and it scans at the till at once; a stale edit is a conflict', async () => {
  const core = newCore();
  try {
    await managerSession(core);
    const saved = await call(core, 'catalog.save', draft);
    assert.equal(saved.version, 1);
    await signInCashier(core);
    await call(core, 'shift.open', { floatFen: 0 });
    const sale = await call(core, 'sale.addItem', { barcode: draft.barcodes[0] as string });
    assert.equal(sale.lines[0]?.sku, 'NEW-001');
    assert.equal(sale.lines[0]?.unitPriceFen, 650);
    await call(core, 'catalog.save', { ...draft, priceFen: 700, expectedVersion: 1 });
    assert.equal(
      await refusal(core, 'catalog.save', { ...draft, priceFen: 800, expectedVersion: 1 }),
      'VERSION_CONFLICT',
    );
    const current = await call(core, 'sale.current', {});
    assert.equal(current?.lines[0]?.unitPriceFen, 650, 'the line rung up keeps its price');
  } finally {
    core.close();
  }
});

test('where a chain cloud is the master, edits and imports are refused with where to edit', async () => {
  const core = newCore();
  try {
    await managerSession(core);
    core.setCatalogMaster('https://cloud.chain.example');
    const err = await core.dispatch('catalog.save', draft, callerFor(core));
    assert.ok(!err.ok);
    assert.equal(err.error.code, 'CATALOG_MANAGED_BY_CLOUD');
    assert.match(err.error.message, /edit it there/);
    assert.equal(
      await refusal(core, 'catalog.importUpload', { part: 'x', first: true }),
      'CATALOG_MANAGED_BY_CLOUD',
    );
    // reading and exporting still work, and the list says who is master
    const list = await call(core, 'catalog.list', { limit: 5 });
    assert.equal(list.managedBy, 'https://cloud.chain.example');
    assert.ok((await call(core, 'catalog.export', {})).csv.includes('DRK-001'));
  } finally {
    core.close();
  }
});

test('a CSV import in parts: upload, preview with row errors, fix, apply all at once', async () => {
  const core = newCore();
  try {
    await managerSession(core);
    const header = 'sku,barcodes,name_zh,name_en,category,unit,price,tax_rate,active\r\n';
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `IMP-${i},${makeEan13(`69077${String(i).padStart(7, '0')}`)},导入商品 ${i},Imported ${i},imports,件,${1 + (i % 50)}.50,13,1\r\n`,
    );
    const upload = async (text: string) => {
      for (let at = 0; at < text.length; at += MAX_IMPORT_PART_CHARS)
        await call(core, 'catalog.importUpload', {
          part: text.slice(at, at + MAX_IMPORT_PART_CHARS),
          first: at === 0,
        });
    };
    const bad = header + rows.join('') + 'IMP-X,123,坏,Bad,imports,件,1.999,13,1\r\n';
    await upload(bad);
    const preview = await call(core, 'catalog.importPreview', {});
    assert.equal(preview.rows, 3001);
    assert.equal(preview.errorCount, 1);
    assert.deepEqual([preview.errors[0]?.line, preview.errors[0]?.column], [3002, 'price']);
    assert.equal(
      await refusal(core, 'catalog.importApply', { digest: preview.digest }),
      'VALIDATION',
    );
    assert.equal(core.ledger.listCatalog({ category: 'imports' }, null).total, 0);

    await upload(header + rows.join(''));
    const good = await call(core, 'catalog.importPreview', {});
    assert.equal(good.errorCount, 0);
    assert.deepEqual(await call(core, 'catalog.importApply', { digest: good.digest }), {
      created: 3000,
      updated: 0,
      unchanged: 0,
    });
    assert.equal(core.ledger.lookupBarcode(makeEan13('690770000042')).sku, 'IMP-42');
    // the upload is spent: applying again needs the file again
    assert.equal(await refusal(core, 'catalog.importApply', { digest: good.digest }), 'VALIDATION');
  } finally {
    core.close();
  }
});
