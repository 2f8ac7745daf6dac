/** The worker thread's handle: a worker that cannot run is reported and started again. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { SyncWorker, type WorkerStatus } from './index';

test('a worker that dies is reported as an error and started again after a backoff', async () => {
  const seen: WorkerStatus[] = [];
  const logged: string[] = [];
  const sync = SyncWorker.start({
    // No ledger there: the worker cannot open it and exits.
    ledgerFile: join(import.meta.dirname, 'no-such-ledger.db'),
    timezone: 'Asia/Shanghai',
    baseUrl: 'http://127.0.0.1:9',
    credentials: {
      terminalId: 'trm_test',
      storeId: 'store',
      secret: 'x'.repeat(43),
      identifyPublicKey: 'y'.repeat(43),
    },
    logger: {
      info: (m) => logged.push(m),
      warn: (m) => logged.push(m),
      error: (m) => logged.push(m),
    },
    onStatus: (s) => seen.push(s),
  });
  const deadline = Date.now() + 10_000;
  while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  const started = Date.now();
  await sync.stop();
  assert.ok(Date.now() - started < 2_000, 'stop does not wait for the restart');
  const status = seen[0] as WorkerStatus;
  assert.equal(status.state, 'error');
  assert.equal(status.lastError?.code, 'WORKER_EXITED');
  assert.ok(status.retryAt !== null);
  assert.match(logged.join('\n'), /sync worker crashed/);
  assert.match(logged.join('\n'), /starting it again/);
});
