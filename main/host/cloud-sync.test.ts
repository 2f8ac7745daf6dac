/**
 * The terminal linking its cloud beside the till: the reference cloud run here (paired by
 * itself), a remote cloud paired with a code (then with the kept credentials after a restart),
 * and no cloud at all. In every case the till sells at once, and the screens' sync status follows
 * the sync worker.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startTestCloud } from '../../cloud/test-support';
import type { SyncStatus } from '../contract';
import { createPosCore, silentLogger, type PosCore } from '../core';
import { call, managerSession, refusal, signInCashier } from '../core/test-support/calls';
import { startCloudSync } from './cloud-sync';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newCore(dataDir = mkdtempSync(join(tmpdir(), 'pos-cloud-sync-'))): PosCore {
  dirs.push(dataDir);
  return createPosCore({
    dataDir,
    shopName: 'Test Shop',
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
    defaultLocale: 'en',
  });
}

async function sell(core: PosCore): Promise<void> {
  if ((await call(core, 'auth.current', {})) === null) await signInCashier(core);
  if ((await call(core, 'shift.current', {})) === null) {
    await call(core, 'shift.open', { floatFen: 0 });
  }
  const sale = await call(core, 'sale.addItem', { sku: 'DRK-001', qty: 2 });
  await call(core, 'sale.pay', { saleId: sale.id, method: 'qr', amountFen: sale.dueFen });
}

function statusEvents(core: PosCore): SyncStatus[] {
  const seen: SyncStatus[] = [];
  core.onEvent((name, payload) => {
    if (name === 'sync.status') seen.push(payload as SyncStatus);
  });
  return seen;
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const FAST = { pollMs: 20, statusIntervalMs: 0 };

test('no cloud configured: the reference cloud runs here, pairs, and the sales reach it', async () => {
  const core = newCore();
  const seen = statusEvents(core);
  // The local cloud on PGlite in the data directory (startCloud reads DATABASE_URL itself).
  const databaseUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  const env = { ...process.env };
  delete env.POS_CLOUD_URL;
  const cloud = startCloudSync({
    core,
    logger: silentLogger,
    argv: ['--cloud-port', '0'],
    env,
    syncSettings: FAST,
  });
  try {
    // The till sells before the cloud is there.
    assert.equal(core.cloud, null);
    await sell(core);
    assert.equal((await call(core, 'sync.status', {})).state, 'offline');

    const linked = await cloud.linked;
    if (databaseUrl !== undefined) process.env.DATABASE_URL = databaseUrl;
    assert.equal(linked?.local, true);
    const link = (core as { cloud: PosCore['cloud'] }).cloud;
    assert.equal(link?.baseUrl, linked?.url);
    assert.equal(link?.credentials.storeId, 'local-shop');
    await sell(core);
    await until(
      async () => {
        const s = await call(core, 'sync.status', {});
        return s.state === 'idle' && s.pendingEvents === 0;
      },
      20_000,
      'the sales to reach the cloud',
    );
    assert.ok(seen.some((s) => s.state === 'syncing' || s.state === 'idle'));
    assert.ok((await call(core, 'sync.status', {})).lastSuccessAt !== null);
    // The reference cloud run here is the shop's own: the manager edits the catalogue here.
    await managerSession(core);
    assert.equal((await call(core, 'catalog.list', { limit: 1 })).managedBy, null);
    const water = await call(core, 'catalog.get', { sku: 'DRK-001' });
    const { version, barcode: _primary, ...rest } = water;
    const saved = await call(core, 'catalog.save', {
      ...rest,
      priceFen: water.priceFen + 10,
      expectedVersion: version,
    });
    assert.equal(saved.version, version + 1);
  } finally {
    if (databaseUrl !== undefined) process.env.DATABASE_URL = databaseUrl;
    await cloud.stop();
    core.close();
  }
  assert.equal(core.cloud, null);
});

test('a remote cloud: paired with a code once, then with the kept credentials', async () => {
  const remote = await startTestCloud({ logger: false });
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-cloud-sync-'));
  try {
    await remote.admin.createStore({ storeId: 'shop-remote', name: 'Remote Shop' });
    const { code } = await remote.admin.pairingCode('shop-remote', 'till');
    const env = { POS_CLOUD_URL: `${remote.cloud.url}/`, POS_CLOUD_PAIRING_CODE: code };

    let core = newCore(dataDir);
    let cloud = startCloudSync({ core, logger: silentLogger, argv: [], env, syncSettings: FAST });
    try {
      assert.deepEqual(await cloud.linked, { url: remote.cloud.url, local: false });
      await sell(core);
      await until(() => core.ledger.pendingOutboxCount() === 0, 20_000, 'delivery');
    } finally {
      await cloud.stop();
      core.close();
    }

    // Restarted without the (now used) code: the kept credentials are enough.
    core = newCore(dataDir);
    cloud = startCloudSync({
      core,
      logger: silentLogger,
      argv: [],
      env: { POS_CLOUD_URL: remote.cloud.url },
      syncSettings: FAST,
    });
    try {
      assert.ok((await cloud.linked) !== null);
      await sell(core);
      await until(() => core.ledger.pendingOutboxCount() === 0, 20_000, 'delivery again');
      const report = await remote.admin.storeDailyReport('shop-remote', core.ledger.businessDate());
      assert.equal(report.salesCount, 2);
    } finally {
      await cloud.stop();
      core.close();
    }
  } finally {
    await remote.close();
  }
});

test('a remote cloud this terminal is not paired with, and no code: it sells offline', async () => {
  const core = newCore();
  const logged: string[] = [];
  const cloud = startCloudSync({
    core,
    logger: { ...silentLogger, error: (m) => logged.push(m) },
    argv: [],
    env: { POS_CLOUD_URL: 'http://127.0.0.1:9' },
  });
  try {
    assert.equal(await cloud.linked, null);
    assert.match(logged.join('\n'), /POS_CLOUD_PAIRING_CODE/);
    // A chain's cloud is the catalogue's master even before it answers: no local edits.
    await managerSession(core);
    const water = await call(core, 'catalog.get', { sku: 'DRK-001' });
    const { version, barcode: _primary, ...rest } = water;
    assert.equal(
      await refusal(core, 'catalog.save', { ...rest, priceFen: 1, expectedVersion: version }),
      'CATALOG_MANAGED_BY_CLOUD',
    );
    assert.equal((await call(core, 'catalog.list', { limit: 1 })).managedBy, 'http://127.0.0.1:9');
    await sell(core);
    const status = await call(core, 'sync.status', {});
    assert.equal(status.state, 'offline');
    assert.ok(status.pendingEvents > 0);
  } finally {
    await cloud.stop();
    core.close();
  }
});
