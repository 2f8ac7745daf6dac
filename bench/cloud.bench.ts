/**
 * The reference cloud's figures:
 *   cloud.identify_10k_ms, cloud.identify_100k_ms   one 1:N search of the in-memory index
 *   cloud.identify_http_100k_ms                      the same behind signed, sealed loopback HTTP
 *   cloud.authorise_per_s                             signed authorisations over loopback (PGlite)
 *   cloud.ingest_events_per_s                         outbox events in batches of 1,000 (PGlite)
 * With DATABASE_URL set, the last two again on PostgreSQL (…_postgres), in a throwaway schema.
 * Synthetic unit vectors stand in for faces: the search costs the same whatever they look like.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { AdminClient } from '../cloud/client/admin';
import { CloudClient, type CloudEvent } from '../cloud/client/index';
import { TemplateIndex } from '../cloud/identify/template-index';
import { startCloud } from '../cloud/server';
import { UNLIMITED, liveEvidence } from '../cloud/test-support';
import { emit, median, quantile, round } from './report';

const DIM = 512;
/** The bench measures latency, not the limits that hold a till to a human pace. */
const UNLIMITED_RATES = { ratePerIpPerMinute: 1_000_000, limits: UNLIMITED };

/** Cheap pseudo-random unit vectors (uniform then normalised); deterministic per seed. */
function vectors(count: number, seed: number): Float32Array[] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
  return Array.from({ length: count }, () => {
    const v = new Float32Array(DIM);
    let n = 0;
    for (let i = 0; i < DIM; i++) n += (v[i] = next()) ** 2;
    n = Math.sqrt(n);
    for (let i = 0; i < DIM; i++) v[i] = (v[i] as number) / n;
    return v;
  });
}

function fill(index: TemplateIndex, count: number): Float32Array[] {
  index.reserve(count);
  const rows = vectors(count, count);
  rows.forEach((v, i) => index.add(i, `payer-${i}`, String(i % 10_000).padStart(4, '0'), v));
  return rows;
}

/** A probe near an enrolled row (a match) or fresh (no match): both scan everything. */
function timeSearches(index: TemplateIndex, rows: Float32Array[], runs: number): number[] {
  const strangers = vectors(runs, 7);
  const times: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    const probe =
      i % 2 === 0
        ? (rows[(i * 7919) % rows.length] as Float32Array)
        : (strangers[i % runs] as Float32Array);
    const started = performance.now();
    index.search(probe);
    if (i >= 5) times.push(performance.now() - started); // the first few warm the JIT up
  }
  return times;
}

function emitTimes(
  name: string,
  times: number[],
  templates: number,
  extra: Record<string, unknown> = {},
): void {
  emit({
    name,
    value: round(median(times), 2),
    unit: 'ms',
    templates,
    runs: times.length,
    p95: round(quantile(times, 0.95), 2),
    min: round(Math.min(...times), 2),
    target: 10,
    ...extra,
  });
}

async function identifyFigures(): Promise<void> {
  const small = new TemplateIndex(DIM);
  emitTimes('cloud.identify_10k_ms', timeSearches(small, fill(small, 10_000), 200), 10_000);

  const large = new TemplateIndex(DIM);
  const rows = fill(large, 100_000);
  emitTimes('cloud.identify_100k_ms', timeSearches(large, rows, 100), 100_000);

  // The whole request: sign, seal, HTTP on loopback, verify, open, search. The templates go
  // straight into the running service's index (enrolling 100,000 over HTTP is not the point).
  const cloud = await startCloud({
    inMemory: true,
    port: 0,
    logger: false,
    indexRefreshMs: 0,
    ...UNLIMITED_RATES,
  });
  try {
    cloud.index.reserve(100_000);
    rows.forEach((v, i) => cloud.index.add(1_000_000 + i, `bench-${i}`, '0000', v));
    const terminal = await pairedTerminal(cloud.url, cloud.adminToken);
    const strangers = vectors(60, 11);
    const times: number[] = [];
    for (const [i, probe] of strangers.entries()) {
      const started = performance.now();
      await terminal.identify({ embedding: probe, liveness: liveEvidence(), amountFen: 100 });
      if (i >= 10) times.push(performance.now() - started);
    }
    emitTimes('cloud.identify_http_100k_ms', times, 100_000, {
      note: 'no-match probes, end to end',
    });
  } finally {
    await cloud.close();
  }
}

