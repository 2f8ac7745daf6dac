/**
 * 10,000 fuzzed requests through the cloud: random methods, paths (real routes and nonsense),
 * headers (garbled signatures, a real terminal's id, wrong admin tokens, odd content types) and
 * bodies (broken JSON, wrong shapes, huge numbers, deep nesting, binary). No answer may be a 5xx,
 * the service must still answer a real request afterwards, and memory must stay flat: the RSS
 * before and after is printed (the figure for the closing note), and bounded loosely so a leak of
 * the size of the traffic fails the test. No timing is asserted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { signRequest } from './auth/signing';
import type { CloudClient, TerminalCredentials } from './client/index';
import {
  UNLIMITED,
  databaseLabel,
  liveEvidence,
  randomUnit,
  rng,
  startTestCloud,
  type TestCloud,
} from './test-support';

const REQUESTS = 10_000;

/** The collector, reachable without --expose-gc on the command line. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const ROUNDS = 4;
const PARALLEL = 10;
const MiB = 1024 * 1024;

/** Every route with its method, and some nonsense. */
const ROUTES: [string, string][] = [
  ['GET', '/v1/health'],
  ['POST', '/v1/pair'],
  ['GET', '/v1/keys/identify'],
  ['POST', '/v1/identify'],
  ['POST', '/v1/payments/authorise'],
  ['GET', '/v1/payments/by-key/abcdefgh'],
  ['POST', '/v1/refunds'],
  ['GET', '/v1/refunds/by-key/%00%ff'],
  ['POST', '/v1/events'],
  ['GET', '/v1/catalog?since=-1&limit=abc'],
  ['POST', '/v1/membership/join'],
  ['GET', '/v1/stores/s1/reports/daily?date=2026-13-45'],
  ['POST', '/v1/admin/stores'],
  ['POST', '/v1/admin/payers'],
  ['POST', '/v1/admin/payers/pyr_x/templates/images'],
  ['POST', '/v1/admin/terminals/trm_x/revoke'],
  ['GET', '/v1/admin/alerts?limit=999999'],
  ['POST', '/v1/acquire/pay'],
  ['GET', '/v1/acquire/trades/t_1'],
  ['POST', '/v1/acquire/trades/%00/cancel'],
  ['POST', '/v1/acquire/refunds'],
  ['GET', '/v1/acquire/refunds/t_1/' + 'r'.repeat(300)],
  ['POST', '/v1/acquire/precreate'],
  ['GET', '/v1/acquire/bill?day=2026-02-30'],
  ['GET', '/v1/acquire/qr/' + 'A'.repeat(32)],
  ['POST', '/v1/admin/acquire/paycodes'],
  ['POST', '/v1/admin/acquire/confirm'],
  ['POST', '/v1/admin/acquire/qr/x/pay'],
  ['GET', '/'],
  ['GET', '/v1/../../etc/passwd'],
  ['POST', '/v1/identify?x=' + 'a'.repeat(2000)],
  ['GET', '/%2e%2e/%2e%2e'],
];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-16',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '',
];

