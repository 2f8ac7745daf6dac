/**
 * The cloud unreachable for a while: the worker reports offline, its retries back off up to the
 * cap, the till keeps selling, and once the cloud is back everything arrives.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffCeiling } from './backoff';
import { SyncWorker, type WorkerStatus } from './index';
import { startFaultProxy } from './test-support/fault-proxy';
import {
  assertSameTotals,
  openShop,
  outboxState,
  ringUp,
  startShopCloud,
  until,
} from './test-support/shop';

test('the cloud down, then back: offline with growing, capped backoff; then it all arrives', async () => {
  const shop = openShop();
  const cloud = await startShopCloud();
  const proxy = await startFaultProxy(cloud.test.cloud.url);
  proxy.setDown(true);
  const backoff = { baseMs: 20, capMs: 160 };
  const seen: { at: number; status: WorkerStatus }[] = [];
  let sync: SyncWorker | null = null;
  try {
    ringUp(shop.ledger, 10, 31);
    sync = SyncWorker.start({
      ledgerFile: shop.file,
      timezone: 'Asia/Shanghai',
      baseUrl: proxy.url,
      credentials: cloud.credentials,
      settings: { pollMs: 10, statusIntervalMs: 0, catalogIntervalMs: 50, backoff },
      onStatus: (status) => seen.push({ at: Date.now(), status }),
    });
    await until(() => (seen.at(-1)?.status.failures ?? 0) >= 8, 20_000, 'eight failures');

    // Selling goes on, at the till's own pace.
    const started = Date.now();
    ringUp(shop.ledger, 10, 32);
    assert.ok(Date.now() - started < 5_000);

    const failing = seen.filter((s) => s.status.failures > 0).map((s) => s);
    assert.ok(failing.every((s) => s.status.state === 'offline'));
    assert.ok(failing.every((s) => s.status.lastError?.code === 'UNREACHABLE'));
    // Failures count up one by one, each retry no later than the ceiling allows.
    const counts = failing.map((s) => s.status.failures);
    assert.deepEqual(
      counts.slice(0, 8),
      [1, 2, 3, 4, 5, 6, 7, 8],
      `failures in a row: ${counts.join(',')}`,
    );
    for (const { at, status } of failing) {
      const wait = Date.parse(status.retryAt ?? '') - at;
      assert.ok(wait <= backoffCeiling(status.failures, backoff) + 5, `wait ${wait}`);
    }
    assert.equal(backoffCeiling(8, backoff), 160, 'the ceiling reached the cap');
    assert.ok(proxy.counts.refused >= 8);
    assert.ok(shop.ledger.pendingOutboxCount() > 0);

    proxy.setDown(false);
    await until(() => shop.ledger.pendingOutboxCount() === 0, 20_000, 'delivery once back');
    await until(() => sync?.status?.state === 'idle', 5_000, 'idle');
    const back = sync.status as WorkerStatus;
    assert.equal(back.failures, 0);
    assert.equal(back.lastError, null);
    assert.ok(back.lastSuccessAt !== null);

    const { all } = outboxState(shop.file);
    assert.equal((await cloud.storedEvents()).rows, all.length);
    await assertSameTotals(shop, cloud, shop.ledger.businessDate());
  } finally {
    await sync?.stop();
    await proxy.close();
    await cloud.close();
    shop.cleanup();
  }
});
