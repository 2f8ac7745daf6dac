/**
 * Sync benchmarks (`npm run bench -- sync`): the sync worker draining a ledger's outbox into the
 * real cloud on loopback (signed HTTP, validation, one multi-row insert per batch).
 *
 *   sync.drain_sweep_events_per_s   20,000 events, per batch size × requests in flight (PGlite),
 *                                   median of 3: the measurement the defaults were chosen from
 *                                   (skip it with `-- --no-sweep`)
 *   sync.drain_events_per_s         100,000 queued events with the default settings (PGlite);
 *                                   target >= 10,000/s
 *   sync.drain_events_per_s_postgres  the same on PostgreSQL, when DATABASE_URL is set
 *
 * The cloud runs as `npm start` runs it beside the terminal: PGlite in a data directory (PGlite in
 * memory is slower here: its in-memory file system copies itself as the table grows).
 *
 * The queue is made the way the ledger makes it: a few hundred real sales and refunds rung up
 * through the Ledger API, then their outbox events written again (new ids, same payloads) with
 * the ledger's own appendOutbox, so the worker reads, maps and marks exactly what a till's
 * outbox holds. Each run uses a fresh copy of that ledger and a freshly paired terminal, so every
 * event is a new row in the cloud. Timed from the worker's first "syncing" report to its "idle"
 * report (the worker's own start-up is not counted).
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { AdminClient } from '../cloud/client/admin';
import { CloudClient, type TerminalCredentials } from '../cloud/client/index';
import { startCloud, type RunningCloud } from '../cloud/server';
import { DEMO_PRODUCTS, LATEST_VERSION, Ledger } from '../main/ledger';
import { BusinessClock } from '../main/ledger/clock';
import { Ctx } from '../main/ledger/context';
import { appendOutbox, type OutboxType } from '../main/ledger/outbox';
import { DEFAULT_SYNC_SETTINGS, SyncWorker, type SyncSettings } from '../main/sync';
import { TEST_AUDIT_KEY } from '../main/ledger/test-support/helpers';
import { ringUp } from '../main/sync/test-support/shop';
import { emit, median, round } from './report';

const TIMEZONE = 'Asia/Shanghai';
const SWEEP_RUNS = 3;

/** A ledger file with `events` undelivered outbox events (real sales, then their copies). */
function makeLedger(dir: string, events: number): string {
  const file = join(dir, `queue-${events}.db`);
  const ledger = Ledger.open({ auditKey: TEST_AUDIT_KEY, file, timezone: TIMEZONE });
  ledger.upsertProducts([...DEMO_PRODUCTS]);
  ringUp(ledger, 300, 5);
  const real = ledger.pendingOutbox(10_000);
  ledger.close();

  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const ctx = new Ctx(db, 'T01', new BusinessClock(TIMEZONE), () => new Date(), LATEST_VERSION);
  ctx.tx(() => {
    for (let i = real.length; i < events; i++) {
      const e = real[i % real.length] as (typeof real)[number];
      const at = new Date();
      appendOutbox(ctx, e.type as OutboxType, e.payload, at, e.createdAt);
    }
  });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return file;
}

async function pairTerminal(cloud: RunningCloud, admin: AdminClient): Promise<TerminalCredentials> {
  const { code } = await admin.pairingCode('bench', `till-${randomUUID().slice(0, 6)}`);
  const client = new CloudClient({ baseUrl: cloud.url });
  return client.pair(code);
}

