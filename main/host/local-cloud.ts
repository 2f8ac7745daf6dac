/**
 * Where no cloud is configured (POS_CLOUD_URL unset), `npm start` runs the reference cloud on
 * loopback beside the terminal, with its data under <dataDir>/cloud, and the terminal pairs with
 * it itself: a fresh clone has the whole face-pay path on one machine. A chain of shops runs the
 * cloud on its own (`npm run cloud`, on PostgreSQL) and gives each terminal a pairing code.
 *
 * The cloud runs in a worker thread of its own (local-cloud-worker.ts): the till neither waits
 * for its modules to load nor shares an event loop with its database and its 1:N scans.
 */
import { Worker } from 'node:worker_threads';
import type { Logger, PosConfig } from '../core';
import { workerUrl } from '../shared/worker-url';
import { restrictUmask } from '../shared/private-files';
import {
  fromLocalCloud,
  type FromLocalCloud,
  type LocalCloudStart,
  type ToLocalCloud,
} from './local-cloud-messages';

export interface LocalCloud {
  url: string;
  pairingCode(): Promise<string>;
  close(): Promise<void>;
}

/** How long close() waits for the cloud to close its database before ending the thread. */
const CLOSE_TIMEOUT_MS = 10_000;

class LocalCloudError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** `logger` hears of the cloud's thread ending on its own once it has started. */
export function startLocalCloud(config: PosConfig, port = 0, logger?: Logger): Promise<LocalCloud> {
  const start: LocalCloudStart = {
    dataDir: config.dataDir,
    port,
    shopName: config.shopName,
    timezone: config.timezone,
    terminalId: config.terminalId,
  };
  // The umask is the process's and a thread may not set it: the cloud's files (PGlite's folders
  // among them) are made owner-only from here, before its thread starts.
  restrictUmask();
  const worker = new Worker(workerUrl(import.meta.url, 'host', 'local-cloud-worker'), {
    workerData: start,
  });
  const send = (message: ToLocalCloud): void => worker.postMessage(message);
  const codes = new Map<number, { resolve: (code: string) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let exited = false;
  let closing = false;
  const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));

  return new Promise<LocalCloud>((resolveStart, rejectStart) => {
    let started = false;
    const fail = (error: Error): void => {
      for (const pending of codes.values()) pending.reject(error);
      codes.clear();
      if (!started) rejectStart(error);
    };
    worker.on('error', (error) =>
      fail(new LocalCloudError(`the local cloud crashed: ${error.message}`)),
    );
    worker.on('exit', (code) => {
      exited = true;
      if (started && !closing) {
        logger?.error('the local cloud stopped: face pay and sync are offline until a restart', {
          code,
        });
      }
      fail(new LocalCloudError(`the local cloud's thread exited (code ${code})`));
    });
    worker.on('message', (raw: unknown) => {
      const parsed = fromLocalCloud.safeParse(raw);
      if (!parsed.success) return;
      const message: FromLocalCloud = parsed.data;
      switch (message.kind) {
        case 'ready':
          started = true;
          resolveStart(localCloud(message.url));
          return;
        case 'failed':
          rejectStart(new LocalCloudError(message.message, message.code));
          void worker.terminate();
          return;
        case 'pairing-code': {
          const pending = codes.get(message.id);
          codes.delete(message.id);
          if (message.code !== undefined) pending?.resolve(message.code);
          else pending?.reject(new LocalCloudError(message.error ?? 'no pairing code'));
          return;
        }
      }
    });
  });

  function localCloud(url: string): LocalCloud {
    return {
      url,
      pairingCode() {
        if (exited) return Promise.reject(new LocalCloudError('the local cloud has stopped'));
        const id = nextId++;
        return new Promise<string>((resolve, reject) => {
          codes.set(id, { resolve, reject });
          send({ kind: 'pairing-code', id });
        });
      },
      async close() {
        if (exited) return;
        closing = true;
        send({ kind: 'close' });
        const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
        await exit;
        clearTimeout(timer);
      },
    };
  }
}
