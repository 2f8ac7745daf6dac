/**
 * The terminal killed mid-sync (SIGKILL of the process running the sync worker, while batches
 * the cloud has stored are still unacknowledged), then started again: it converges, with every
 * event stored once and the cloud's totals equal to the terminal's to the fen.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SyncWorkerOptions } from './index';
import { startFaultProxy } from './test-support/fault-proxy';
import {
  assertSameTotals,
  openShop,
  outboxState,
  ringUp,
  startShopCloud,
  until,
} from './test-support/shop';

const CHILD = join(import.meta.dirname, 'test-support/sync-child.ts');

function startChild(options: SyncWorkerOptions): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

function exited(child: ChildProcess): Promise<NodeJS.Signals | number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve(child.signalCode ?? child.exitCode);
      return;
    }
    child.once('exit', (code, signal) => resolve(signal ?? code));
  });
}

test('killed mid-sync and restarted: converges with nothing doubled', async () => {
  const shop = openShop();
  const cloud = await startShopCloud();
  // Deliveries are stored at once and answered late; once a round has delivered some, the next
  // delivery is stored and its answer held back, and the process is killed in that window:
  // between the cloud storing a batch and the terminal recording the acknowledgement.
  let holdNext = false;
  const proxy = await startFaultProxy(cloud.test.cloud.url, ({ path }) => {
    if (!path.startsWith('/v1/events')) return { kind: 'pass' };
    if (holdNext) {
      holdNext = false;
      return { kind: 'hold' };
    }
    return { kind: 'delay', ms: 60, after: true };
  });
  const children: ChildProcess[] = [];
  try {
    ringUp(shop.ledger, 120, 21);
    const total = outboxState(shop.file).all.length;
    const options: SyncWorkerOptions = {
      ledgerFile: shop.file,
      timezone: 'Asia/Shanghai',
      baseUrl: proxy.url,
      credentials: cloud.credentials,
      settings: {
        batchSize: 4,
        pipeline: 2,
        pollMs: 10,
        statusIntervalMs: 0,
        catalogIntervalMs: 0,
        backoff: { baseMs: 5, capMs: 50 },
      },
    };

    for (const round of [1, 2, 3]) {
      const child = startChild(options);
      children.push(child);
      const before = outboxState(shop.file).delivered.size;
      await until(
        () => outboxState(shop.file).delivered.size >= before + 12,
        30_000,
        `round ${round} to deliver some events`,
      );
      holdNext = true;
      await until(() => proxy.held >= round, 30_000, `round ${round}'s held batch to be stored`);
      child.kill('SIGKILL');
      assert.equal(await exited(child), 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100)); // let answers to the dead process settle
      const { delivered } = outboxState(shop.file);
      const stored = await cloud.storedEvents();
      assert.ok(delivered.size < total, `round ${round} was killed mid-drain`);
      for (const id of delivered) assert.ok(stored.ids.has(id), 'marked only once stored');
      const storedUnmarked = [...stored.ids].filter((id) => !delivered.has(id));
      assert.ok(
        storedUnmarked.length >= 1,
        `round ${round}: the held batch is stored and, unacknowledged, left unmarked`,
      );
    }

    proxy.setPolicy(() => ({ kind: 'pass' }));
    const last = startChild(options);
    children.push(last);
    await until(() => shop.ledger.pendingOutboxCount() === 0, 30_000, 'the restart to converge');
    last.kill('SIGTERM');
    assert.equal(await exited(last), 0);

    const { all, delivered } = outboxState(shop.file);
    const stored = await cloud.storedEvents();
    assert.equal(delivered.size, total);
    assert.equal(all.length, total);
    assert.equal(stored.rows, total, 'each event stored once');
    await assertSameTotals(shop, cloud, shop.ledger.businessDate());
    assert.equal(shop.ledger.verifyAudit().ok, true);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await proxy.close();
    await cloud.close();
    shop.cleanup();
  }
});
