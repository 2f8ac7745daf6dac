/**
 * A cashier's refund of a face-paid sale gives the money back to the payer's wallet in the
 * cloud, exactly once: the core sends the credit at refund time (online), the sync worker sends
 * it when the terminal reconnects (offline), and duplicate or repeated deliveries (a lost answer
 * resent, a request delivered twice, the core and the worker both sending) never credit twice.
 * After each run the cloud's store report equals the terminal's daily report to the fen.
 *
 * Real parts: the core over a ledger file, the reference cloud on loopback (PGlite, or
 * PostgreSQL with DATABASE_URL), its identify and authorise (a synthetic template stands for
 * the face: the camera is not what is tested here), the sync worker thread, a fault proxy.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { CloudClient } from '../../cloud/client';
import {
  liveEvidence,
  enrolPayer,
  randomUnit,
  rng,
  startTestCloud,
  type TestCloud,
} from '../../cloud/test-support';
import type { Sale } from '../contract';
import { createPosCore, type PosCore } from '../core';
import { paymentKeyFrom, VerifiedFaceDebit } from '../ledger';
import { SyncWorker } from './index';
import { startFaultProxy, type Fault, type FaultProxy } from './test-support/fault-proxy';
import { assertSameTotals, shopOn, until, type ShopCloud } from './test-support/shop';
import { call, signInCashier } from '../core/test-support/calls';

const MANAGER_PIN = '888888';
const OPENING_BALANCE = 50_000;

const FAST_SYNC = {
  pollMs: 10,
  statusIntervalMs: 0,
  catalogIntervalMs: 0,
  requestTimeoutMs: 2_000,
  backoff: { baseMs: 20, capMs: 200 },
  walletCreditDelayMs: 0,
};

describe('refunds of face-paid sales credit the wallet exactly once', () => {
  // One cloud for the suite (it takes seconds to start); each test has a store of its own.
  let testCloud: TestCloud;
  let dataDir: string;
  let cloud: ShopCloud;
  let proxy: FaultProxy;
  let core: PosCore;
  let sync: SyncWorker | null;
  let payerId: string;
  let template: Float32Array;
  /** The proxy's log of refund requests (what reached it, before any fault). */
  let refundRequests: number;

  before(async () => {
    testCloud = await startTestCloud({ logger: false });
  });
  after(() => testCloud.close());

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pos-wallet-credit-'));
    cloud = await shopOn(testCloud);
    refundRequests = 0;
    proxy = await startFaultProxy(cloud.test.cloud.url);
    template = randomUnit(rng(Math.floor(Math.random() * 1e9)));
    payerId = await enrolPayer(cloud.test.admin, {
      name: '张三丰',
      phone: '13800001234',
      balanceFen: OPENING_BALANCE,
      templates: [template],
    });
    core = createPosCore(
      {
        dataDir,
        shopName: 'Wallet Shop',
        terminalId: 'T01',
        timezone: 'Asia/Shanghai',
        defaultLocale: 'en',
      },
      undefined,
      { facePay: { probe: async () => true }, walletCreditWaitMs: 3_000 },
    );
    core.attachCloud({
      baseUrl: proxy.url,
      credentials: cloud.credentials,
      client: new CloudClient({ baseUrl: proxy.url, credentials: cloud.credentials }),
    });
    sync = null;
    await signInCashier(core);
    await call(core, 'shift.open', { floatFen: 10_000 });
  });

  afterEach(async () => {
    await sync?.stop();
    core.close();
    await proxy.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Counts the refund requests reaching the proxy, then applies `fault` to them. */
  function onRefunds(fault: (n: number) => Fault): void {
    proxy.setPolicy(({ path }) => {
      if (!path.startsWith('/v1/refunds')) return { kind: 'pass' };
      refundRequests += 1;
      return fault(refundRequests);
    });
  }

  /**
   * A sale paid by face: identified and authorised by the cloud (the wallet debited once), and
   * recorded in the ledger with the cloud's payment id, as face pay records it.
   */
  async function faceSale(): Promise<{ sale: Sale; paymentId: string }> {
    await call(core, 'sale.addItem', { sku: 'DRK-001', qty: 3 });
    const sale = await call(core, 'sale.addItem', { sku: 'SNK-001', qty: 2 });
    const client = new CloudClient({
      baseUrl: cloud.test.cloud.url,
      credentials: cloud.credentials,
    });
    const match = await client.identify({
      embedding: template,
      liveness: liveEvidence(),
      amountFen: sale.dueFen,
    });
    assert.equal(match.result, 'match');
    if (match.result !== 'match') throw new Error('no match');
    const payment = await client.authorise({
      token: match.token,
      amountFen: sale.dueFen,
      saleId: sale.id,
      idempotencyKey: `fp:${sale.id}:1`,
    });
    assert.equal(payment.status, 'approved');
    // Recorded as face pay records it: on the cloud's signed answer, verified.
    const debit = VerifiedFaceDebit.verify(
      payment.authorisation,
      paymentKeyFrom(await client.paymentPublicKey()),
      { terminalId: client.credentials?.terminalId ?? '', saleId: sale.id, amountFen: sale.dueFen },
    );
    const paid = core.ledger.payFace(debit, (await call(core, 'auth.current', {}))?.id ?? '');
    assert.equal(paid.status, 'completed');
    return { sale: paid, paymentId: payment.paymentId };
  }

  async function balance(): Promise<number> {
    return (await cloud.test.admin.payer(payerId)).balanceFen;
  }

  /** The cloud's own books for the payment: refund rows by key, credits to the wallet. */
  async function cloudBooks(paymentId: string) {
    const db = cloud.test.cloud.db;
    const refunds = await db.query<{ idempotency_key: string; amount_fen: number; status: string }>(
      'SELECT idempotency_key, amount_fen, status FROM refunds WHERE payment_id = $1 ORDER BY created_at',
      [paymentId],
    );
    const credits = await db.query<{ amount_fen: number }>(
      "SELECT amount_fen FROM wallet_entries WHERE payer_id = $1 AND kind = 'refund' ORDER BY id",
      [payerId],
    );
    const payment = await db.query<{ refunded_fen: number }>(
      'SELECT refunded_fen FROM payments WHERE id = $1',
      [paymentId],
    );
    return {
      refunds: refunds.rows.map((r) => [r.idempotency_key, r.amount_fen, r.status]),
      credits: credits.rows.map((r) => r.amount_fen),
      refundedFen: payment.rows[0]?.refunded_fen,
    };
  }

  function startSync(): SyncWorker {
    sync = SyncWorker.start({
      ledgerFile: join(dataDir, 'ledger.db'),
      timezone: 'Asia/Shanghai',
      baseUrl: proxy.url,
      credentials: cloud.credentials,
      settings: FAST_SYNC,
    });
    return sync;
  }

  async function reportsAgree(): Promise<void> {
    const worker = sync ?? startSync();
    await until(
      () => core.ledger.pendingOutboxCount() === 0 && core.ledger.pendingWalletCreditCount() === 0,
      30_000,
      'events and credits delivered',
    );
    await until(() => worker.status?.state === 'idle', 10_000, 'the worker idle');
    const shop = {
      dir: dataDir,
      file: join(dataDir, 'ledger.db'),
      ledger: core.ledger,
      cleanup() {},
    };
    await assertSameTotals(shop, cloud, core.ledger.businessDate());
  }

  it('online: the refund credits the wallet at once, once; the void credits the rest', async () => {
    const { sale, paymentId } = await faceSale();
    onRefunds(() => ({ kind: 'pass' }));
    assert.equal(await balance(), OPENING_BALANCE - sale.totalFen);

    const part = await call(core, 'refund.create', {
      saleId: sale.id,
      lines: [{ lineNo: 1, qty: 1 }],
      reason: 'damaged',
      managerPin: MANAGER_PIN,
    });
    const facePayment = sale.payments[0];
    assert.ok(facePayment);
    assert.deepEqual(part.walletCredits, [
      { paymentId: facePayment.id, amountFen: part.amountFen, status: 'credited', code: null },
    ]);
    assert.equal(await balance(), OPENING_BALANCE - sale.totalFen + part.amountFen);

    const rest = await call(core, 'sale.voidCompleted', {
      saleId: sale.id,
      reason: 'changed their mind',
      managerPin: MANAGER_PIN,
    });
    assert.equal(rest.walletCredits[0]?.status, 'credited');
    assert.equal(part.amountFen + rest.amountFen, sale.totalFen);
    assert.equal(await balance(), OPENING_BALANCE, 'everything paid is back, no more');
    assert.equal(refundRequests, 2, 'one request per credit');

    // The worker finds nothing left to credit; the books agree to the fen.
    await reportsAgree();
    assert.equal(refundRequests, 2, 'the worker sent no credit again');
    assert.deepEqual(await cloudBooks(paymentId), {
      refunds: [
        [`rf:${part.id}:${facePayment.id}`, part.amountFen, 'approved'],
        [`rf:${rest.id}:${facePayment.id}`, rest.amountFen, 'approved'],
      ],
      credits: [part.amountFen, rest.amountFen],
      refundedFen: sale.totalFen,
    });
    assert.equal(await balance(), OPENING_BALANCE);
  });

  it('offline: the refund stands at once, pending; the worker credits it once on reconnect', async () => {
    const { sale, paymentId } = await faceSale();
    onRefunds(() => ({ kind: 'pass' }));
    proxy.setDown(true);

    const started = Date.now();
    const refund = await call(core, 'refund.create', {
      saleId: sale.id,
      lines: [{ lineNo: 2, qty: 2 }],
      reason: 'returned',
      managerPin: MANAGER_PIN,
    });
    assert.ok(Date.now() - started < 3_000, 'the refund did not wait out the cloud');
    assert.equal(refund.walletCredits[0]?.status, 'pending');
    assert.equal(refund.walletCredits[0]?.amountFen, refund.amountFen);
    assert.equal(
      core.ledger.getSale(sale.id).refundedFen,
      refund.amountFen,
      'the ledger refund stands',
    );
    assert.equal((await call(core, 'sync.status', {})).pendingWalletCredits, 1);
    assert.equal(await balance(), OPENING_BALANCE - sale.totalFen, 'not credited yet');

    // The worker keeps trying while the cloud is away, then gets through.
    const worker = startSync();
    await until(() => (worker.status?.failures ?? 0) >= 3, 10_000, 'failed attempts');
    assert.equal(worker.status?.pendingWalletCredits, 1);
    proxy.setDown(false);
    await until(() => core.ledger.pendingWalletCreditCount() === 0, 20_000, 'the credit');
    assert.deepEqual(core.ledger.walletCreditsOf(refund.id), [
      {
        paymentId: sale.payments[0]?.id,
        amountFen: refund.amountFen,
        status: 'credited',
        code: null,
      },
    ]);
    assert.equal(await balance(), OPENING_BALANCE - sale.totalFen + refund.amountFen);

    await reportsAgree();
    const books = await cloudBooks(paymentId);
    assert.deepEqual(books.credits, [refund.amountFen], 'credited once');
    assert.equal(books.refunds.length, 1);
    assert.equal(books.refundedFen, refund.amountFen);
  });

  it('a lost answer, a request delivered twice, the core and the worker racing: one credit', async () => {
    const { sale, paymentId } = await faceSale();
    // The first delivery is carried out and its answer lost; every later one arrives twice.
    onRefunds((n) =>
      n === 1 ? { kind: 'drop-after' } : { kind: 'duplicate', concurrent: n % 2 === 0 },
    );
    const refund = await call(core, 'refund.create', {
      saleId: sale.id,
      lines: [{ lineNo: 1, qty: 2 }],
      reason: 'returned',
      managerPin: MANAGER_PIN,
    });
    // The cloud credited, but the terminal could not know: it says pending, never "credited".
    assert.equal(refund.walletCredits[0]?.status, 'pending');
    assert.equal(await balance(), OPENING_BALANCE - sale.totalFen + refund.amountFen);

    // The worker sends the same credit again (twice over, through the proxy): the stored answer.
    startSync();
    await until(() => core.ledger.pendingWalletCreditCount() === 0, 20_000, 'the credit');
    assert.equal(core.ledger.walletCreditsOf(refund.id)[0]?.status, 'credited');

    // The rest, voided while the worker is also sending pending credits: both may send it.
    const rest = await call(core, 'sale.voidCompleted', {
      saleId: sale.id,
      reason: 'changed their mind',
      managerPin: MANAGER_PIN,
    });
    await until(() => core.ledger.pendingWalletCreditCount() === 0, 20_000, 'the second credit');

    await reportsAgree();
    assert.ok(refundRequests >= 3, `credits were delivered more than once: ${refundRequests}`);
    assert.ok(proxy.counts.duplicate >= 1, 'duplicates reached the cloud');
    const books = await cloudBooks(paymentId);
    assert.deepEqual(books.credits.sort(), [refund.amountFen, rest.amountFen].sort());
    assert.equal(books.refunds.length, 2, 'one cloud refund per ledger credit');
    assert.equal(books.refundedFen, sale.totalFen);
    assert.equal(await balance(), OPENING_BALANCE, 'never beyond what was paid, never twice');
  });
});
