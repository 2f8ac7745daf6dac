/**
 * The cloud killed between debit and answer. The reference cloud runs as its own process (PGlite
 * on disk); the terminal reaches it through a proxy. When the cloud has answered the terminal's
 * authorise (so the wallet is debited) the proxy kills the cloud with SIGKILL and cuts the
 * terminal's connection: the answer never arrives. The cloud is restarted on the same data and
 * port; the terminal, asking status(key) meanwhile, finds the approved payment and records it.
 * Exactly one face payment in the ledger, the wallet debited once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { AdminClient } from '../../cloud/client/admin';
import { createPosCore, type PosCore } from '../core';
import { linkCloud } from '../core/cloud-link';
import { repoRoot } from '../face/models';
import { DEMO_PRODUCTS } from '../ledger/demo-catalog';
import { startHost, type RunningHost } from './server';
import {
  CapturePage,
  FACE_CLIP,
  enrolPayer,
  enrolmentEmbeddings,
  startRecordingProxy,
  type RecordingProxy,
} from './test-support/facepay';
import { connectWs, type WsContractClient } from './ws-client';
import { FACES } from '../face/test-faces';
import { demoSignIn } from './test-support/staff';

const until = async (check: () => boolean | Promise<boolean>, what: string, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((r) => server.close(r));
  return port;
}

const root = mkdtempSync(join(tmpdir(), 'facepay-crash-'));
const cloudDir = join(root, 'cloud');
const adminToken = randomBytes(24).toString('base64url');
let port = 0;
let cloudProcess: ChildProcess | null = null;
let output = '';

/**
 * Starts `npm run cloud` (serve) on the fixed port and data directory: PGlite on disk, whatever
 * DATABASE_URL the shell holds (a shared database would hold other runs' payers: ambiguity).
 */
