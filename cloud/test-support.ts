/**
 * What the cloud's tests share: a real service on a free loopback port, on PGlite in memory, or
 * on PostgreSQL in a schema of its own when DATABASE_URL is set (dropped afterwards, so parallel
 * runs never meet); its pino output captured line by line; and synthetic unit vectors with
 * exactly the cosine similarities a test needs.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pg from 'pg';
import { MemorySecretStore } from '../main/shared/secret-store';
import type { LivenessEvidence } from './api';
import { signRequest } from './auth/signing';
import { AdminClient } from './client/admin';
import { CloudClient, type TerminalCredentials } from './client/index';
import type { CloudOptions } from './config';
import { startCloud, type RunningCloud } from './server';

export const DIM = 512;

export interface TestCloud {
  cloud: RunningCloud;
  admin: AdminClient;
  /** Every log line the service wrote, as text. */
  logs: string[];
  /** A new store (unique id) with a paired terminal on it. */
  pairedTerminal(storeId?: string): Promise<CloudClient>;
  close(): Promise<void>;
}

export function databaseLabel(): string {
  return process.env.DATABASE_URL ? 'postgres' : 'pglite';
}

export async function startTestCloud(options: CloudOptions = {}): Promise<TestCloud> {
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const schema = databaseUrl ? `cloud_test_${randomBytes(6).toString('hex')}` : undefined;
  const cloud = await startCloud({
    port: 0,
    indexRefreshMs: 0,
    logger: { level: 'info', stream },
    ...(databaseUrl ? { databaseUrl, dbSchema: schema } : { inMemory: true }),
    // Like the database (in memory, or a schema dropped afterwards): nothing left on disk.
    secrets: new MemorySecretStore(),
    ...options,
  });
  const admin = new AdminClient(cloud.url, cloud.adminToken);
  let stores = 0;
  return {
    cloud,
    admin,
    logs,
    async pairedTerminal(storeId) {
      const id = storeId ?? `store-${++stores}-${randomBytes(3).toString('hex')}`;
      await admin.createStore({ storeId: id, name: `Shop ${id}` });
      const { code } = await admin.pairingCode(id, 'till');
      const client = new CloudClient({ baseUrl: cloud.url });
      await client.pair(code);
      return client;
    },
    async close() {
      await cloud.close();
      if (databaseUrl && schema) {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      }
    },
  };
}

/** For tests that pay faster than a till would; the limits are tested in cloud/limits. */
export const UNLIMITED = {
  identifyPerTerminal: 1e6,
  authorisePerTerminal: 1e6,
  matchesPerPayer: 1e6,
} as const;

/** mulberry32: a seeded generator, so every run builds the same vectors. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

export function randomUnit(random: () => number, dim = DIM): Float32Array {
  const v = new Float64Array(dim).map(() => gaussian(random));
  const n = Math.sqrt(dot(v, v));
  return Float32Array.from(v, (x) => x / n);
}

/** `count` random orthonormal vectors (Gram-Schmidt in float64). */
export function orthonormal(random: () => number, count: number, dim = DIM): Float64Array[] {
  const out: Float64Array[] = [];
  while (out.length < count) {
    const v = new Float64Array(dim).map(() => gaussian(random));
    for (const e of out) {
      const d = dot(v, e);
      for (let i = 0; i < dim; i++) v[i] = (v[i] as number) - d * (e[i] as number);
    }
    const n = Math.sqrt(dot(v, v));
    out.push(v.map((x) => x / n));
  }
  return out;
}

/** Σ coefficients[i] * basis[i], as float32. */
export function combine(
  basis: readonly Float64Array[],
  coefficients: readonly number[],
): Float32Array {
  const out = new Float32Array(basis[0]?.length ?? DIM);
  coefficients.forEach((c, k) => {
    const e = basis[k] as Float64Array;
    for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + c * (e[i] as number);
  });
  return out;
}

/**
 * Two templates A and B with cos(A, B) = `ab`, and a probe with cos(probe, A) = `pa` and
 * cos(probe, B) = `pb`, built in an orthonormal basis e0, e1, e2 (then unit length).
 */
export function probeBetween(
  random: () => number,
  ab: number,
  pa: number,
  pb: number,
): { a: Float32Array; b: Float32Array; probe: Float32Array } {
  const basis = orthonormal(random, 3);
  const sinAb = Math.sqrt(1 - ab * ab);
  const y = (pb - pa * ab) / sinAb;
  const z = Math.sqrt(1 - pa * pa - y * y);
  if (!Number.isFinite(z)) throw new Error('those similarities cannot all hold at once');
  return {
    a: combine(basis, [1]),
    b: combine(basis, [ab, sinAb]),
    probe: combine(basis, [pa, y, z]),
  };
}

/**
 * Liveness evidence as a terminal's face session gives it: five frames' live probabilities, the
 * last frame a moment ago (so it is fresh when the signed request goes out right after).
 */
export function liveEvidence(
  scores: readonly number[] = [0.95, 0.97, 0.96, 0.98, 0.97],
  lastFrameAgoMs = 200,
): LivenessEvidence {
  const lastFrameAt = Date.now() - lastFrameAgoMs;
  return {
    frames: scores.length,
    scores: [...scores],
    meanScore: scores.reduce((a, b) => a + b, 0) / scores.length,
    firstFrameAt: lastFrameAt - 33 * (scores.length - 1),
    lastFrameAt,
  };
}
export const CONSENT = { textVersion: 'face-pay-consent-v1', recordedBy: 'test' } as const;

/** A payer with money, enrolled with the given templates. */
export async function enrolPayer(
  admin: AdminClient,
  input: { name: string; phone: string; balanceFen?: number; templates: ArrayLike<number>[] },
): Promise<string> {
  const payer = await admin.createPayer({
    name: input.name,
    phone: input.phone,
    balanceFen: input.balanceFen ?? 50_000,
  });
  await admin.enrol(payer.payerId, input.templates, { source: 'vectors', consent: CONSENT });
  return payer.payerId;
}

/**
 * A POST signed as the terminal signs it, sent raw: for tests that need the HTTP answer itself
 * (status, headers) rather than the typed client's. `now` signs at another moment.
 */
export function postSigned(
  baseUrl: string,
  credentials: TerminalCredentials,
  path: string,
  body: string,
  now?: number,
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signRequest({
        terminalId: credentials.terminalId,
        secret: Buffer.from(credentials.secret, 'base64url'),
        method: 'POST',
        pathAndQuery: path,
        body,
        ...(now === undefined ? {} : { now }),
      }),
    },
    body,
  });
}