/** Drains a fresh copy of `template` into the cloud; returns events per second. */
async function drain(
  cloud: RunningCloud,
  admin: AdminClient,
  template: string,
  events: number,
  settings: Partial<SyncSettings>,
): Promise<number> {
  const file = `${template}.run-${randomUUID().slice(0, 8)}.db`;
  copyFileSync(template, file);
  const credentials = await pairTerminal(cloud, admin);
  let started = 0;
  let finished = 0;
  let failures = 0;
  const sync = SyncWorker.start({
    ledgerFile: file,
    timezone: TIMEZONE,
    baseUrl: cloud.url,
    credentials,
    settings: { ...settings, catalogIntervalMs: 0 },
    onStatus: (s) => {
      if (s.state === 'syncing' && started === 0) started = performance.now();
      if (s.state === 'idle' && started > 0 && s.pendingEvents === 0) finished = performance.now();
      failures = Math.max(failures, s.failures);
    },
  });
  try {
    const deadline = Date.now() + 600_000;
    while (finished === 0) {
      if (Date.now() > deadline) throw new Error('the drain did not finish in 10 minutes');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await sync.stop();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
  const { rows } = await cloud.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM events WHERE terminal_id = $1',
    [credentials.terminalId],
  );
  if (rows[0]?.n !== events) throw new Error(`the cloud holds ${rows[0]?.n} of ${events} events`);
  if (failures > 0) process.stderr.write(`# note: ${failures} failed request(s) were retried\n`);
  return (events * 1000) / (finished - started);
}

async function withCloud<T>(
  databaseUrl: string | undefined,
  fn: (cloud: RunningCloud, admin: AdminClient) => Promise<T>,
): Promise<T> {
  const schema = `sync_bench_${randomUUID().slice(0, 8)}`;
  const cloud = await startCloud({
    port: 0,
    logger: false,
    indexRefreshMs: 0,
    ...(databaseUrl === undefined
      ? { dataDir: mkdtempSync(join(dir, 'cloud-')) }
      : { databaseUrl, dbSchema: schema }),
  });
  try {
    const admin = new AdminClient(cloud.url, cloud.adminToken);
    await admin.createStore({ storeId: 'bench', name: 'Bench' });
    return await fn(cloud, admin);
  } finally {
    if (databaseUrl !== undefined) await cloud.db.query(`DROP SCHEMA ${schema} CASCADE`);
    await cloud.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'pos-sync-bench-'));
try {
  const small = makeLedger(dir, 20_000);
  const large = makeLedger(dir, 100_000);

  if (!process.argv.includes('--no-sweep')) {
    await withCloud(undefined, async (cloud, admin) => {
      await drain(cloud, admin, small, 20_000, DEFAULT_SYNC_SETTINGS); // warm-up
      for (const batchSize of [250, 500, 1000]) {
        for (const pipeline of [1, 2, 4]) {
          const runs: number[] = [];
          for (let r = 0; r < SWEEP_RUNS; r++) {
            runs.push(await drain(cloud, admin, small, 20_000, { batchSize, pipeline }));
          }
          emit({
            name: 'sync.drain_sweep_events_per_s',
            value: round(median(runs), 0),
            unit: 'per_s',
            events: 20_000,
            batch: batchSize,
            pipeline,
            runs: runs.map((v) => round(v, 0)),
            storage: 'pglite',
          });
        }
      }
    });
  }

  // A fresh cloud for the headline figure, so the sweep's rows do not weigh on it.
  await withCloud(undefined, async (cloud, admin) => {
    await drain(cloud, admin, small, 20_000, DEFAULT_SYNC_SETTINGS); // warm-up
    const perS = await drain(cloud, admin, large, 100_000, DEFAULT_SYNC_SETTINGS);
    emit({
      name: 'sync.drain_events_per_s',
      value: round(perS, 0),
      unit: 'per_s',
      events: 100_000,
      batch: DEFAULT_SYNC_SETTINGS.batchSize,
      pipeline: DEFAULT_SYNC_SETTINGS.pipeline,
      storage: 'pglite',
      target: 10_000,
    });
  });

  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined) {
    await withCloud(databaseUrl, async (cloud, admin) => {
      await drain(cloud, admin, small, 20_000, DEFAULT_SYNC_SETTINGS); // warm-up
      const perS = await drain(cloud, admin, large, 100_000, DEFAULT_SYNC_SETTINGS);
      emit({
        name: 'sync.drain_events_per_s_postgres',
        value: round(perS, 0),
        unit: 'per_s',
        events: 100_000,
        batch: DEFAULT_SYNC_SETTINGS.batchSize,
        pipeline: DEFAULT_SYNC_SETTINGS.pipeline,
        storage: 'postgres',
        target: 10_000,
      });
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
