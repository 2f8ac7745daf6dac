/**
 * The cloud used to take the terminal's word that a face was live ({live: true}). Now it weighs
 * the evidence itself: each attack below sends evidence a stolen key could make up, or a
 * terminal could replay, and sees the face payment refused before any match or token.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { LivenessEvidence } from '../api';
import type { CloudClient, TerminalCredentials } from '../client/index';
import { CloudError } from '../errors';
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
import { DEFAULT_LIVENESS_POLICY, checkLiveness } from './liveness-policy';

const random = rng(4242);

describe('checkLiveness', () => {
  const now = Date.parse('2026-03-01T10:00:00Z');
  const at = (ago: number, scores = [0.9, 0.95, 0.92, 0.97, 0.94]): LivenessEvidence => ({
    frames: scores.length,
    scores,
    meanScore: scores.reduce((a, b) => a + b, 0) / scores.length,
    firstFrameAt: now - ago - 150,
    lastFrameAt: now - ago,
  });
  const refusal = (evidence: LivenessEvidence) => {
    try {
      checkLiveness(evidence, now, DEFAULT_LIVENESS_POLICY);
      return null;
    } catch (error) {
      assert.ok(error instanceof CloudError);
      assert.equal(error.code, 'LIVENESS_REQUIRED');
      return error.message;
    }
  };

  it('accepts fresh, live evidence and returns the mean it computed', () => {
    assert.ok(Math.abs(checkLiveness(at(300), now, DEFAULT_LIVENESS_POLICY) - 0.936) < 1e-9);
  });

  it('refuses stale, future, out-of-order, thin, inconsistent and weak evidence', () => {
    const cases: [string, LivenessEvidence, RegExp][] = [
      ['stale', at(DEFAULT_LIVENESS_POLICY.maxAgeMs + 1), /too old/],
      ['from the future', at(-1), /after the request/],
      ['out of order', { ...at(300), firstFrameAt: now }, /out of order/],
      ['too few frames', at(300, [0.99, 0.99]), /at least 3 frames/],
      ['frames and scores disagree', { ...at(300), frames: 4 }, /a score for every frame/],
      ['a mean that is not the scores', { ...at(300, [0.1, 0.1, 0.1]), meanScore: 0.9 }, /mean/],
      ['a photo (all low)', at(300, [0.0, 0.06, 0.02, 0.01, 0.04]), /not shown to be live/],
      ['a spoof frame slipped in', at(300, [0.99, 0.99, 0.05, 0.99, 0.99]), /frame .* not live/],
      [
        'frames over too long a span',
        { ...at(300), firstFrameAt: now - 300 - DEFAULT_LIVENESS_POLICY.maxSpanMs - 1 },
        /too long/,
      ],
    ];
    for (const [what, evidence, message] of cases) {
      assert.match(refusal(evidence) ?? 'accepted', message, what);
    }
  });

  it("measures age on the terminal's own clock, so a clock offset neither ages nor freshens", () => {
    const offset = 4 * 60_000; // the terminal's clock runs 4 minutes fast (within the signing window)
    const evidence = { ...at(300) };
    evidence.firstFrameAt += offset;
    evidence.lastFrameAt += offset;
    assert.ok(checkLiveness(evidence, now + offset, DEFAULT_LIVENESS_POLICY) > 0.5);
  });
});

describe(`liveness evidence over HTTP (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  const face = randomUnit(random);
  let payerId: string;

  before(async () => {
    t = await startTestCloud({ threshold: 0.41 });
    terminal = await t.pairedTerminal();
    payerId = await enrolPayer(t.admin, {
      name: '张三丰',
      phone: '13700001234',
      balanceFen: 5_000,
      templates: [face],
    });
  });
  after(() => t.close());

  /** identify with any body, signed at `signedAt` (the terminal's clock). */
  async function identify(liveness: unknown, signedAt = Date.now()) {
    const creds = terminal.credentials as TerminalCredentials;
    const body = JSON.stringify({
      sealedEmbedding: terminal.encryptEmbedding(face),
      ...(liveness === undefined ? {} : { liveness }),
      amountFen: 1_250,
    });
    const response = await postSigned(t.cloud.url, creds, '/v1/identify', body, signedAt);
    const json = (await response.json()) as {
      result?: string;
      token?: string;
      error?: { code: string; field?: string };
    };
    return { status: response.status, json };
  }

  it('refuses a face payment without evidence, or with the old bare verdict', async () => {
    const missing = await identify(undefined);
    assert.deepEqual([missing.status, missing.json.error?.field], [400, 'body.liveness']);
    const verdict = await identify({ live: true, score: 0.99, frames: 8 });
    assert.equal(verdict.status, 400, 'a verdict without scores and times is not evidence');
  });

  it('refuses stale, future and weak evidence with LIVENESS_REQUIRED, and no token', async () => {
    const stale = liveEvidence(undefined, DEFAULT_LIVENESS_POLICY.maxAgeMs + 5_000);
    const future = liveEvidence(undefined, -30_000);
    const weak = liveEvidence([0.3, 0.4, 0.35, 0.45, 0.4]);
    const spoofFrame = liveEvidence([0.99, 0.98, 0.01, 0.99, 0.98]);
    for (const evidence of [stale, future, weak, spoofFrame]) {
      const answer = await identify(evidence);
      assert.deepEqual([answer.status, answer.json.error?.code], [422, 'LIVENESS_REQUIRED']);
      assert.equal(answer.json.token, undefined);
    }
    const { rows } = await t.cloud.db.query('SELECT 1 FROM payer_tokens WHERE payer_id = $1', [
      payerId,
    ]);
    assert.equal(rows.length, 0, 'no token was issued for refused evidence');
  });

  it('accepts fresh evidence from a terminal whose clock is off, and the payment goes through', async () => {
    const offset = -3 * 60_000;
    const evidence = liveEvidence();
    evidence.firstFrameAt += offset;
    evidence.lastFrameAt += offset;
    const answer = await identify(evidence, Date.now() + offset);
    assert.equal(answer.json.result, 'match');
    const payment = await terminal.authorise({
      token: answer.json.token as string,
      amountFen: 1_250,
      saleId: randomUUID(),
      idempotencyKey: randomUUID(),
    });
    assert.equal(payment.status, 'approved');
  });

  it('authorise without a token from weighed evidence is declined, nothing charged', async () => {
    const before = (await t.admin.payer(payerId)).balanceFen;
    const madeUp = await terminal.authorise({
      token: 'x'.repeat(43),
      amountFen: 1_250,
      saleId: randomUUID(),
      idempotencyKey: randomUUID(),
    });
    assert.deepEqual([madeUp.status, madeUp.declineCode], ['declined', 'TOKEN_INVALID']);
    assert.equal((await t.admin.payer(payerId)).balanceFen, before);
  });
});
