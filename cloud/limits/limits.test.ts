/**
 * The bursts the attack made (200 identify calls in 1.1 s from one terminal key, authorise
 * unthrottled), now refused: 429 with Retry-After past each limit, one alert row per burst that
 * the back office lists, and other terminals still served. Each limit is counted in the database.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CloudClient, TerminalCredentials } from '../client/index';
import { DEFAULT_LIMITS } from '../config';
import { WINDOW_MS } from './limiter';
import {
  databaseLabel,
  enrolPayer,
  liveEvidence,
  randomUnit,
  rng,
  startTestCloud,
  type TestCloud,
  postSigned,
} from '../test-support';

const random = rng(1313);

/**
 * The limits count in one-minute windows: a burst that straddled a window's end would be counted
 * in two. Start each burst at least 15 s before the end (a wait, never an assertion on time).
 */
async function clearOfWindowEdge(): Promise<void> {
  const left = WINDOW_MS - (Date.now() % WINDOW_MS);
  if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}

/** identify sent by hand, to read the status and the Retry-After header. */
async function identifyRaw(t: TestCloud, terminal: CloudClient, embedding: Float32Array) {
  const creds = terminal.credentials as TerminalCredentials;
  const body = JSON.stringify({
    sealedEmbedding: terminal.encryptEmbedding(embedding),
    liveness: liveEvidence(),
    amountFen: 100,
  });
  const response = await postSigned(t.cloud.url, creds, '/v1/identify', body);
  const json = (await response.json()) as { result?: string; error?: { code: string } };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), json };
}

describe(`rate limits on the money path (${databaseLabel()})`, () => {
  let t: TestCloud;

  before(async () => {
    t = await startTestCloud();
  });
  after(() => t.close());

  it('200 identify calls in a burst: 429 with Retry-After past the limit, one alert', async () => {
    const terminal = await t.pairedTerminal();
    const stranger = randomUnit(random);
    const answers = [];
    await clearOfWindowEdge();
    // Ten at a time, as fast as the service answers: the attack's burst.
    for (let i = 0; i < 200; i += 10) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, () => identifyRaw(t, terminal, stranger)),
        )),
      );
    }
    const served = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    assert.equal(served.length, DEFAULT_LIMITS.identifyPerTerminal);
    assert.equal(limited.length, 200 - DEFAULT_LIMITS.identifyPerTerminal);
    for (const a of limited) {
      assert.equal(a.json.error?.code, 'RATE_LIMITED');
      const seconds = Number(a.retryAfter);
      assert.ok(seconds >= 1 && seconds <= 60, `Retry-After ${a.retryAfter}`);
    }

    const creds = terminal.credentials as TerminalCredentials;
    const { alerts } = await t.admin.alerts();
    const mine = alerts.filter((a) => a.subject === creds.terminalId);
    assert.equal(mine.length, 1, 'one alert per burst, not one per refused call');
    assert.equal(mine[0]?.kind, 'rate_limit.identifyPerTerminal');
    assert.ok(t.logs.some((l) => l.includes('rate limit burst') && l.includes(creds.terminalId)));

    // The client gives the terminal the code (face pay shows "unavailable, pay another way").
    await assert.rejects(
      terminal.identify({ embedding: stranger, liveness: liveEvidence(), amountFen: 1 }),
      {
        code: 'RATE_LIMITED',
        status: 429,
      },
    );
    // Another terminal is not held back by this one's burst.
    const other = await t.pairedTerminal();
    assert.equal((await identifyRaw(t, other, stranger)).status, 200);
  });

  it("one payer's face: matches are limited across terminals", async () => {
    const face = randomUnit(random);
    await enrolPayer(t.admin, { name: '王小明', phone: '13800001111', templates: [face] });
    const tills = await Promise.all([1, 2, 3].map(() => t.pairedTerminal()));
    const statuses: number[] = [];
    await clearOfWindowEdge();
    for (let i = 0; i < DEFAULT_LIMITS.matchesPerPayer + 3; i++) {
      const till = tills[i % tills.length] as CloudClient;
      statuses.push((await identifyRaw(t, till, face)).status);
    }
    assert.deepEqual(statuses, [
      ...Array<number>(DEFAULT_LIMITS.matchesPerPayer).fill(200),
      429,
      429,
      429,
    ]);
    const { alerts } = await t.admin.alerts();
    assert.ok(alerts.some((a) => a.kind === 'rate_limit.matchesPerPayer'));
  });
});

describe(`authorise and per-address limits (${databaseLabel()})`, () => {
  let t: TestCloud;

  before(async () => {
    t = await startTestCloud({
      ratePerIpPerMinute: 60,
      limits: { authorisePerTerminal: 2, matchesPerPayer: 100 },
    });
  });
  after(() => t.close());

  it('authorise past the per-terminal limit is refused before any money moves', async () => {
    const face = randomUnit(random);
    const payerId = await enrolPayer(t.admin, {
      name: 'Li Lei',
      phone: '13900002222',
      balanceFen: 10_000,
      templates: [face],
    });
    const terminal = await t.pairedTerminal();
    const pay = async () => {
      const answer = await terminal.identify({
        embedding: face,
        liveness: liveEvidence(),
        amountFen: 100,
      });
      if (answer.result !== 'match') throw new Error('no match');
      return terminal.authorise({
        token: answer.token,
        amountFen: 100,
        saleId: randomUUID(),
        idempotencyKey: randomUUID(),
      });
    };
    await clearOfWindowEdge();
    assert.equal((await pay()).status, 'approved');
    assert.equal((await pay()).status, 'approved');
    await assert.rejects(pay(), { code: 'RATE_LIMITED', status: 429 });
    assert.equal(
      (await t.admin.payer(payerId)).balanceFen,
      10_000 - 200,
      'the third never charged',
    );
    const { alerts } = await t.admin.alerts();
    assert.ok(alerts.some((a) => a.kind === 'rate_limit.authorisePerTerminal'));
  });

  it('every route is limited per address, with the error shape and Retry-After', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 70; i++) {
      last = await fetch(`${t.cloud.url}/v1/health`);
      if (last.status === 429) break;
      await last.body?.cancel();
    }
    assert.equal(last?.status, 429);
    assert.ok(Number(last?.headers.get('retry-after')) >= 1);
    assert.equal(((await last?.json()) as { error: { code: string } }).error.code, 'RATE_LIMITED');
  });
});