describe(`fuzzing the cloud (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  let creds: TerminalCredentials;

  before(async () => {
    // The per-address limit would answer most of the fuzz with 429 before any parsing: lifted,
    // so the requests reach admission, parsing and the handlers.
    t = await startTestCloud({ logger: false, ratePerIpPerMinute: 1e9, limits: UNLIMITED });
    terminal = await t.pairedTerminal();
    creds = terminal.credentials as TerminalCredentials;
  });
  after(() => t.close());

  it(`answers ${REQUESTS} fuzzed requests without a 5xx, with flat memory`, async () => {
    const random = rng(20261206);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const junk = (n: number) =>
      Buffer.from(Array.from({ length: n }, () => Math.floor(random() * 256)));

    const bodies: (() => string | Buffer)[] = [
      () => '',
      () => '{',
      () => 'null',
      () => '[]',
      () => '{"__proto__":{"admin":true}}',
      () => JSON.stringify({ code: random() * 1e308, terminalName: '\u0000'.repeat(10) }),
      () => '['.repeat(5000) + ']'.repeat(5000),
      () => JSON.stringify({ events: [{ id: 1, type: null }] }),
      () =>
        JSON.stringify({
          sealedEmbedding: { v: 1, epk: 'A'.repeat(43), iv: 'B'.repeat(16), ct: 'C'.repeat(100) },
          liveness: liveEvidence(),
          amountFen: Math.floor(random() * 1e6),
        }),
      () =>
        JSON.stringify({
          sealedEmbedding: terminal.encryptEmbedding(randomUnit(random)),
          liveness: { ...liveEvidence(), scores: [NaN] },
          amountFen: -1,
        }),
      () =>
        JSON.stringify({ token: 'x'.repeat(50), amountFen: 1e20, saleId: 's', idempotencyKey: '' }),
      () =>
        JSON.stringify({
          outTradeNo: `t_${Math.floor(random() * 3)}`,
          amountFen: Math.floor(random() * 1e4) - 10,
          code: `99${String(Math.floor(random() * 1e16)).padStart(16, '0')}`,
          subject: 's',
        }),
      () =>
        JSON.stringify({
          outTradeNo: `t_${Math.floor(random() * 3)}`,
          refundNo: 'r1',
          amountFen: Math.floor(random() * 1e4),
        }),
      () => junk(Math.floor(random() * 4096)),
      () => JSON.stringify({ images: ['////'], consent: { textVersion: 'v', recordedBy: 'x' } }),
    ];

    const headersFor = (method: string, path: string, body: string | Buffer) => {
      const headers: Record<string, string> = {};
      const type = pick(CONTENT_TYPES);
      if (type !== '') headers['content-type'] = type;
      const roll = random();
      if (roll < 0.35) {
        // Signed by the real terminal (so the request passes admission and reaches the handler),
        // sometimes then tampered with.
        Object.assign(
          headers,
          signRequest({
            terminalId: creds.terminalId,
            secret: Buffer.from(creds.secret, 'base64url'),
            method,
            pathAndQuery: path,
            body,
          }),
        );
        if (random() < 0.3) headers['x-pos-signature'] = junk(32).toString('base64url');
      } else if (roll < 0.55) {
        headers['x-pos-terminal'] = pick([creds.terminalId, 'trm_nope', '', '\t', 'a'.repeat(300)]);
        headers['x-pos-timestamp'] = pick([String(Date.now()), '-1', '1e99', 'NaN', '']);
        headers['x-pos-nonce'] = junk(12).toString('base64url');
        headers['x-pos-signature'] = junk(32).toString('base64url');
      } else if (roll < 0.7) {
        headers.authorization = pick([
          'Bearer ',
          'Bearer x',
          'Basic YTpi',
          `Bearer ${'y'.repeat(500)}`,
        ]);
      }
      return headers;
    };

    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let sent = 0;
    const one = async () => {
      const [routeMethod, path] = pick(ROUTES);
      const method = random() < 0.8 ? routeMethod : pick(METHODS);
      const body = method === 'GET' || method === 'HEAD' ? '' : pick(bodies)();
      const headers = headersFor(method, path, body);
      try {
        const response = await fetch(t.cloud.url + path, {
          method,
          headers,
          ...(body === '' ? {} : { body: typeof body === 'string' ? body : new Uint8Array(body) }),
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500) failures.push(`${method} ${path} -> ${response.status}`);
      } catch (error) {
        failures.push(`${method} ${path} -> ${(error as Error).message}`);
      }
    };
    const worker = async (count: number) => {
      for (let i = 0; i < count; i++) {
        sent += 1;
        await one();
      }
    };

    // Memory after each quarter, with the garbage collected: flat means it levels off rather than
    // growing with the traffic.
    const gc = collector();
    const memory = () => {
      gc();
      const { rss, heapUsed } = process.memoryUsage();
      return { rss: Math.round(rss / MiB), heap: Math.round(heapUsed / MiB) };
    };
    const marks = [memory()];
    for (let round = 0; round < ROUNDS; round++) {
      await Promise.all(
        Array.from({ length: PARALLEL }, () => worker(REQUESTS / ROUNDS / PARALLEL)),
      );
      marks.push(memory());
    }
    console.log(
      `cloud fuzz: ${sent} requests; MiB after each ${REQUESTS / ROUNDS} (rss/heap): ${marks.map((m) => `${m.rss}/${m.heap}`).join(' -> ')}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
    );
    assert.equal(sent, REQUESTS);
    assert.deepEqual(failures.slice(0, 10), []);
    // The second half of the traffic may not grow the heap by more than a few MiB: a leak of a
    // few hundred bytes per request would be 2 MiB or more there, a leak of a body far more.
    const heapGrowth = (marks[ROUNDS]?.heap ?? 0) - (marks[ROUNDS / 2]?.heap ?? 0);
    assert.ok(heapGrowth < 8, `the heap grew ${heapGrowth} MiB over the last 5,000 requests`);

    // Still serving: a real identify goes through.
    const answer = await terminal.identify({
      embedding: randomUnit(random),
      liveness: liveEvidence(),
      amountFen: 100,
    });
    assert.equal(answer.result, 'no_match');
  });
});
