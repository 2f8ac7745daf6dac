/**
 * The sync worker's handle in the main thread. `SyncWorker.start` returns at once: the worker
 * opens its own connection to the ledger file and talks to the cloud on its own; the main
 * thread only hears its status (to show in the status bar and on the manager's screen). A worker
 * that dies unexpectedly is started again after a backoff.
 *
 *   const sync = SyncWorker.start({ ledgerFile, timezone, baseUrl, credentials,
 *     onStatus: (s) => core.reportSync({ state: s.state, lastSuccessAt: s.lastSuccessAt }) });
 *   …
 *   await sync.stop();
 */
import { Worker } from 'node:worker_threads';
import type { TerminalCredentials } from '../../cloud/client';
import type { Logger } from '../core/logger';
import { workerUrl } from '../shared/worker-url';
import { backoffDelay } from './backoff';
import type { AnchorVerdict } from './engine';
import {
  DEFAULT_SYNC_SETTINGS,
  fromWorker,
  syncSettings,
  type SyncSettings,
  type ToWorker,
  type WorkerData,
  type WorkerStatus,
} from './messages';

export { backoffCeiling, backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
export { DEFAULT_SYNC_SETTINGS, type SyncSettings, type WorkerStatus } from './messages';

export interface SyncWorkerOptions {
  ledgerFile: string;
  timezone: string;
  baseUrl: string;
  credentials: TerminalCredentials;
  settings?: Partial<SyncSettings>;
  logger?: Logger;
  onStatus?: (status: WorkerStatus) => void;
  onCatalog?: (change: { version: number; upserted: number; removed: number }) => void;
  /** The cloud's verdict on the till's audit chain head (pass it to core.audit.reportAnchor). */
  onAnchor?: (verdict: AnchorVerdict) => void;
}

/** How soon a worker that died is started again: 1 s, 2 s, 4 s… up to a minute (jittered). */
const RESTART_BACKOFF = { baseMs: 1_000, capMs: 60_000 };

export class SyncWorker {
  private worker: Worker | null = null;
  private latest: WorkerStatus | null = null;
  private stopping = false;
  private crashes = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly data: WorkerData;
  private readonly logger: Logger | undefined;

  private constructor(private readonly options: SyncWorkerOptions) {
    this.logger = options.logger;
    this.data = {
      ledgerFile: options.ledgerFile,
      timezone: options.timezone,
      baseUrl: options.baseUrl,
      credentials: options.credentials,
      settings: syncSettings.parse({ ...DEFAULT_SYNC_SETTINGS, ...options.settings }),
    };
  }

  static start(options: SyncWorkerOptions): SyncWorker {
    const sync = new SyncWorker(options);
    sync.spawn();
    return sync;
  }

  /** The worker's latest report (null before its first). */
  get status(): WorkerStatus | null {
    return this.latest;
  }

  /** Sync now: ends a backoff wait and pulls the catalogue. */
  kick(): void {
    this.send({ type: 'kick' });
  }

  /**
   * Lets the requests in flight land and be recorded, then ends the worker (terminated after
   * `timeoutMs` if it has not finished: nothing is lost, unrecorded acknowledgements are resent).
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (worker === null) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => void worker.terminate(), timeoutMs);
    await exited;
    clearTimeout(timer);
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private spawn(): void {
    const worker = new Worker(workerUrl(import.meta.url, 'sync'), { workerData: this.data });
    this.worker = worker;
    worker.on('message', (raw: unknown) => this.receive(worker, raw));
    worker.on('error', (error) =>
      this.logger?.error('sync worker crashed', { error: error.message.slice(0, 500) }),
    );
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      if (this.stopping) return;
      this.crashes += 1;
      const delay = backoffDelay(this.crashes, RESTART_BACKOFF);
      this.logger?.warn('sync worker exited; starting it again', { code, inMs: delay });
      const status: WorkerStatus = {
        ...(this.latest ?? {
          pendingEvents: 0,
          pendingWalletCredits: 0,
          lastSuccessAt: null,
          failures: 0,
          sentEvents: 0,
          refusedEvents: 0,
          catalogVersion: 0,
        }),
        state: 'error',
        retryAt: new Date(Date.now() + delay).toISOString(),
        lastError: { code: 'WORKER_EXITED', message: `the sync worker exited (code ${code})` },
      };
      this.latest = status;
      this.options.onStatus?.(status);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (!this.stopping) this.spawn();
      }, delay);
      this.restartTimer.unref();
    });
  }

  private receive(worker: Worker, raw: unknown): void {
    const parsed = fromWorker.safeParse(raw);
    if (!parsed.success) {
      this.logger?.warn('sync worker sent a malformed message');
      return;
    }
    const message = parsed.data;
    switch (message.type) {
      case 'status':
        if (message.status.failures === 0 && message.status.lastError === null) this.crashes = 0;
        this.latest = message.status;
        this.options.onStatus?.(message.status);
        break;
      case 'log':
        this.logger?.[message.level](`sync: ${message.message}`, message.fields);
        break;
      case 'catalog':
        this.options.onCatalog?.(message);
        break;
      case 'anchor': {
        const { type: _type, ...verdict } = message;
        this.options.onAnchor?.(verdict);
        break;
      }
      case 'stopped':
        // Everything is recorded and the ledger closed: idle keep-alive sockets need not linger.
        void worker.terminate();
        break;
    }
  }
}
