/**
 * The sync worker against the real cloud (PGlite, or PostgreSQL when DATABASE_URL is set) on
 * loopback, through a proxy that injects faults: dropped connections, lost acknowledgements,
 * 500s, slow answers past the client's timeout, duplicate deliveries. After each run the cloud's
 * totals equal the terminal's to the fen, no event is stored twice, and no event was ever marked
 * sent before the cloud held it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncWorker, type WorkerStatus } from './index';
import { randomFaults, startFaultProxy, type Fault } from './test-support/fault-proxy';
import {
  assertSameTotals,
  openShop,
  outboxState,
  ringUp,
  startShopCloud,
  until,
} from './test-support/shop';
import { operatorOf } from '../ledger/test-support/helpers';

const FAST = {
  batchSize: 7,
  pipeline: 3,
  pollMs: 10,
  statusIntervalMs: 0,
  requestTimeoutMs: 400,
  backoff: { baseMs: 5, capMs: 60 },
  catalogIntervalMs: 0,
};

test('a day of trading reaches the cloud whole: to the fen, nothing doubled', async () => {
  const shop = openShop();
  const cloud = await startShopCloud();
  const statuses: WorkerStatus[] = [];
  let sync: SyncWorker | null = null;
  try {
    ringUp(shop.ledger, 40, 7);
    sync = SyncWorker.start({
      ledgerFile: shop.file,
      timezone: 'Asia/Shanghai',
      baseUrl: cloud.test.cloud.url,
      credentials: cloud.credentials,
      settings: { ...FAST, requestTimeoutMs: 10_000 },
      onStatus: (s) => statuses.push(s),
    });
    await until(() => shop.ledger.pendingOutboxCount() === 0, 20_000, 'the outbox to drain');
    // The day is closed with a Z report; selling goes on, on the next business day (the same
    // calendar day), while the worker runs.
    const firstDay = shop.ledger.businessDate();
    shop.ledger.closeShift(0, operatorOf(shop.ledger));
    shop.ledger.takeZReport(firstDay);
    ringUp(shop.ledger, 10, 8);
    const nextDay = shop.ledger.businessDate();
    assert.notEqual(nextDay, firstDay);
    await until(() => shop.ledger.pendingOutboxCount() === 0, 20_000, 'the new sales');
    await until(() => statuses.at(-1)?.state === 'idle', 5_000, 'an idle report');

    const { all, delivered } = outboxState(shop.file);
    const stored = await cloud.storedEvents();
    assert.equal(delivered.size, all.length);
    assert.equal(stored.rows, all.length);
    assert.deepEqual([...stored.ids].sort(), [...all].sort());
    await assertSameTotals(shop, cloud, firstDay);
    await assertSameTotals(shop, cloud, nextDay);
    const last = statuses.at(-1) as WorkerStatus;
    assert.equal(last.pendingEvents, 0);
    assert.ok(last.lastSuccessAt !== null);
    assert.ok(statuses.some((s) => s.state === 'syncing'));
  } finally {
    await sync?.stop();
    await cloud.close();
    shop.cleanup();
  }
});

const FAULTS: readonly Fault[] = [
  { kind: 'drop' },
  { kind: 'drop-after' },
  { kind: 'status', status: 500 },
  { kind: 'status', status: 500, after: true },
  { kind: 'status', status: 503 },
  { kind: 'delay', ms: 150 },
  { kind: 'delay', ms: 700 }, // past the client's timeout: the cloud stores, the answer is lost
  { kind: 'delay', ms: 700, after: true },
  { kind: 'duplicate' },
  { kind: 'duplicate', answer: 'second' },
  { kind: 'duplicate', concurrent: true },
];

for (const seed of [11, 12]) {
  test(`faults during sync (seed ${seed}): nothing lost, nothing doubled, marks follow acks`, async () => {
    const shop = openShop();
    const cloud = await startShopCloud();
    const proxy = await startFaultProxy(cloud.test.cloud.url, randomFaults(seed, 0.45, FAULTS));
    let sync: SyncWorker | null = null;
    let violations = 0;
    let sampling = true;
    try {
      ringUp(shop.ledger, 60, seed);
      sync = SyncWorker.start({
        ledgerFile: shop.file,
        timezone: 'Asia/Shanghai',
        baseUrl: proxy.url,
        credentials: cloud.credentials,
        settings: FAST,
      });
      // Throughout: an event marked sent is always one the cloud already holds.
      const sampler = (async () => {
        while (sampling) {
          const { delivered } = outboxState(shop.file);
          const { ids } = await cloud.storedEvents();
          for (const id of delivered) if (!ids.has(id)) violations += 1;
          await new Promise((r) => setTimeout(r, 25));
        }
      })();
      // The till keeps selling during the faults, and no sale waits on the cloud.
      const started = Date.now();
      ringUp(shop.ledger, 20, seed + 100);
      assert.ok(Date.now() - started < 5_000, 'selling does not wait on the sync');

      await until(() => shop.ledger.pendingOutboxCount() === 0, 60_000, 'the outbox to drain');
      sampling = false;
      await sampler;

      assert.equal(violations, 0, 'no event was marked sent before the cloud held it');
      const { all, delivered } = outboxState(shop.file);
      const stored = await cloud.storedEvents();
      assert.equal(delivered.size, all.length);
      assert.equal(stored.rows, all.length, 'each event stored once');
      assert.deepEqual([...stored.ids].sort(), [...all].sort());
      await assertSameTotals(shop, cloud, shop.ledger.businessDate());
      const faulted = Object.entries(proxy.counts)
        .filter(([kind]) => kind !== 'pass')
        .reduce((n, [, c]) => n + c, 0);
      assert.ok(faulted >= 10, `faults were injected: ${JSON.stringify(proxy.counts)}`);
    } finally {
      sampling = false;
      await sync?.stop();
      await proxy.close();
      await cloud.close();
      shop.cleanup();
    }
  });
}