async function pairedTerminal(url: string, adminToken: string): Promise<CloudClient> {
  const admin = new AdminClient(url, adminToken);
  await admin.createStore({ storeId: 'bench', name: 'Bench' });
  const terminal = new CloudClient({ baseUrl: url });
  await terminal.pair((await admin.pairingCode('bench')).code);
  return terminal;
}

/** Runs `work(i)` for i < count with `concurrency` in flight; returns the elapsed ms. */
async function pool(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<unknown>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await work(next++);
    }),
  );
  return performance.now() - started;
}

async function paymentFigures(databaseUrl?: string): Promise<void> {
  const schema = `cloud_bench_${randomUUID().slice(0, 8)}`;
  const storage = databaseUrl === undefined ? 'pglite' : 'postgres';
  const suffix = databaseUrl === undefined ? '' : '_postgres';
  const cloud = await startCloud({
    ...(databaseUrl === undefined ? { inMemory: true } : { databaseUrl, dbSchema: schema }),
    port: 0,
    logger: false,
    indexRefreshMs: 0,
    threshold: 0.41,
    ...UNLIMITED_RATES,
  });
  try {
    const admin = new AdminClient(cloud.url, cloud.adminToken);
    const terminal = await pairedTerminal(cloud.url, cloud.adminToken);
    const faces = vectors(10, 3);
    for (const [i, face] of faces.entries()) {
      const payer = await admin.createPayer({
        name: `Bench ${i}`,
        phone: `1380000${String(i).padStart(4, '0')}`,
        balanceFen: 100_000_000,
        dailyLimitFen: 100_000_000,
      });
      await admin.enrol(payer.payerId, [face], {
        source: 'vectors',
        consent: { textVersion: 'v1', recordedBy: 'bench' },
      });
    }
    // Tokens first (identify is measured above): this figure is the authorisation alone.
    const count = 600;
    const tokens: string[] = [];
    for (let i = 0; i < count + 50; i++) {
      const answer = await terminal.identify({
        embedding: faces[i % faces.length] as Float32Array,
        liveness: liveEvidence(),
        amountFen: 1_000,
      });
      if (answer.result !== 'match') throw new Error('bench payer not identified');
      tokens.push(answer.token);
    }
    const authorise = (i: number) =>
      terminal.authorise({
        token: tokens[i] as string,
        amountFen: 1_000,
        saleId: `s-${i}`,
        idempotencyKey: randomUUID(),
      });
    await pool(50, 4, (i) => authorise(count + i)); // warm-up
    const elapsed = await pool(count, 8, authorise);
    emit({
      name: `cloud.authorise_per_s${suffix}`,
      value: round((count * 1000) / elapsed, 0),
      unit: 'per_s',
      requests: count,
      concurrency: 8,
      storage,
    });

    const batches = 20;
    const makeBatch = (b: number): CloudEvent[] =>
      Array.from({ length: 1000 }, (_, i) => ({
        id: `ev-${b}-${i}`,
        type: 'sale.completed',
        terminalId: terminal.credentials?.terminalId as string,
        createdAt: new Date().toISOString(),
        payload: {
          saleId: `sale-${b}-${i}`,
          receiptNo: `R${b}-${i}`,
          businessDate: '2026-03-01',
          totalFen: 1_250 + i,
          taxFen: 144,
          payments: [{ method: i % 3 === 0 ? 'face' : 'cash', amountFen: 1_250 + i }],
        },
      }));
    const prepared = Array.from({ length: batches + 2 }, (_, b) => makeBatch(b));
    await terminal.ingestEvents(prepared[batches] as CloudEvent[]); // warm-up
    await terminal.ingestEvents(prepared[batches + 1] as CloudEvent[]);
    const ingestMs = await pool(batches, 2, (b) =>
      terminal.ingestEvents(prepared[b] as CloudEvent[]),
    );
    emit({
      name: `cloud.ingest_events_per_s${suffix}`,
      value: round((batches * 1000 * 1000) / ingestMs, 0),
      unit: 'per_s',
      events: batches * 1000,
      batch: 1000,
      concurrency: 2,
      storage,
      target: 10_000,
    });
  } finally {
    if (databaseUrl !== undefined) await cloud.db.query(`DROP SCHEMA ${schema} CASCADE`);
    await cloud.close();
  }
}

await identifyFigures();
await paymentFigures();
if (process.env.DATABASE_URL) await paymentFigures(process.env.DATABASE_URL);
