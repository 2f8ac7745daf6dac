/**
 * Issue 13 part 9: the reference cloud on PostgreSQL, one cloud process.
 *   cloud.authorise_per_s_pg        face-pay authorisations/s over loopback HTTP, with p99 (ms)
 *   cloud.ingest_events_per_s_pg    terminal outbox events/s, batches of 1,000
 * Many paired terminals drive the load concurrently for a bounded time each. The database is
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), in a throwaway schema that is
 * dropped afterwards. Exits non-zero when PostgreSQL cannot be reached.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { AdminClient } from '../cloud/client/admin';
import { CloudClient, type CloudEvent } from '../cloud/client/index';
import { startCloud } from '../cloud/server';
import { UNLIMITED, liveEvidence, randomUnit, rng } from '../cloud/test-support';
import { emit, median, quantile, round } from './report';

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const TERMINALS = 16;
const IN_FLIGHT_PER_TERMINAL = 2;
const TOKEN_PHASE_MS = 8_000;
const AUTHORISE_MS = 10_000;
const INGEST_MS = 10_000;
const BATCH = 1_000;
/** Enough payers that the payer-row lock (FOR UPDATE OF p) is not what limits the rate. */
const PAYERS = 64;

function reachable(url: string, timeoutMs = 3_000): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname || '127.0.0.1', port: Number(port || 5432) });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('timed out'));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.end();
      resolve();
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Runs `work` in `count` loops until `deadline` (performance.now()) or `work` returns false. */
async function lanes(
  count: number,
  deadline: number,
  work: (lane: number) => Promise<boolean>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, lane) => {
      while (performance.now() < deadline) if (!(await work(lane))) return;
    }),
  );
}

try {
  await reachable(DATABASE_URL);
} catch (err) {
  process.stderr.write(
    `cloud-pg bench: PostgreSQL unreachable at ${DATABASE_URL} (${(err as Error).message})\n`,
  );
  process.exit(2);
}

const schema = `cloud_bench_pg_${randomUUID().slice(0, 8)}`;
const cloud = await startCloud({
  databaseUrl: DATABASE_URL,
  dbSchema: schema,
  port: 0,
  logger: false,
  indexRefreshMs: 0,
  threshold: 0.41,
  tokenTtlMs: 600_000,
  ratePerIpPerMinute: 100_000_000,
  limits: UNLIMITED,
});
try {
  const admin = new AdminClient(cloud.url, cloud.adminToken);
  await admin.createStore({ storeId: 'bench', name: 'Bench' });
  const terminals: CloudClient[] = [];
  for (let t = 0; t < TERMINALS; t++) {
    const terminal = new CloudClient({ baseUrl: cloud.url });
    await terminal.pair((await admin.pairingCode('bench')).code);
    terminals.push(terminal);
  }
  const random = rng(3);
  const faces = Array.from({ length: PAYERS }, () => randomUnit(random));
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

  // Tokens first, per terminal (identify is measured elsewhere): the figure is authorisation.
  const lanesCount = TERMINALS * IN_FLIGHT_PER_TERMINAL;
  const tokens: string[][] = terminals.map(() => []);
  let made = 0;
  await lanes(lanesCount, performance.now() + TOKEN_PHASE_MS, async (lane) => {
    const t = lane % TERMINALS;
    const answer = await (terminals[t] as CloudClient).identify({
      embedding: faces[made++ % faces.length] as Float32Array,
      liveness: liveEvidence(),
      amountFen: 100,
    });
    if (answer.result !== 'match') throw new Error('bench payer not identified');
    (tokens[t] as string[]).push(answer.token);
    return true;
  });

  let sale = 0;
  let exhausted = false; // the first terminal out of tokens ends the run: all lanes stay busy
  const authorise = async (lane: number, times?: number[]): Promise<boolean> => {
    const t = lane % TERMINALS;
    const token = exhausted ? undefined : (tokens[t] as string[]).pop();
    if (token === undefined) {
      exhausted = true;
      return false;
    }
    const started = performance.now();
    await (terminals[t] as CloudClient).authorise({
      token,
      amountFen: 100,
      saleId: `s-${sale++}`,
      idempotencyKey: randomUUID(),
    });
    times?.push(performance.now() - started);
    return true;
  };
  const warm = performance.now() + 500;
  await lanes(lanesCount, warm, (lane) => authorise(lane));
  const times: number[] = [];
  const started = performance.now();
  await lanes(lanesCount, started + AUTHORISE_MS, (lane) => authorise(lane, times));
  const elapsed = performance.now() - started;
  emit({
    name: 'cloud.authorise_per_s_pg',
    value: round((times.length * 1000) / elapsed, 0),
    unit: '1/s',
    p99: round(quantile(times, 0.99), 2),
    median_ms: round(median(times), 2),
    processes: 1,
    terminals: TERMINALS,
    in_flight: lanesCount,
    payers: PAYERS,
    requests: times.length,
    seconds: round(elapsed / 1000, 2),
    tokens_ran_out: exhausted,
    target: 1500,
  });

  let batchNo = 0;
  const ingest = async (lane: number): Promise<number> => {
    const terminal = terminals[lane % TERMINALS] as CloudClient;
    const b = batchNo++;
    const now = new Date().toISOString();
    const events: CloudEvent[] = Array.from({ length: BATCH }, (_, i) => ({
      id: `ev-${b}-${i}`,
      type: 'sale.completed',
      terminalId: terminal.credentials?.terminalId as string,
      createdAt: now,
      payload: {
        saleId: `sale-${b}-${i}`,
        receiptNo: `R${b}-${i}`,
        businessDate: '2026-03-01',
        totalFen: 1_250 + i,
        taxFen: 144,
        payments: [{ method: i % 3 === 0 ? 'face' : 'cash', amountFen: 1_250 + i }],
      },
    }));
    await terminal.ingestEvents(events);
    return BATCH;
  };
  await ingest(0); // warm-up
  await ingest(1);
  let events = 0;
  const ingestStarted = performance.now();
  await lanes(TERMINALS, ingestStarted + INGEST_MS, async (lane) => {
    const sent = await ingest(lane); // not `events += await …`: that would lose updates
    events += sent;
    return true;
  });
  const ingestMs = performance.now() - ingestStarted;
  emit({
    name: 'cloud.ingest_events_per_s_pg',
    value: round((events * 1000) / ingestMs, 0),
    unit: '1/s',
    processes: 1,
    terminals: TERMINALS,
    events,
    batch: BATCH,
    seconds: round(ingestMs / 1000, 2),
    target: 20000,
  });
} finally {
  await cloud.db.query(`DROP SCHEMA ${schema} CASCADE`);
  await cloud.close();
}
