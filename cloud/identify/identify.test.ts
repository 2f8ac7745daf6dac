import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signRequest } from '../auth/signing';
import type { CloudClient, TerminalCredentials } from '../client/index';
import { sealEmbedding, identifyContext } from '../crypto/seal';
import {
  liveEvidence,
  databaseLabel,
  enrolPayer,
  probeBetween,
  randomUnit,
  rng,
  startTestCloud,
  type TestCloud,
} from '../test-support';

describe(`identify over HTTP with synthetic embeddings (${databaseLabel()})`, () => {
  let t: TestCloud;
  let terminal: CloudClient;
  const random = rng(42);

  before(async () => {
    t = await startTestCloud({ threshold: 0.41, margin: 0.05 });
    terminal = await t.pairedTerminal();
    // Strangers in the gallery: random directions, cosine about ±0.05 with anything here.
    for (let i = 0; i < 30; i++) {
      await enrolPayer(t.admin, {
        name: `Stranger ${i}`,
        phone: `1390000${String(i).padStart(4, '0')}`,
        templates: [randomUnit(random)],
      });
    }
  });
  after(() => t.close());

  it('answers a unique match with a token and the masked name', async () => {
    const { a, b, probe } = probeBetween(random, 0.3, 0.8, 0.35);
    await enrolPayer(t.admin, { name: '张小明', phone: '13812345678', templates: [a] });
    await enrolPayer(t.admin, { name: '李雷', phone: '13812340000', templates: [b] });
    const answer = await terminal.identify({
      embedding: probe,
      liveness: liveEvidence(),
      amountFen: 1250,
    });
    assert.equal(answer.result, 'match');
    if (answer.result !== 'match') return;
    // Only what the confirmation shows: no phone digits (the attack read 7 of 11).
    assert.deepEqual(answer.payer, { maskedName: '张*明' });
    assert.ok(!JSON.stringify(answer).includes('5678'), 'no phone digits in the answer');
    // No membership either: that comes with an authorised payment.
    assert.deepEqual(Object.keys(answer).sort(), ['payer', 'result', 'token', 'tokenExpiresAt']);
    assert.match(answer.token, /^[A-Za-z0-9_-]{43}$/);
  });

  it('says ambiguous when two payers are too close, then resolves by phone tail', async () => {
    const { a, b, probe } = probeBetween(random, 0.7, 0.72, 0.7);
    await enrolPayer(t.admin, { name: 'Alice Wong', phone: '13700001111', templates: [a] });
    await enrolPayer(t.admin, { name: 'Ann Wu', phone: '13700002222', templates: [b] });
    const first = await terminal.identify({
      embedding: probe,
      liveness: liveEvidence(),
      amountFen: 800,
    });
    assert.deepEqual(first, { result: 'ambiguous', ask: 'phone_tail' });

    const alice = await terminal.identifyWithPhoneTail({
      embedding: probe,
      liveness: liveEvidence(),
      amountFen: 800,
      phoneTail: '1111',
    });
    assert.equal(alice.result === 'match' && alice.payer.maskedName, 'A***e W**g');
    const ann = await terminal.identifyWithPhoneTail({
      embedding: probe,
      liveness: liveEvidence(),
      amountFen: 800,
      phoneTail: '2222',
    });
    assert.equal(ann.result === 'match' && ann.payer.maskedName, 'A*n W*');
    const nobody = await terminal.identifyWithPhoneTail({
      embedding: probe,
      liveness: liveEvidence(),
      amountFen: 800,
      phoneTail: '3333',
    });
    assert.deepEqual(nobody, { result: 'no_match' });
  });

  it('gives no match when even the phone tail cannot separate them', async () => {
    const { a, b, probe } = probeBetween(random, 0.8, 0.85, 0.84);
    await enrolPayer(t.admin, { name: 'Twin One', phone: '13600004444', templates: [a] });
    await enrolPayer(t.admin, { name: 'Twin Two', phone: '13500004444', templates: [b] });
    assert.equal(
      (await terminal.identify({ embedding: probe, liveness: liveEvidence(), amountFen: 100 }))
        .result,
      'ambiguous',
    );
    const narrowed = await terminal.identifyWithPhoneTail({
      embedding: probe,
      liveness: liveEvidence(),
      amountFen: 100,
      phoneTail: '4444',
    });
    assert.deepEqual(narrowed, { result: 'no_match' });
  });

  it('gives no match below the threshold and for a stranger', async () => {
    const { a, probe } = probeBetween(random, 0.1, 0.39, 0.0);
    await enrolPayer(t.admin, { name: 'Below Threshold', phone: '13300005555', templates: [a] });
    assert.deepEqual(
      await terminal.identify({ embedding: probe, liveness: liveEvidence(), amountFen: 100 }),
      { result: 'no_match' },
    );
    const stranger = randomUnit(random);
    assert.deepEqual(
      await terminal.identify({ embedding: stranger, liveness: liveEvidence(), amountFen: 100 }),
      { result: 'no_match' },
    );
  });

  it('stops matching a payer whose consent was withdrawn', async () => {
    const { a, probe } = probeBetween(random, 0.1, 0.9, 0.0);
    const payerId = await enrolPayer(t.admin, {
      name: 'Leaving Soon',
      phone: '13300006666',
      templates: [a],
    });
    assert.equal(
      (await terminal.identify({ embedding: probe, liveness: liveEvidence(), amountFen: 100 }))
        .result,
      'match',
    );
    assert.deepEqual(await t.admin.revokeTemplates(payerId), { revoked: 1 });
    assert.equal(
      (await terminal.identify({ embedding: probe, liveness: liveEvidence(), amountFen: 100 }))
        .result,
      'no_match',
    );
    assert.equal((await t.admin.payer(payerId)).templates, 0);
  });

  it('refuses a face without liveness, and embeddings that do not open', async () => {
    const probe = randomUnit(random);
    // Weak evidence (a photo scores near 0): refused before the embedding is even opened.
    await assert.rejects(
      terminal.identify({
        embedding: probe,
        liveness: liveEvidence([0.1, 0.05, 0.2, 0.1, 0.1]),
        amountFen: 100,
      }),
      { code: 'LIVENESS_REQUIRED', status: 422 },
    );
    // Sealed for another terminal: the context does not match, so GCM refuses it.
    const creds = terminal.credentials as TerminalCredentials;
    const foreign = sealEmbedding(probe, creds.identifyPublicKey, identifyContext('trm_other'));
    const tampered = { ...terminal.encryptEmbedding(probe) };
    tampered.ct = (tampered.ct[0] === 'A' ? 'B' : 'A') + tampered.ct.slice(1);
    for (const sealedEmbedding of [foreign, tampered]) {
      const sent = await rawIdentify(t.cloud.url, terminal, {
        sealedEmbedding,
        liveness: liveEvidence(),
        amountFen: 100,
      });
      assert.equal(sent, 'DECRYPTION_FAILED');
    }
  });

  it('refuses enrolment of a vector of the wrong size', async () => {
    const payer = await t.admin.createPayer({ name: 'Bad Vector', phone: '13300007777' });
    await assert.rejects(
      t.admin.enrol(payer.payerId, [new Float32Array(128).fill(0.1)], {
        source: 'vectors',
        consent: { textVersion: 'v1', recordedBy: 't' },
      }),
      { code: 'VALIDATION' },
    );
  });
});

/** Sends an identify body as given (already sealed), through the client's signing. */
async function rawIdentify(url: string, terminal: CloudClient, body: unknown): Promise<string> {
  const creds = terminal.credentials as TerminalCredentials;
  const text = JSON.stringify(body);
  const response = await fetch(`${url}/v1/identify`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signRequest({
        terminalId: creds.terminalId,
        secret: Buffer.from(creds.secret, 'base64url'),
        method: 'POST',
        pathAndQuery: '/v1/identify',
        body: text,
      }),
    },
    body: text,
  });
  return ((await response.json()) as { error: { code: string } }).error.code;
}
