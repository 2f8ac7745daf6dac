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
  // Every delivery is stored at once but answered late: a kill lands between the cloud storing
  // a batch and the terminal recording the acknowledgement.
  const proxy = await startFaultProxy(cloud.test.cloud.url, ({ path }) =>
    path.startsWith('/v1/events') ? { kind: 'delay', ms: 60, after: true } : { kind: 'pass' },
  );
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

    let storedUnmarked = 0;
    for (const round of [1, 2, 3]) {
      const child = startChild(options);
      children.push(child);
      const before = outboxState(shop.file).delivered.size;
      await until(
        () => outboxState(shop.file).delivered.size >= before + 12,
        30_000,
        `round ${round} to deliver some events`,
      );
      child.kill('SIGKILL');
      assert.equal(await exited(child), 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100)); // let answers to the dead process settle
      const { delivered } = outboxState(shop.file);
      const stored = await cloud.storedEvents();
      assert.ok(delivered.size < total, `round ${round} was killed mid-drain`);
      for (const id of delivered) assert.ok(stored.ids.has(id), 'marked only once stored');
      storedUnmarked += stored.ids.size - delivered.size;
    }
    assert.ok(storedUnmarked > 0, 'some kill landed between the cloud storing and the mark');

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
