/**
 * An outbox event that cannot be delivered (the cloud refuses it, or it cannot be mapped) is
 * kept in the outbox and reported, and does not hold up the events after it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { uuidv7 } from '../ledger/ids';
import { SyncWorker } from './index';
import { openShop, outboxState, ringUp, startShopCloud, until } from './test-support/shop';

function appendRaw(file: string, type: string, payload: unknown): string {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    const id = uuidv7(Date.now());
    db.prepare('INSERT INTO outbox (id, type, payload, created_at) VALUES (?, ?, ?, ?)').run(
      id,
      type,
      JSON.stringify(payload),
      new Date().toISOString(),
    );
    return id;
  } finally {
    db.close();
  }
}

test('a bad event stays in the outbox, reported, and the rest flows past it', async () => {
  const shop = openShop();
  const cloud = await startShopCloud();
  let sync: SyncWorker | null = null;
  try {
    ringUp(shop.ledger, 5, 41);
    // The cloud refuses this one (an unknown payment method in a money event)…
    const refused = appendRaw(shop.file, 'sale.completed', {
      id: 'S-bad',
      receiptNo: 'T01-999999',
      totalFen: 100,
      taxFen: 0,
      payments: [{ method: 'barter', amountFen: 100 }],
    });
    // …and this one cannot even be mapped to the cloud's event.
    const unmappable = appendRaw(shop.file, 'refund.created', null);
    ringUp(shop.ledger, 5, 42);

    sync = SyncWorker.start({
      ledgerFile: shop.file,
      timezone: 'Asia/Shanghai',
      baseUrl: cloud.test.cloud.url,
      credentials: cloud.credentials,
      settings: { batchSize: 4, pollMs: 10, statusIntervalMs: 0, catalogIntervalMs: 0 },
    });
    await until(() => shop.ledger.pendingOutboxCount() === 2, 20_000, 'all but the bad two');
    await until(
      () => sync?.status?.refusedEvents === 2 && sync.status.state === 'error',
      5_000,
      'the refusals reported',
    );
    const status = sync.status;
    assert.equal(status?.state, 'error');
    assert.ok(status?.lastError !== null);
    assert.deepEqual(
      shop.ledger
        .pendingOutbox(10)
        .map((e) => e.id)
        .sort(),
      [refused, unmappable].sort(),
    );
    const { all } = outboxState(shop.file);
    const stored = await cloud.storedEvents();
    assert.equal(stored.rows, all.length - 2);
    assert.ok(!stored.ids.has(refused) && !stored.ids.has(unmappable));
  } finally {
    await sync?.stop();
    await cloud.close();
    shop.cleanup();
  }
});
