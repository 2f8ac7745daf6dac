import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeEan13 } from '../../main/contract';
import type { CatalogResponse } from '../api';
import type { CloudClient } from '../client/index';
import { databaseLabel, startTestCloud, type TestCloud } from '../test-support';

const product = (n: number, priceFen = 100 + n) => ({
  sku: `SKU-${n}`,
  barcode: makeEan13(`69${String(n).padStart(10, '0')}`),
  nameZh: `商品${n}`,
  nameEn: `Item ${n}`,
  category: 'snacks',
  priceFen,
  taxRateBp: 1300,
});

describe(`catalog pull (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;

  before(async () => {
    t = await startTestCloud();
    terminal = await t.pairedTerminal();
  });
  after(() => t.close());

  it('gives what changed since a version, page by page, including price changes and withdrawals', async () => {
    assert.deepEqual(await terminal.pullCatalog(), { products: [], version: 0, hasMore: false });
    await t.admin.upsertProducts(Array.from({ length: 25 }, (_, i) => product(i)));

    const seen = new Map<string, CatalogResponse['products'][number]>();
    let version = 0;
    for (let more = true; more;) {
      const page = await terminal.pullCatalog(version, 10);
      for (const p of page.products) seen.set(p.sku, p);
      version = page.version;
      more = page.hasMore;
    }
    assert.equal(seen.size, 25);
    const { version: changedAt, ...three } = seen.get('SKU-3') ?? { version: 0 };
    assert.deepEqual(three, { ...product(3), active: true });
    assert.ok(changedAt > 0 && changedAt <= version);

    await t.admin.upsertProducts([product(3, 999), { ...product(7), active: false }]);
    const changes = await terminal.pullCatalog(version);
    assert.deepEqual(
      changes.products.map((p) => [p.sku, p.priceFen, p.active]),
      [
        ['SKU-3', 999, true],
        ['SKU-7', 107, false],
      ],
    );
    assert.deepEqual(await terminal.pullCatalog(changes.version), {
      products: [],
      version: changes.version,
      hasMore: false,
    });
  });

  it('refuses a product that breaks the contract', async () => {
    await assert.rejects(t.admin.upsertProducts([{ ...product(1), barcode: '123' }]), {
      code: 'VALIDATION',
      field: 'body.products.0.barcode',
    });
    await assert.rejects(t.admin.upsertProducts([{ ...product(1), priceFen: 1.5 }]), {
      code: 'VALIDATION',
    });
  });
});
