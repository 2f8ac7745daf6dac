/**
 * A register's order paid by the customer's payment code, through the real host, the till's own
 * pay-by-code flow and the reference acquirer on a real loopback cloud: the payer's one-time
 * code from the back office, the payer's wallet as the money. Each test is something a buyer, a
 * register or a network can do; the wallet's balance is what left the buyer, the ledger what
 * the till recorded.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startTestCloud, type TestCloud } from '../../../cloud/test-support';
import {
  registerEvent,
  registerOrder,
  type PairResponse,
  type RegisterEvent,
  type RegisterOrder,
} from '../../contract';
import { createPosCore, type PosCore } from '../../core';
import { linkCloud } from '../../core/cloud-link';
import { startHost, type RunningHost } from '../server';
import { demoSignIn } from '../test-support/staff';
import { connectWs, type WsContractClient } from '../ws-client';
import { verifyCallback } from './signature';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'register-paycode-'));
  dirs.push(dir);
  return dir;
}

interface Terminal {
  core: PosCore;
  host: RunningHost;
  till: WsContractClient;
  paired: PairResponse;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  close(): Promise<void>;
}

/** A terminal with its host, a cashier signed in with a shift open, and a paired register. */
async function terminal(
  options: Parameters<typeof createPosCore>[2] = {},
  cloud?: TestCloud,
): Promise<Terminal> {
  const core = createPosCore(
    {
      dataDir: tempDir(),
      shopName: 'Code Shop',
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
      defaultLocale: 'en',
    },
    undefined,
    options,
  );
  if (cloud !== undefined) {
    const storeId = `shop-${Math.random().toString(36).slice(2, 8)}`;
    await cloud.admin.createStore({ storeId, name: 'Code Shop' });
    const { code } = await cloud.admin.pairingCode(storeId, 'till');
    core.attachCloud(
      await linkCloud({
        secrets: core.secrets,
        baseUrl: cloud.cloud.url,
        pairingCode: async () => code,
      }),
    );
  }
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  const host = await startHost({
    core,
    port: 0,
    rendererDir,
    registerCallbacks: { retryDelaysMs: [5, 5, 5], timeoutMs: 5_000 },
  });
  const ws = `ws://127.0.0.1:${host.port}/ws`;
  const till = await connectWs(ws, {}, { key: host.secrets.staff });
  await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
  await till.invoke('shift.open', { floatFen: 0 });
  const manager = await connectWs(ws, {}, { key: host.secrets.staff });
  await manager.invoke('manager.signIn', { pin: '888888' });
  const { code } = await manager.invoke('registers.pairingCode', {});
  await manager.close();
  const pairing = await fetch(`${host.url}/v1/register/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, name: 'ERP counter' }),
  });
  const paired = (await pairing.json()) as PairResponse;
  const api: Terminal['api'] = async (method, path, body) => {
    const res = await fetch(`${host.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${paired.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as unknown };
  };
  return {
    core,
    host,
    till,
    paired,
    api,
    async close() {
      await till.close().catch(() => undefined);
      await host.close();
      core.close();
    },
  };
}

const orderOf = (json: unknown): RegisterOrder =>
  registerOrder.parse((json as { order: unknown }).order);
const errorOf = (json: unknown) => (json as { error: { code: string; message: string } }).error;

/** The register's events socket: what it hears. */
async function listen(t: Terminal): Promise<{ socket: WebSocket; heard: RegisterEvent[] }> {
  const socket = new WebSocket(`ws://127.0.0.1:${t.host.port}/v1/register/events`, {
    headers: { authorization: `Bearer ${t.paired.token}` },
  });
  const heard: RegisterEvent[] = [];
  socket.on('message', (data: Buffer) =>
    heard.push(registerEvent.parse(JSON.parse(data.toString()))),
  );
  await new Promise((resolve) => socket.once('open', resolve));
  return { socket, heard };
}

/** Long-polls the order (as a register would) until `done` says so. */
async function pollUntil(
  t: Terminal,
  orderNo: string,
  done: (order: RegisterOrder) => boolean,
): Promise<RegisterOrder> {
  let version: number | undefined;
  for (;;) {
    const query = version === undefined ? '' : `?waitMs=5000&version=${version}`;
    const got = await t.api('GET', `/v1/register/orders/${orderNo}${query}`);
    const order = registerOrder.parse(got.json);
    if (done(order)) return order;
    version = order.version;
  }
}

describe('a register order paid by payment code (reference acquirer, loopback cloud)', () => {
  let cloud: TestCloud;
  let t: Terminal;
  let n = 0;

  before(async () => {
    cloud = await startTestCloud();
    t = await terminal({}, cloud);
  });
  after(async () => {
    await t.close();
    await cloud.close();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  async function payer(balanceFen: number) {
    const { payerId } = await cloud.admin.createPayer({
      name: '赵敏',
      phone: `137${String(10_000_000 + ++n)}`,
      balanceFen,
    });
    return {
      payerId,
      code: async (confirm = false) => (await cloud.admin.payCode(payerId, { confirm })).code,
      balance: async () => (await cloud.admin.payer(payerId)).balanceFen,
    };
  }

  async function openOrder(orderNo: string, amountFen: number, callbackUrl?: string) {
    const created = await t.api('POST', '/v1/register/orders', {
      orderNo,
      amountFen,
      ...(callbackUrl === undefined ? {} : { callbackUrl }),
    });
    return registerOrder.parse(created.json);
  }

  it('pays at once: the register hears each stage, then paid; the wallet is debited once', async () => {
    const p = await payer(10_000);
    const { socket, heard } = await listen(t);
    const created = await openOrder('PC-1', 2_345);
    const answer = await t.api('POST', '/v1/register/orders/PC-1/pay', {
      method: 'paycode',
      code: await p.code(),
    });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    const paid = orderOf(answer.json);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.awaiting, null);
    assert.equal(paid.codePayment?.stage, 'paid');
    assert.match(paid.codePayment?.masked ?? '', /^99\d\d….{4}$/);
    assert.deepEqual(
      paid.payments.map((x) => [x.method, x.amountFen]),
      [['qr', 2_345]],
    );
    assert.equal(await p.balance(), 7_655);
    assert.equal(t.core.ledger.acquirerPaymentsOf(created.saleId).length, 1);
    socket.close();
    const updates = heard.filter((e) => e.order.orderNo === 'PC-1');
    assert.ok(
      updates.some((e) => e.type === 'order.updated' && e.order.codePayment?.stage === 'charging'),
    );
    const last = updates.at(-1);
    assert.equal(last?.type, 'order.paid');
    assert.equal(last?.order.codePayment?.stage, 'paid');
  });

  it('the buyer confirms on the phone: waiting_for_buyer in the long-poll, then paid', async () => {
    const p = await payer(10_000);
    await openOrder('PC-2', 1_000);
    const code = await p.code(true);
    const paying = t.api('POST', '/v1/register/orders/PC-2/pay', { method: 'paycode', code });
    const waiting = await pollUntil(t, 'PC-2', (o) => o.codePayment?.stage === 'waiting_for_buyer');
    assert.equal(waiting.awaiting, 'paycode');
    assert.equal(waiting.status, 'open');
    assert.equal(typeof waiting.codePayment?.secondsLeft, 'number');
    await cloud.admin.confirmPayments(p.payerId);
    const answer = await paying;
    assert.equal(answer.status, 200);
    assert.equal(orderOf(answer.json).status, 'paid');
    assert.equal(await p.balance(), 9_000);
  });

  it('the same code scanned twice (at once, then again): one charge, the second is refused', async () => {
    const p = await payer(10_000);
    const created = await openOrder('PC-3', 1_500);
    const code = await p.code();
    const both = await Promise.all([
      t.api('POST', '/v1/register/orders/PC-3/pay', { method: 'paycode', code }),
      t.api('POST', '/v1/register/orders/PC-3/pay', { method: 'paycode', code }),
    ]);
    // The second scan joins the first's charge, or finds the order already paid.
    for (const answer of both) {
      if (answer.status === 200) assert.equal(orderOf(answer.json).status, 'paid');
      else assert.equal(errorOf(answer.json).code, 'SALE_NOT_OPEN');
    }
    assert.ok(both.some((a) => a.status === 200));
    const again = await t.api('POST', '/v1/register/orders/PC-3/pay', { method: 'paycode', code });
    assert.equal(again.status, 409);
    assert.match(errorOf(again.json).message, /already paid/);
    assert.equal(await p.balance(), 8_500);
    assert.equal(t.core.ledger.getSale(created.saleId).payments.length, 1);
  });

  it('the register goes away mid-payment: paid once, and the signed callback tells it', async () => {
    const p = await payer(10_000);
    const callbacks: { signature: string; body: string }[] = [];
    let paidArrived: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (paidArrived = resolve));
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        callbacks.push({ signature: String(req.headers['x-pos-signature']), body });
        res.end();
        if ((JSON.parse(body) as RegisterEvent).type === 'order.paid') paidArrived();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    try {
      const port = (hook.address() as { port: number }).port;
      const created = await openOrder('PC-4', 3_000, `http://127.0.0.1:${port}/pos`);
      const code = await p.code(true);
      const gone = new AbortController();
      const paying = fetch(`${t.host.url}/v1/register/orders/PC-4/pay`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${t.paired.token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ method: 'paycode', code }),
        signal: gone.signal,
      }).catch((error: unknown) => error);
      await pollUntil(t, 'PC-4', (o) => o.codePayment?.stage === 'waiting_for_buyer');
      gone.abort();
      assert.ok((await paying) instanceof Error, 'the register hung up');
      await cloud.admin.confirmPayments(p.payerId);
      await arrived;
      const back = registerOrder.parse((await t.api('GET', '/v1/register/orders/PC-4')).json);
      assert.equal(back.status, 'paid');
      assert.equal(t.core.ledger.getSale(created.saleId).payments.length, 1);
      assert.equal(await p.balance(), 7_000);
      const paidCallback = callbacks.find(
        (c) => (JSON.parse(c.body) as RegisterEvent).type === 'order.paid',
      );
      assert.ok(paidCallback !== undefined);
      assert.equal(
        verifyCallback(
          t.paired.callbackSecret,
          paidCallback.signature,
          paidCallback.body,
          Math.floor(Date.now() / 1000),
        ).ok,
        true,
      );
    } finally {
      await new Promise((resolve) => hook.close(resolve));
    }
  });

  it("not enough in the wallet: refused in the acquirer's words, the order stays open", async () => {
    const p = await payer(100);
    await openOrder('PC-5', 1_000);
    const answer = await t.api('POST', '/v1/register/orders/PC-5/pay', {
      method: 'paycode',
      code: await p.code(),
    });
    assert.equal(answer.status, 200);
    const refused = orderOf(answer.json);
    assert.equal(refused.status, 'open');
    assert.equal(refused.awaiting, null);
    assert.equal(refused.codePayment?.stage, 'refused');
    assert.equal(refused.codePayment?.code, 'BALANCE_NOT_ENOUGH');
    assert.ok((refused.codePayment?.message ?? '').length > 0);
    assert.equal(await p.balance(), 100);
    // Another method still takes it.
    const cash = await t.api('POST', '/v1/register/orders/PC-5/pay', { method: 'cash' });
    assert.equal(orderOf(cash.json).status, 'paid');
  });

  it('a malformed or foreign code: 400 with the reason, nothing asked of the acquirer', async () => {
    await openOrder('PC-6', 500);
    const malformed = await t.api('POST', '/v1/register/orders/PC-6/pay', {
      method: 'paycode',
      code: '6901234567892x',
    });
    assert.equal(malformed.status, 400);
    assert.equal(errorOf(malformed.json).code, 'VALIDATION');
    assert.match(errorOf(malformed.json).message, /Not a payment code/);
    const foreign = await t.api('POST', '/v1/register/orders/PC-6/pay', {
      method: 'paycode',
      code: '500000000000000000',
    });
    assert.equal(foreign.status, 400);
    assert.match(errorOf(foreign.json).message, /no wallet this terminal accepts/);
    const order = registerOrder.parse((await t.api('GET', '/v1/register/orders/PC-6')).json);
    assert.equal(order.status, 'open');
    assert.equal(order.codePayment, null);
    await t.api('POST', '/v1/register/orders/PC-6/cancel', {});
  });

  it('no acquirer configured: NOT_SUPPORTED naming the wallet', async () => {
    const bare = await terminal({ payments: { acquirers: {} } });
    try {
      await bare.api('POST', '/v1/register/orders', { orderNo: 'N1', amountFen: 500 });
      const answer = await bare.api('POST', '/v1/register/orders/N1/pay', {
        method: 'paycode',
        code: '991234567890123456',
      });
      assert.equal(answer.status, 501);
      assert.equal(errorOf(answer.json).code, 'NOT_SUPPORTED');
      assert.equal(
        errorOf(answer.json).message,
        'No acquirer is configured for Reference wallet codes.',
      );
    } finally {
      await bare.close();
    }
  });
});
