/**
 * The sync worker thread: its own SQLite connection to the ledger (SyncStore), its own cloud
 * client, and the sync loop (engine.ts). The main thread only receives status; selling never
 * waits on anything here beyond SQLite's own locking of a short write.
 */
import { parentPort, workerData as rawWorkerData } from 'node:worker_threads';
import { CloudClient } from '../../cloud/client';
import { SyncStore } from '../ledger';
import { SyncEngine } from './engine';
import { toWorker, workerData, type FromWorker } from './messages';

if (parentPort === null) throw new Error('main/sync/worker.ts must run as a worker thread');
const port = parentPort;
const post = (message: FromWorker): void => port.postMessage(message);

const options = workerData.parse(rawWorkerData);
const store = SyncStore.open({
  file: options.ledgerFile,
  timezone: options.timezone,
  busyTimeoutMs: options.settings.busyTimeoutMs,
});
const engine = new SyncEngine({
  store,
  cloud: new CloudClient({
    baseUrl: options.baseUrl,
    credentials: options.credentials,
    timeoutMs: options.settings.requestTimeoutMs,
  }),
  cloudTerminalId: options.credentials.terminalId,
  catalogSource: options.baseUrl,
  settings: options.settings,
  report: (status) => post({ type: 'status', status }),
  log: (level, message, fields) =>
    post(
      fields === undefined
        ? { type: 'log', level, message }
        : { type: 'log', level, message, fields },
    ),
  onCatalog: (change) => post({ type: 'catalog', ...change }),
  onAnchor: (verdict) => post({ type: 'anchor', ...verdict }),
});

port.on('message', (raw: unknown) => {
  const parsed = toWorker.safeParse(raw);
  if (!parsed.success) {
    post({ type: 'log', level: 'warn', message: 'sync worker: malformed message ignored' });
    return;
  }
  if (parsed.data.type === 'kick') engine.kick();
  else engine.stop();
});

void engine
  .run()
  .catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    post({ type: 'log', level: 'error', message: `sync worker failed: ${message.slice(0, 500)}` });
    process.exitCode = 1;
  })
  .finally(() => {
    store.close();
    post({ type: 'stopped' });
    port.close();
  });
