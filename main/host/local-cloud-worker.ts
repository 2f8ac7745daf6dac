/**
 * The thread the reference cloud runs in when it runs beside the terminal (local-cloud.ts).
 * Its own thread keeps its module loading (PGlite, pg, the face pipeline for photo enrolment)
 * out of the till's start, and its queries and 1:N scans off the till's event loop.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { startCloud, type RunningCloud } from '../../cloud/server';
import {
  LOCAL_STORE_ID,
  toLocalCloud,
  type FromLocalCloud,
  type LocalCloudStart,
} from './local-cloud-messages';

const start = workerData as LocalCloudStart;
const port = parentPort;
if (port === null) throw new Error('local-cloud-worker.ts runs as a worker thread');
const post = (message: FromLocalCloud): void => port.postMessage(message);

let cloud: RunningCloud | null = null;

port.on('message', (raw: unknown) => {
  const parsed = toLocalCloud.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  if (message.kind === 'pairing-code') {
    const running = cloud;
    if (running === null) {
      post({ kind: 'pairing-code', id: message.id, error: 'the local cloud is not running' });
      return;
    }
    running.createPairingCode(LOCAL_STORE_ID, start.terminalId).then(
      ({ code }) => post({ kind: 'pairing-code', id: message.id, code }),
      (error: unknown) => post({ kind: 'pairing-code', id: message.id, error: messageOf(error) }),
    );
    return;
  }
  const closing = cloud?.close() ?? Promise.resolve();
  cloud = null;
  // Ends the thread once the database is closed, whatever timers a library left behind.
  void closing.finally(() => process.exit(0));
});

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// The terminal's own cloud keeps its data in the terminal's data directory (PGlite), whatever
// DATABASE_URL or CLOUD_* the shell holds (the empty env below): those configure a cloud run on
// its own, and a shared database would mix this terminal's payers and sales with another's.
startCloud(
  {
    dataDir: join(start.dataDir, 'cloud'),
    host: '127.0.0.1',
    port: start.port,
    timezone: start.timezone,
    logger: false,
  },
  {},
)
  .then(async (running) => {
    try {
      await running.ensureStore(LOCAL_STORE_ID, start.shopName, start.timezone);
    } catch (error) {
      // Half started: close the database cleanly before the thread is ended.
      await running.close().catch(() => undefined);
      throw error;
    }
    cloud = running;
    post({ kind: 'ready', url: running.url });
  })
  .catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    post({
      kind: 'failed',
      message: messageOf(error),
      ...(typeof code === 'string' ? { code } : {}),
    });
  });