async function startCloudProcess(): Promise<string> {
  const { DATABASE_URL: _url, CLOUD_DB_SCHEMA: _schema, ...env } = process.env;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'cloud/cli.ts'), 'serve', '--data-dir', cloudDir],
    {
      cwd: repoRoot,
      env: { ...env, CLOUD_PORT: String(port), CLOUD_ADMIN_TOKEN: adminToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  cloudProcess = child;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cloud did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /CLOUD_READY (\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        output = '';
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cloud exited (${String(code)}):\n${output}`));
    });
  });
}

async function killCloud(): Promise<void> {
  const child = cloudProcess;
  if (child === null || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

let core: PosCore | null = null;
let host: RunningHost | null = null;
let proxy: RecordingProxy | null = null;
let page: CapturePage | null = null;
let ws: WsContractClient | null = null;
let display: WsContractClient | null = null;

before(async () => {
  port = await freePort();
  mkdirSync(cloudDir, { mode: 0o700 });
});

after(async () => {
  await display?.close();
  await ws?.close();
  await page?.close();
  await host?.close();
  core?.close();
  await proxy?.close();
  if (cloudProcess !== null && cloudProcess.exitCode === null) {
    const exited = new Promise((r) => cloudProcess?.once('exit', r));
    cloudProcess.kill('SIGTERM');
    await exited;
  }
  rmSync(root, { recursive: true, force: true });
});

it(
  'the cloud killed between debit and answer: the terminal resolves by status query',
  { skip: FACES.skip },
  async () => {
    const url = await startCloudProcess();
    const admin = new AdminClient(url, adminToken);
    await admin.createStore({ storeId: 'shop-crash', name: 'Crash Shop' });
    const payerId = await enrolPayer(admin, {
      name: '陈静',
      phone: '13500002468',
      balanceFen: 80_000,
      templates: await enrolmentEmbeddings(),
    });
    const { code } = await admin.pairingCode('shop-crash', 'till');

    const dataDir = join(root, 'terminal');
    core = createPosCore({
      dataDir,
      shopName: 'Crash Shop',
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
      defaultLocale: 'zh-CN',
    });
    host = await startHost({ core, port: 0 });
    proxy = await startRecordingProxy(url);
    core.facePay.attachCloud(
      await linkCloud({ secrets: core.secrets, baseUrl: proxy.url, pairingCode: async () => code }),
    );
    page = await CapturePage.connect(host.url, FACE_CLIP, { key: host.secrets.display });
    ws = await connectWs(`ws://127.0.0.1:${host.port}/ws`, {}, { key: host.secrets.staff });
    // The payer confirms on the customer display.
    display = await connectWs(`ws://127.0.0.1:${host.port}/ws`, {}, { key: host.secrets.display });
    const customer = display;
    const client = ws;
    await until(
      async () => (await client.invoke('facepay.status', {})).availability.available,
      'face pay offered',
    );

    await client.invoke('auth.signIn', await demoSignIn(client, 'cashier'));
    await client.invoke('shift.open', { floatFen: 0 });
    const product = DEMO_PRODUCTS[11];
    assert.ok(product);
    const sale = await client.invoke('sale.addItem', { barcode: product.barcode, qty: 3 });
    await client.invoke('facepay.start', { saleId: sale.id });
    await until(
      async () => (await client.invoke('facepay.status', {})).state.phase === 'confirm',
      'confirm',
    );

    // The cloud debits and answers; the answer dies with the cloud.
    let killedAt = 0;
    proxy.intercept = async (exchange) => {
      if (exchange.path !== '/v1/payments/authorise' || killedAt !== 0) return 'pass';
      assert.equal(exchange.status, 200, 'the cloud approved');
      killedAt = Date.now();
      await killCloud();
      return 'drop';
    };
    await customer.invoke('facepay.confirm', { saleId: sale.id });
    await until(() => killedAt !== 0, 'the cloud to be killed');
    const during = await client.invoke('facepay.status', {});
    assert.equal(during.state.phase, 'authorising', 'still resolving, not failed, not paid');
    const saleNow = await client.invoke('sale.get', { saleId: sale.id });
    assert.equal(saleNow.status, 'open');

    // While the cloud is down the terminal keeps asking what became of the payment (the proxy
    // logs every request that reaches it, answered or not): a terminal that guessed (paid, or
    // failed the attempt) would send none. None of them got an answer, and the authorisation was
    // not sent again.
    const recorder = proxy;
    const statusWhileDown = () =>
      recorder.requests.filter(
        (r) => r.path.startsWith('/v1/payments/by-key/') && r.at >= killedAt,
      );
    await until(() => statusWhileDown().length >= 2, 'status queries while the cloud is down');
    await until(
      () => statusWhileDown().every((r) => r.outcome !== 'pending'),
      'the queries to meet the dead cloud',
    );
    const askedWhileDown = statusWhileDown();
    assert.ok(
      askedWhileDown.every((r) => r.outcome === 'unreachable'),
      'no answer came back while the cloud was down',
    );
    const key = encodeURIComponent(`fp:${sale.id}:1`);
    assert.ok(
      askedWhileDown.every((r) => r.path === `/v1/payments/by-key/${key}`),
      'asking about this payment, by its key',
    );
    const stillAuthorising = await client.invoke('facepay.status', {});
    assert.equal(stillAuthorising.state.phase, 'authorising', 'still asking, not guessing');
    await startCloudProcess();

    await until(
      async () => (await client.invoke('facepay.status', {})).state.phase === 'paid',
      'paid after the restart',
      45_000,
    );
    const statusAnswers = proxy.exchanges.filter(
      (e) => e.path.startsWith('/v1/payments/by-key') && e.status === 200,
    );
    assert.equal(statusAnswers.length, 1, 'the status query found the approved payment');
    const found = JSON.parse(statusAnswers[0]?.responseBody ?? '{}') as {
      status: string;
      paymentId: string;
    };
    assert.equal(found.status, 'approved');
    assert.equal(
      proxy.requests.filter((r) => r.path === '/v1/payments/authorise').length,
      1,
      'the authorisation was sent once',
    );

    const done = await client.invoke('sale.get', { saleId: sale.id });
    assert.equal(done.status, 'completed');
    assert.deepEqual(
      done.payments.map((p) => [p.method, p.amountFen, p.reference]),
      [['face', sale.totalFen, found.paymentId]],
    );
    const payer = await new AdminClient(url, adminToken).payer(payerId);
    assert.equal(payer.balanceFen, 80_000 - sale.totalFen, 'debited exactly once');
  },
);
