/**
 * The face template must be unreadable on the wire and in logs: identify and camera enrolment
 * bodies carry only ciphertext, and the service's log lines hold route, status, duration and
 * terminal id, never a body, an embedding, a ciphertext, a token or a secret.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CloudClient } from './client/index';
import { encodeEmbedding } from './crypto/seal';
import {
  CONSENT,
  liveEvidence,
  databaseLabel,
  randomUnit,
  rng,
  startTestCloud,
  type TestCloud,
} from './test-support';

/** Ways an embedding could leak as text: its numbers, or its bytes in hex or base64. */
function plaintextForms(embedding: Float32Array): string[] {
  const values = Array.from(embedding.subarray(0, 12));
  const bytes = encodeEmbedding(embedding).subarray(0, 24);
  return [
    ...values.map((v) => String(v)),
    ...values.map((v) => v.toFixed(6)),
    ...values.map((v) => String(Math.fround(v)).slice(0, 8)),
    bytes.toString('hex'),
    bytes.toString('base64').slice(0, 24),
    bytes.toString('base64url').slice(0, 24),
  ].filter((s) => s.replace(/[-0.]/g, '').length >= 4);
}

describe(`no plaintext embedding on the wire or in logs (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  const sent: string[] = [];
  const received: string[] = [];
  const realFetch = globalThis.fetch;

  before(async () => {
    t = await startTestCloud({ threshold: 0.41 });
    terminal = await t.pairedTerminal();
    globalThis.fetch = async (input, init) => {
      if (typeof init?.body === 'string') sent.push(init.body);
      const response = await realFetch(input, init);
      received.push(await response.clone().text());
      return response;
    };
  });
  after(async () => {
    globalThis.fetch = realFetch;
    await t.close();
  });

  it('sends only ciphertext and logs only route, status, duration and terminal', async () => {
    const face = randomUnit(rng(5));
    const payer = await t.admin.createPayer({
      name: 'Secret Person',
      phone: '13812349876',
      balanceFen: 10_000,
    });
    // A camera enrolment seals the vectors for the wire too.
    await t.admin.enrol(payer.payerId, [face], {
      source: 'camera',
      consent: CONSENT,
      sealTo: t.cloud.identifyPublicKey,
    });
    const answer = await terminal.identify({
      embedding: face,
      liveness: liveEvidence(),
      amountFen: 500,
    });
    assert.equal(answer.result, 'match');
    const token = answer.result === 'match' ? answer.token : '';
    await terminal.authorise({ token, amountFen: 500, saleId: 's1', idempotencyKey: randomUUID() });
    await terminal
      .identify({
        embedding: randomUnit(rng(6)),
        liveness: liveEvidence([0.1, 0.1, 0.1]),
        amountFen: 1,
      })
      .catch(() => {});

    const wire = [...sent, ...received].join('\n');
    for (const form of plaintextForms(face))
      assert.ok(!wire.includes(form), `the wire holds ${form}`);
    assert.ok(
      sent.some((b) => b.includes('"sealedEmbedding"')) &&
        sent.some((b) => b.includes('"sealedEmbeddings"')),
    );

    const ciphertexts = sent.flatMap((b) =>
      [...b.matchAll(/"ct":"([^"]+)"/g)].map((m) => m[1] as string),
    );
    assert.ok(ciphertexts.length >= 2);
    const logs = t.logs.join('\n');
    const secrets = [
      ...plaintextForms(face),
      ...ciphertexts.map((c) => c.slice(0, 32)),
      token,
      terminal.credentials?.secret as string,
      t.cloud.adminToken,
      'Secret Person',
      '13812349876',
      '9876',
    ];
    for (const secret of secrets)
      assert.ok(!logs.includes(secret), `a log line holds ${secret.slice(0, 12)}…`);

    const requests = t.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === 'request');
    const identify = requests.find((l) => l.route === '/v1/identify');
    assert.deepEqual(
      Object.keys(identify ?? {})
        .filter((k) => !['level', 'time', 'pid', 'hostname', 'reqId'].includes(k))
        .sort(),
      ['method', 'ms', 'msg', 'route', 'status', 'terminalId'],
    );
    assert.equal(identify?.terminalId, terminal.credentials?.terminalId);
    assert.ok(requests.some((l) => l.route === '/v1/identify' && l.status === 422));
  });
});
