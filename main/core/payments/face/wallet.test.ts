/**
 * The reference cloud's stored-value wallet as face pay's FaceSettlement, against the real cloud
 * on loopback (PGlite, or PostgreSQL with DATABASE_URL): a debit is paid once per key and its
 * signed word verifies only for its own sale; a balance too low is refused and `query` finds it
 * closed; a key never sent is not_found; a refund credits the wallet once and never beyond the
 * debit; a cloud that does not answer is `unknown`, never paid or refused.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { CloudClient } from '../../../../cloud/client';
import {
  enrolPayer,
  liveEvidence,
  randomUnit,
  rng,
  startTestCloud,
  UNLIMITED,
  type TestCloud,
} from '../../../../cloud/test-support';
import type { FacePaid } from '../types';
import type { FacePayLink } from './ports';
import { StoredValueWallet } from './wallet';

describe('the stored-value wallet (FaceSettlement) against the reference cloud', () => {
  let cloud: TestCloud;
  let client: CloudClient;
  let link: FacePayLink;
  let payerId: string;
  const template = randomUnit(rng(7));

  before(async () => {
    cloud = await startTestCloud({ logger: false, limits: UNLIMITED });
    client = await cloud.pairedTerminal();
    const credentials = client.credentials;
    assert.ok(credentials);
    link = { baseUrl: cloud.cloud.url, credentials, client };
    payerId = await enrolPayer(cloud.admin, {
      name: '钱七',
      phone: '13700007777',
      balanceFen: 1_000,
      templates: [template],
    });
  });
  after(() => cloud.close());

  /** The payer identified for this amount, as the attempt does before Confirm. */
  async function tokenFor(amountFen: number): Promise<string> {
    const match = await client.identify({
      embedding: template,
      liveness: liveEvidence(),
      amountFen,
    });
    assert.equal(match.result, 'match');
    return match.result === 'match' ? match.token : '';
  }

  const balance = async () => (await cloud.admin.payer(payerId)).balanceFen;

  it('debits once per key; the signed word verifies for its sale only; refunds credit it back once', async () => {
    const wallet = new StoredValueWallet(link, 5_000);
    assert.deepEqual(await wallet.prepare(), { kind: 'ready' });
    const saleId = randomUUID();
    const request = {
      token: await tokenFor(600),
      amountFen: 600,
      saleId,
      idempotencyKey: `fp:${saleId}:1`,
    };
    const paid = await wallet.debit(request);
    assert.equal(paid.kind, 'paid');
    const first = paid as FacePaid & { kind: 'paid' };
    assert.equal(first.amountFen, 600);
    assert.equal(await balance(), 400);

    // The same key again (a resend after a lost answer) is the same payment, not a second debit.
    const again = await wallet.debit(request);
    assert.equal(again.kind === 'paid' && again.paymentId, first.paymentId);
    const found = await wallet.query(request.idempotencyKey);
    assert.equal(found.kind === 'paid' && found.paymentId, first.paymentId);
    assert.equal(await balance(), 400);

    // The proof the ledger records: for this sale and amount only.
    assert.equal(wallet.verify(first, saleId).debit.paymentId, first.paymentId);
    assert.throws(() => wallet.verify(first, randomUUID()), { code: 'FORBIDDEN' });
    assert.throws(() => wallet.verify({ ...first, amountFen: 1 }, saleId), { code: 'FORBIDDEN' });

    const refund = {
      saleId,
      paymentId: first.paymentId,
      amountFen: 600,
      idempotencyKey: `fpr:${saleId}:1`,
    };
    const refunded = await wallet.refund(refund);
    assert.equal(refunded.kind, 'refunded');
    assert.equal((await wallet.refund(refund)).kind, 'refunded', 'the same key: the same refund');
    assert.equal(await balance(), 1_000, 'credited once');
    const beyond = await wallet.refund({
      ...refund,
      amountFen: 1,
      idempotencyKey: `fpr:${saleId}:2`,
    });
    assert.equal(beyond.kind, 'refused');
    assert.equal(await balance(), 1_000);
  });

  it('a balance too low is refused, and query finds that debit closed; a key never sent is not_found', async () => {
    const wallet = new StoredValueWallet(link, 5_000);
    const saleId = randomUUID();
    const key = `fp:${saleId}:1`;
    const refused = await wallet.debit({
      token: await tokenFor(5_000),
      amountFen: 5_000,
      saleId,
      idempotencyKey: key,
    });
    assert.deepEqual(
      refused.kind === 'refused' && refused.code,
      'INSUFFICIENT_BALANCE',
      JSON.stringify(refused),
    );
    const closed = await wallet.query(key);
    assert.equal(closed.kind === 'closed' && closed.code, 'INSUFFICIENT_BALANCE');
    assert.deepEqual(await wallet.query(`fp:${randomUUID()}:1`), { kind: 'not_found' });
    assert.equal(await balance(), 1_000);
  });

  it('a cloud that does not answer is unknown, never paid or refused', async () => {
    const { CloudClient } = await import('../../../../cloud/client');
    const credentials = client.credentials;
    assert.ok(credentials);
    // A port nothing listens on (the cloud's own, once closed, would be reused by the suite).
    const silent = 'http://127.0.0.1:9';
    const offline = new StoredValueWallet(
      { baseUrl: silent, credentials, client: new CloudClient({ baseUrl: silent, credentials }) },
      2_000,
    );
    // (prepare needs no call: the key came with pairing, in the credentials.)
    const saleId = randomUUID();
    const key = `fp:${saleId}:1`;
    const debit = await offline.debit({
      token: 'x'.repeat(40),
      amountFen: 100,
      saleId,
      idempotencyKey: key,
    });
    assert.equal(debit.kind, 'unknown');
    assert.equal((await offline.query(key)).kind, 'unknown');
    const refund = await offline.refund({
      saleId,
      paymentId: randomUUID(),
      amountFen: 100,
      idempotencyKey: `fpr:${saleId}:1`,
    });
    assert.equal(refund.kind, 'unknown');
  });
});
