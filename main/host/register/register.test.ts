/**
 * The register API through the real host on loopback, with a real ledger file: each test is a
 * door attack or a fault the issue names (unpaired/revoked tokens, a guessed pairing code, the
 * same order number with other content, amounts out of range, BUSY both ways, a register that
 * goes away mid-payment, forged and replayed callbacks, a taken port).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import {
  REGISTER_WS_PROTOCOL,
  REGISTER_WS_TOKEN_PREFIX,
  registerEvent,
  registerOrder,
  type PairResponse,
  type RegisterEvent,
  type RegisterOrder,
} from '../../contract';
import { saleCompletedPayload } from '../../../cloud/api';
import { toCloudEvent } from '../../../cloud/client/events';
import {
  createPosCore,
  MAX_WRONG_TRIES,
  PAIRING_CODE_MS,
  silentLogger,
  type PosCore,
} from '../../core';
import { cartsPathFor } from '../../ledger/db';
import { startHost, type RunningHost } from '../server';
import { demoSignIn } from '../test-support/staff';
import { loadOrCreateTlsIdentity } from '../tls';
import { connectWs, pinnedCertificate, type WsContractClient } from '../ws-client';
import { startRegisterApi } from './listener';
import { verifyCallback } from './signature';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-register-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Rig {
  core: PosCore;
  host: RunningHost;
  dataDir: string;
  advance(ms: number): void;
  /** The cashier's screen, signed in, shift open. */
  till: WsContractClient;
  manager: WsContractClient;
  pair(name?: string): Promise<PairResponse>;
  api(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown; text: string }>;
  close(): Promise<void>;
}

async function rig(lan = false): Promise<Rig> {
  let now = Date.parse('2025-03-14T02:00:00.000Z');
  const dataDir = tempDir();
  const core = createPosCore(
    {
      dataDir,
      shopName: 'Test',
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
      defaultLocale: 'en',
    },
    undefined,
    { now: () => now },
  );
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  const host = await startHost({
    core,
    port: 0,
    rendererDir,
    registerCallbacks: { retryDelaysMs: [5, 5, 5], timeoutMs: 2_000 },
    remoteRegisters: lan
      ? {
          port: 0,
          bindAddress: '127.0.0.1',
          names: ['127.0.0.1'],
          tls: await loadOrCreateTlsIdentity(dataDir, core.secrets, ['127.0.0.1']),
        }
      : null,
  });
  const ws = `ws://127.0.0.1:${host.port}/ws`;
  const till = await connectWs(ws, {}, { key: host.secrets.staff });
  await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
  await till.invoke('shift.open', { floatFen: 0 });
  const manager = await connectWs(ws, {}, { key: host.secrets.staff });
  await manager.invoke('manager.signIn', { pin: '888888' });
  const api: Rig['api'] = async (method, path, token, body) => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${host.url}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: res.status, json, text };
  };
  return {
    core,
    host,
    dataDir,
    advance: (ms) => (now += ms),
    till,
    manager,
    api,
    async pair(name = 'ERP counter 1') {
      const { code } = await manager.invoke('registers.pairingCode', {});
      const answer = await api('POST', '/v1/register/pair', undefined, { code, name });
      assert.equal(answer.status, 200, answer.text);
      return answer.json as PairResponse;
    },
    async close() {
      await till.close().catch(() => undefined);
      await manager.close().catch(() => undefined);
      await host.close();
      core.close();
    },
  };
}

const order = (json: unknown): RegisterOrder => registerOrder.parse(json);
const errorCode = (json: unknown): string => (json as { error: { code: string } }).error.code;
const errorMessage = (json: unknown): string =>
  (json as { error: { message: string } }).error.message;

/** A register's events socket; collects what it hears. */
async function events(
  host: RunningHost,
  token: string,
  how: 'header' | 'subprotocol' = 'header',
): Promise<{
  socket: WebSocket;
  heard: RegisterEvent[];
  next(type: string): Promise<RegisterEvent>;
}> {
  const url = `ws://127.0.0.1:${host.port}/v1/register/events`;
  const socket =
    how === 'header'
      ? new WebSocket(url, { headers: { authorization: `Bearer ${token}` } })
      : new WebSocket(url, [REGISTER_WS_PROTOCOL, `${REGISTER_WS_TOKEN_PREFIX}${token}`]);
  const heard: RegisterEvent[] = [];
  const waiting: { type: string; resolve: (e: RegisterEvent) => void }[] = [];
  socket.on('message', (data: Buffer) => {
    const event = registerEvent.parse(JSON.parse(data.toString()));
    heard.push(event);
    for (const w of waiting.splice(0)) {
      if (w.type === event.type) w.resolve(event);
      else waiting.push(w);
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`WebSocket refused: HTTP ${res.statusCode}`)),
    );
    socket.once('error', reject);
  });
  return {
    socket,
    heard,
    next: (type) =>
      new Promise((resolve) => {
        const seen = heard.find((e) => e.type === type);
        if (seen !== undefined) resolve(seen);
        else waiting.push({ type, resolve });
      }),
  };
}

/** A register's callback endpoint: records every POST raw; answers with `statuses` in turn. */
async function callbackReceiver(statuses: number[] = []): Promise<{
  url: string;
  received: { headers: Record<string, string>; body: string }[];
  arrived(n: number): Promise<void>;
  close(): Promise<void>;
}> {
  const received: { headers: Record<string, string>; body: string }[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body,
      });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
      for (const w of [...waiters]) if (received.length >= w.n) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    arrived: (n) =>
      new Promise((resolve) => {
        if (received.length >= n) resolve();
        else waiters.push({ n, resolve });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('pairing and tokens', () => {
  test('every request without a valid token gets 401 and nothing else', async () => {
    const r = await rig();
    try {
      const { token, registerId } = await r.pair();
      const paths = ['/v1/register/orders', '/v1/register/orders/A1', '/v1/register/nowhere'];
      for (const path of paths) {
        for (const bad of [undefined, 'x'.repeat(43), `${token.slice(0, -1)}A`]) {
          const answer = await r.api('GET', path, bad);
          assert.equal(answer.status, 401, `${path} with ${String(bad)}`);
          assert.equal(answer.text, '', 'a 401 says nothing');
        }
      }
      const post = await r.api('POST', '/v1/register/orders', 'nope', {
        orderNo: 'A1',
        amountFen: 100,
      });
      assert.equal(post.status, 401);
      assert.equal(post.text, '');
      // The valid token works, and is listed on the manager's screen; the database has its hash.
      assert.equal((await r.api('GET', '/v1/register/orders', token)).status, 200);
      const listed = await r.manager.invoke('registers.list', {});
      assert.deepEqual(
        listed.registers.map((g) => [g.id, g.name, g.revokedAt]),
        [[registerId, 'ERP counter 1', null]],
      );
      // Revoked: 401 from then on, and its events socket closes at once.
      const socket = await events(r.host, token);
      const closed = new Promise<number>((resolve) => socket.socket.once('close', resolve));
      await r.manager.invoke('registers.revoke', { registerId });
      assert.equal(await closed, 4003);
      const afterRevoke = await r.api('GET', '/v1/register/orders', token);
      assert.equal(afterRevoke.status, 401);
      assert.equal(afterRevoke.text, '');
      await assert.rejects(events(r.host, token), /HTTP 401/);
    } finally {
      await r.close();
    }
  });

  test('the token is checked before the body is read: a huge body is never waited for', async () => {
    const r = await rig();
    try {
      // Headers promise 50 MB that never come: the answer must not wait for them.
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: r.host.port,
            path: '/v1/register/orders',
            method: 'POST',
            headers: { 'content-type': 'application/json', 'content-length': 50_000_000 },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
            req.destroy();
          },
        );
        req.once('error', reject);
        req.write('{');
      });
      assert.equal(status, 401);
    } finally {
      await r.close();
    }
  });

  test('a DNS-rebound page is refused (421) before the token is even looked at', async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port: r.host.port,
            path: '/v1/register/orders',
            headers: { host: `evil.example:${r.host.port}`, authorization: `Bearer ${token}` },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.once('error', reject);
        req.end();
      });
      assert.equal(status, 421);
    } finally {
      await r.close();
    }
  });

  test('an events socket without a token is refused; with one, as header or subprotocol', async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      await assert.rejects(events(r.host, 'x'.repeat(43)), /HTTP 401/);
      const byHeader = await events(r.host, token, 'header');
      const byProtocol = await events(r.host, token, 'subprotocol');
      assert.equal(byProtocol.socket.protocol, REGISTER_WS_PROTOCOL);
      byHeader.socket.close();
      byProtocol.socket.close();
    } finally {
      await r.close();
    }
  });

  test('a pairing code works once, expires after 10 minutes, and wrong guesses burn it', async () => {
    const r = await rig();
    try {
      const { code } = await r.manager.invoke('registers.pairingCode', {});
      const first = await r.api('POST', '/v1/register/pair', undefined, { code, name: 'A' });
      assert.equal(first.status, 200);
      const again = await r.api('POST', '/v1/register/pair', undefined, { code, name: 'B' });
      assert.equal(again.status, 403, 'one use');

      const { code: expiring } = await r.manager.invoke('registers.pairingCode', {});
      r.advance(PAIRING_CODE_MS + 1);
      const late = await r.api('POST', '/v1/register/pair', undefined, {
        code: expiring,
        name: 'C',
      });
      assert.equal(late.status, 403);

      // (The manager's session idled out meanwhile, as it would at a real till.)
      await r.manager.invoke('manager.signIn', { pin: '888888' });
      const { code: guessed } = await r.manager.invoke('registers.pairingCode', {});
      const wrong = guessed === '00000000' ? '00000001' : '00000000';
      for (let i = 0; i < MAX_WRONG_TRIES; i += 1) {
        const answer = await r.api('POST', '/v1/register/pair', undefined, {
          code: wrong,
          name: 'X',
        });
        assert.equal(answer.status, 403);
      }
      const burnt = await r.api('POST', '/v1/register/pair', undefined, {
        code: guessed,
        name: 'X',
      });
      assert.equal(burnt.status, 403, 'the right code no longer works once burnt');
      assert.match(errorMessage(burnt.json), /no pairing code/);
      // Only the first pairing made a register.
      assert.equal((await r.manager.invoke('registers.list', {})).registers.length, 1);
    } finally {
      await r.close();
    }
  });

  test('the register channels are the manager session’s only', async () => {
    const r = await rig();
    try {
      await assert.rejects(r.till.invoke('registers.pairingCode', {}), /manager/i);
      const { registerId } = await r.pair();
      const renamed = await r.manager.invoke('registers.rename', {
        registerId,
        name: 'Front desk',
      });
      assert.equal(renamed.name, 'Front desk');
    } finally {
      await r.close();
    }
  });
});

describe('orders by amount', () => {
  test('lines and discounts allocate by largest remainder; nets sum to the amount', async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      const created = await r.api('POST', '/v1/register/orders', token, {
        orderNo: 'ORD-1',
        amountFen: 900,
        lines: [
          { name: 'Tea', qty: 3, unitPriceFen: 100 },
          { name: 'Cake', qty: 1, unitPriceFen: 700 },
        ],
        discounts: [
          { kind: 'merchant', amountFen: 50, label: 'member' },
          { kind: 'platform', amountFen: 50 },
        ],
      });
      assert.equal(created.status, 201, created.text);
      const o = order(created.json);
      assert.equal(o.status, 'open');
      assert.equal(o.amountFen, 900);
      assert.deepEqual(
        o.lines.map((l) => [l.name, l.grossFen, l.discountFen, l.netFen]),
        [
          ['Tea', 300, 30, 270],
          ['Cake', 700, 70, 630],
        ],
      );
      assert.equal(
        o.lines.reduce((a, l) => a + l.netFen, 0),
        900,
      );
      assert.deepEqual(
        o.discounts.map((d) => [d.kind, d.amountFen]),
        [
          ['merchant', 50],
          ['platform', 50],
        ],
      );
      // The customer display's sale is this order, and payment is awaited on it.
      const announced = r.till.events.find((e) => e.name === 'display.payment');
      assert.deepEqual(announced?.payload, {
        saleId: o.saleId,
        stage: 'waiting',
        method: null,
        tenderedFen: null,
      });
      const current = await r.till.invoke('sale.current', {});
      assert.equal(current?.id, o.saleId);
      assert.equal(current?.totalFen, 900);
    } finally {
      await r.close();
    }
  });

  test('an amount that is not lines - discounts is refused with the figures', async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      const answer = await r.api('POST', '/v1/register/orders', token, {
        orderNo: 'ORD-2',
        amountFen: 1000,
        lines: [{ name: 'Tea', qty: 3, unitPriceFen: 400 }],
        discounts: [{ kind: 'merchant', amountFen: 100 }],
      });
      assert.equal(answer.status, 400);
      assert.equal(errorCode(answer.json), 'VALIDATION');
      assert.match(errorMessage(answer.json), /1200 \(lines\) - 100 \(discounts\) = 1100/);
      assert.equal(await r.till.invoke('sale.current', {}), null, 'nothing was opened');
    } finally {
      await r.close();
    }
  });

  test('zero, negative, fractional and over-limit amounts are refused and open nothing', async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      for (const amountFen of [0, -100, 10.5, 100_000_001, '100']) {
        const answer = await r.api('POST', '/v1/register/orders', token, {
          orderNo: 'ORD-3',
          amountFen,
        });
        assert.equal(answer.status, 400, `amount ${String(amountFen)}`);
        assert.equal(errorCode(answer.json), 'VALIDATION');
        assert.equal((answer.json as { error: { field: string } }).error.field, 'body.amountFen');
      }
      assert.equal(await r.till.invoke('sale.current', {}), null);
      const ok = await r.api('POST', '/v1/register/orders', token, {
        orderNo: 'ORD-3',
        amountFen: 1,
      });
      assert.equal(ok.status, 201, 'the same number is still free for a valid order');
    } finally {
      await r.close();
    }
  });

  test('the same order number: same content returns the same order, other content 409', async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      const body = { orderNo: 'ORD-4', amountFen: 1234 };
      const first = order((await r.api('POST', '/v1/register/orders', token, body)).json);
      const again = await r.api('POST', '/v1/register/orders', token, body);
      assert.equal(again.status, 200);
      assert.equal(order(again.json).saleId, first.saleId);
      const other = await r.api('POST', '/v1/register/orders', token, { ...body, amountFen: 1300 });
      assert.equal(other.status, 409);
      assert.equal(errorCode(other.json), 'ORDER_CONFLICT');
      assert.match(errorMessage(other.json), /amountFen \(was 1234, now 1300\)/);
      // Another register may use the same number for an order of its own (after this one).
      await r.api('POST', '/v1/register/orders/ORD-4/cancel', token, {});
      const second = await r.pair('ERP counter 2');
      const theirs = await r.api('POST', '/v1/register/orders', second.token, {
        ...body,
        amountFen: 1300,
      });
      assert.equal(theirs.status, 201);
      // And cannot see the first register's order.
      const peek = await r.api('GET', '/v1/register/orders/ORD-4', second.token);
      assert.equal(order(peek.json).amountFen, 1300);
      assert.equal(order(peek.json).registerName, 'ERP counter 2');
    } finally {
      await r.close();
    }
  });

  test('BUSY both ways: the till mid-sale refuses an order, an open order refuses the till', async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      const products = await r.till.invoke('catalog.search', { query: 'a', limit: 1 });
      const sku = products[0]?.sku ?? '';
      const tillSale = await r.till.invoke('sale.addItem', { sku });
      const refused = await r.api('POST', '/v1/register/orders', token, {
        orderNo: 'B1',
        amountFen: 500,
      });
      assert.equal(refused.status, 409);
      assert.equal(errorCode(refused.json), 'BUSY');
      assert.match(errorMessage(refused.json), /the till has a sale under way/);
      await r.till.invoke('sale.void', { saleId: tillSale.id });

      const created = order(
        (await r.api('POST', '/v1/register/orders', token, { orderNo: 'B1', amountFen: 500 })).json,
      );
      await assert.rejects(r.till.invoke('sale.addItem', { sku }), /BUSY|order B1/);
      await assert.rejects(
        r.till.invoke('sale.pay', { saleId: created.saleId, method: 'cash', amountFen: 500 }),
        /order B1/,
      );
      await assert.rejects(r.till.invoke('sale.void', { saleId: created.saleId }), /order B1/);
      await assert.rejects(r.till.invoke('sale.hold', { saleId: created.saleId }), /order B1/);
      // A second order while the first is open: BUSY too.
      const second = await r.api('POST', '/v1/register/orders', token, {
        orderNo: 'B2',
        amountFen: 1,
      });
      assert.equal(errorCode(second.json), 'BUSY');
    } finally {
      await r.close();
    }
  });
});

describe('paying, cancelling, refunding', () => {
  test('cash at the register pays the order: events on the socket, a signed callback', async () => {
    const r = await rig();
    const hook = await callbackReceiver();
    try {
      const { token, callbackSecret, registerId } = await r.pair();
      const socket = await events(r.host, token);
      await r.api('POST', '/v1/register/orders', token, {
        orderNo: 'P1',
        amountFen: 880,
        callbackUrl: hook.url,
      });
      const paid = await r.api('POST', '/v1/register/orders/P1/pay', token, {
        method: 'cash',
        tenderedFen: 1000,
      });
      assert.equal(paid.status, 200, paid.text);
      const o = order((paid.json as { order: unknown }).order);
      assert.equal(o.status, 'paid');
      assert.equal(o.changeFen, 120);
      assert.match(o.receiptNo ?? '', /^T01-\d{6}$/);
      const event = await socket.next('order.paid');
      assert.equal(event.order.orderNo, 'P1');
      assert.equal(event.registerId, registerId);
      await hook.arrived(2);
      const types = hook.received.map((c) => (JSON.parse(c.body) as RegisterEvent).type);
      assert.deepEqual(types, ['order.created', 'order.paid']);
      for (const c of hook.received) {
        const check = verifyCallback(
          callbackSecret,
          c.headers['x-pos-signature'],
          c.body,
          Math.floor(Date.now() / 1000),
        );
        assert.deepEqual(check.ok, true);
        assert.equal(c.headers['x-pos-event-id'], (JSON.parse(c.body) as RegisterEvent).id);
      }
      // A forged callback (another secret, or the body changed) and a stale replay fail.
      const real = hook.received[1];
      assert.ok(real !== undefined);
      const now = Math.floor(Date.now() / 1000);
      assert.equal(
        verifyCallback('f'.repeat(64), real.headers['x-pos-signature'], real.body, now).ok,
        false,
      );
      assert.equal(
        verifyCallback(
          callbackSecret,
          real.headers['x-pos-signature'],
          real.body.replace('880', '1'),
          now,
        ).ok,
        false,
      );
      assert.equal(
        verifyCallback(callbackSecret, real.headers['x-pos-signature'], real.body, now + 3600).ok,
        false,
      );
      // Paying again is refused: the order is paid once.
      const twice = await r.api('POST', '/v1/register/orders/P1/pay', token, { method: 'cash' });
      assert.equal(twice.status, 409);
      socket.socket.close();
    } finally {
      await hook.close();
      await r.close();
    }
  });

  test('a failed callback is retried with the same event id (the register drops duplicates)', async () => {
    const r = await rig();
    const hook = await callbackReceiver([500, 503]);
    try {
      const { token } = await r.pair();
      await r.api('POST', '/v1/register/orders', token, {
        orderNo: 'R1',
        amountFen: 100,
        callbackUrl: hook.url,
      });
      await hook.arrived(3);
      const ids = hook.received.map((c) => c.headers['x-pos-event-id']);
      assert.equal(new Set(ids).size, 1, 'one event, delivered until acknowledged');
      assert.equal(hook.received.length, 3);
    } finally {
      await hook.close();
      await r.close();
    }
  });

  test('a register that goes away mid-payment loses nothing: the order is paid once', async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      const o = order(
        (await r.api('POST', '/v1/register/orders', token, { orderNo: 'D1', amountFen: 300 })).json,
      );
      // A long-poll that the register abandons (its connection drops).
      const abort = new AbortController();
      const poll = fetch(`${r.host.url}/v1/register/orders/D1?waitMs=60000&version=${o.version}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: abort.signal,
      });
      abort.abort();
      await assert.rejects(poll);
      // Its pay request is sent and the connection cut before the answer is read.
      await new Promise<void>((resolve) => {
        const body = JSON.stringify({ method: 'card', reference: 'slip 42' });
        const req = httpRequest({
          host: '127.0.0.1',
          port: r.host.port,
          path: '/v1/register/orders/D1/pay',
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        });
        req.on('error', () => resolve());
        req.end(body, () => {
          req.destroy();
          resolve();
        });
      });
      // Back again: a long-poll from the version it had answers with where the order stands.
      const back = await r.api(
        'GET',
        `/v1/register/orders/D1?waitMs=60000&version=${o.version}`,
        token,
      );
      const now = order(back.json);
      assert.ok(now.version > o.version);
      const final =
        now.status === 'paid'
          ? now
          : order(
              (
                await r.api(
                  'GET',
                  `/v1/register/orders/D1?waitMs=60000&version=${now.version}`,
                  token,
                )
              ).json,
            );
      assert.equal(final.status, 'paid');
      assert.equal(final.payments.length, 1, 'paid once');
      assert.equal(final.payments[0]?.reference, 'slip 42');
      const retry = await r.api('POST', '/v1/register/orders/D1/pay', token, { method: 'card' });
      assert.equal(retry.status, 409, 'a retried pay does not pay twice');
    } finally {
      await r.close();
    }
  });

  test('cancel only an unpaid order; a payment code with no acquirer for its wallet answers NOT_SUPPORTED', async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      await r.api('POST', '/v1/register/orders', token, { orderNo: 'C1', amountFen: 250 });
      const code = await r.api('POST', '/v1/register/orders/C1/pay', token, {
        method: 'paycode',
        code: '134567890123456789',
      });
      assert.equal(code.status, 501);
      assert.equal(errorCode(code.json), 'NOT_SUPPORTED');
      const cancelled = await r.api('POST', '/v1/register/orders/C1/cancel', token, {});
      assert.equal(order(cancelled.json).status, 'cancelled');
      assert.equal(await r.till.invoke('sale.current', {}), null, 'the display is free again');
      const pay = await r.api('POST', '/v1/register/orders/C1/pay', token, { method: 'cash' });
      assert.equal(pay.status, 409);

      await r.api('POST', '/v1/register/orders', token, { orderNo: 'C2', amountFen: 250 });
      await r.api('POST', '/v1/register/orders/C2/pay', token, { method: 'cash' });
      const late = await r.api('POST', '/v1/register/orders/C2/cancel', token, {});
      assert.equal(late.status, 409);
      assert.equal(errorCode(late.json), 'SALE_HAS_PAYMENTS');
    } finally {
      await r.close();
    }
  });

  test("refunds follow the till's approval policy and are idempotent by refund number", async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      await r.api('POST', '/v1/register/orders', token, {
        orderNo: 'F1',
        amountFen: 1000,
        lines: [
          { name: 'Tea', qty: 2, unitPriceFen: 300 },
          { name: 'Cake', qty: 1, unitPriceFen: 400 },
        ],
      });
      await r.api('POST', '/v1/register/orders/F1/pay', token, { method: 'card' });
      const unapproved = await r.api('POST', '/v1/register/orders/F1/refunds', token, {
        refundNo: 'RF-1',
        lines: [{ lineNo: 1, qty: 1 }],
        reason: 'spilt',
      });
      assert.equal(unapproved.status, 403);
      assert.equal(errorCode(unapproved.json), 'APPROVAL_REQUIRED');
      const wrongPin = await r.api('POST', '/v1/register/orders/F1/refunds', token, {
        refundNo: 'RF-1',
        lines: [{ lineNo: 1, qty: 1 }],
        reason: 'spilt',
        managerPin: '1234',
      });
      assert.equal(errorCode(wrongPin.json), 'PIN_WRONG');
      const body = {
        refundNo: 'RF-1',
        lines: [{ lineNo: 1, qty: 1 }],
        reason: 'spilt',
        managerPin: '888888',
      };
      const done = await r.api('POST', '/v1/register/orders/F1/refunds', token, body);
      assert.equal(done.status, 200, done.text);
      const result = done.json as {
        refund: { amountFen: number; refundNo: string };
        order: unknown;
      };
      assert.equal(result.refund.amountFen, 300);
      assert.equal(order(result.order).refundedFen, 300);
      const again = await r.api('POST', '/v1/register/orders/F1/refunds', token, body);
      assert.equal(again.status, 200);
      assert.equal(order((again.json as { order: unknown }).order).refundedFen, 300, 'not twice');
      const other = await r.api('POST', '/v1/register/orders/F1/refunds', token, {
        ...body,
        lines: [{ lineNo: 2, qty: 1 }],
      });
      assert.equal(other.status, 409);
      assert.equal(errorCode(other.json), 'ORDER_CONFLICT');
      // By amount: what the cake carries.
      const byAmount = await r.api('POST', '/v1/register/orders/F1/refunds', token, {
        refundNo: 'RF-2',
        amountFen: 400,
        reason: 'stale',
        managerPin: '888888',
      });
      assert.equal(byAmount.status, 200, byAmount.text);
      const day = await r.api('GET', '/v1/register/orders', token);
      const list = day.json as { totals: { paidFen: number; refundedFen: number; netFen: number } };
      assert.deepEqual(
        [list.totals.paidFen, list.totals.refundedFen, list.totals.netFen],
        [1000, 700, 300],
      );
      // The last unit refunded at the till (with a manager's PIN): the register hears of it.
      const socket = await events(r.host, token);
      const paidOrder = order((await r.api('GET', '/v1/register/orders/F1', token)).json);
      await r.till.invoke('refund.create', {
        saleId: paidOrder.saleId,
        lines: [{ lineNo: 1, qty: 1 }],
        reason: 'at the till',
        managerPin: '888888',
      });
      const heard = await socket.next('order.refunded');
      assert.equal(heard.order.refundedFen, 1000);
      assert.equal(heard.order.refunds.length, 3);
      socket.socket.close();
      const tooMuch = await r.api('POST', '/v1/register/orders/F1/refunds', token, {
        refundNo: 'RF-3',
        amountFen: 5000,
        reason: 'x',
        managerPin: '888888',
      });
      assert.equal(tooMuch.status, 400);
    } finally {
      await r.close();
    }
  });
});

describe('crashes', () => {
  test('an open order whose cart a power cut lost stands cancelled, and the display is free', async () => {
    const r = await rig();
    try {
      const { token } = await r.pair();
      const o = order(
        (await r.api('POST', '/v1/register/orders', token, { orderNo: 'K1', amountFen: 700 })).json,
      );
      // The cart file is not fsynced: what a power cut can do, done to the file directly.
      const carts = new Database(cartsPathFor(join(r.dataDir, 'ledger.db')));
      carts.prepare('DELETE FROM carts WHERE id = ?').run(o.saleId);
      carts.close();
      const after = await r.api('GET', '/v1/register/orders/K1', token);
      assert.equal(after.status, 200);
      assert.equal(order(after.json).status, 'cancelled');
      const pay = await r.api('POST', '/v1/register/orders/K1/pay', token, { method: 'cash' });
      assert.equal(pay.status, 409);
      const next = await r.api('POST', '/v1/register/orders', token, {
        orderNo: 'K2',
        amountFen: 700,
      });
      assert.equal(next.status, 201, 'a new order takes the display');
    } finally {
      await r.close();
    }
  });
});

describe('reports and the cloud', () => {
  test('X and daily reports break the registers out; the outbox names the register once', async () => {
    const r = await rig();
    try {
      const one = await r.pair('Counter A');
      const two = await r.pair('Counter B');
      await r.api('POST', '/v1/register/orders', one.token, { orderNo: 'X1', amountFen: 500 });
      await r.api('POST', '/v1/register/orders/X1/pay', one.token, { method: 'cash' });
      await r.api('POST', '/v1/register/orders', two.token, { orderNo: 'X1', amountFen: 300 });
      await r.api('POST', '/v1/register/orders/X1/pay', two.token, { method: 'card' });
      await r.api('POST', '/v1/register/orders/X1/refunds', two.token, {
        refundNo: 'Y1',
        reason: 'returned',
        managerPin: '888888',
      });
      // And a sale of the till's own, which is no register's.
      const products = await r.till.invoke('catalog.search', { query: 'a', limit: 1 });
      const own = await r.till.invoke('sale.addItem', { sku: products[0]?.sku ?? '' });
      await r.till.invoke('sale.pay', { saleId: own.id, method: 'cash', amountFen: own.totalFen });

      const x = await r.till.invoke('report.x', {});
      assert.equal(x.totals.salesCount, 3);
      const summary = (x.totals.byRegister ?? []).map((g) => [
        g.registerName,
        g.salesCount,
        g.salesFen,
        g.refundsFen,
        g.byMethod.filter((m) => m.count > 0).map((m) => [m.method, m.amountFen]),
      ]);
      assert.deepEqual(summary, [
        ['Counter A', 1, 500, 0, [['cash', 500]]],
        ['Counter B', 1, 300, 300, [['card', 0]]],
      ]);
      const daily = await r.manager.invoke('report.daily', {
        businessDate: r.core.ledger.businessDate(),
      });
      assert.deepEqual(daily.totals.byRegister, x.totals.byRegister);

      const completed = r.core.ledger
        .pendingOutbox(100)
        .filter((e) => e.type === 'sale.completed')
        .map((e) => toCloudEvent(e, 'T01', () => '2025-03-14'));
      const origins = completed.map((e) => saleCompletedPayload.parse(e.payload).origin ?? null);
      assert.deepEqual(origins, [
        { kind: 'register', registerId: one.registerId, registerName: 'Counter A', orderNo: 'X1' },
        { kind: 'register', registerId: two.registerId, registerName: 'Counter B', orderNo: 'X1' },
        null,
      ]);
    } finally {
      await r.close();
    }
  });
});

/** A request to the LAN listener, trusting only its pinned certificate. */
function overTls(
  port: number,
  ca: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; host?: string } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        ca,
        // A forged Host header: the certificate is still the pinned one (ca), whatever the name.
        ...(options.host === undefined ? {} : { checkServerIdentity: () => undefined }),
        headers: {
          ...(options.host === undefined ? {} : { host: options.host }),
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
          ...(data === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.once('error', reject);
    req.end(data);
  });
}

describe('--remote-registers', () => {
  test('the LAN listener: HTTPS with the pinned certificate, the API and nothing else', async () => {
    const r = await rig(true);
    try {
      const lan = r.host.remoteRegisters;
      assert.ok(lan !== null);
      const ca = await pinnedCertificate(`wss://127.0.0.1:${lan.port}`, lan.fingerprint);
      const { code } = await r.manager.invoke('registers.pairingCode', {});
      const overview = await r.manager.invoke('registers.list', {});
      assert.equal(overview.remote?.fingerprint, lan.fingerprint);
      const paired = await overTls(lan.port, ca, 'POST', '/v1/register/pair', {
        body: { code, name: 'Tablet' },
      });
      assert.equal(paired.status, 200);
      const { token } = JSON.parse(paired.text) as PairResponse;
      const created = await overTls(lan.port, ca, 'POST', '/v1/register/orders', {
        token,
        body: { orderNo: 'L1', amountFen: 100 },
      });
      assert.equal(created.status, 201);
      assert.equal((await overTls(lan.port, ca, 'GET', '/v1/register/orders/L1')).status, 401);
      // No screens, no contract socket, no files on this listener.
      for (const path of ['/', '/customer', '/manager', '/index.html'])
        assert.equal((await overTls(lan.port, ca, 'GET', path, { token })).status, 404, path);
      // A rebound name is refused before anything else.
      const rebound = await overTls(lan.port, ca, 'GET', '/v1/register/orders', {
        token,
        host: `evil.example:${lan.port}`,
      });
      assert.equal(rebound.status, 421);
      // Plain HTTP is no way in.
      await assert.rejects(
        fetch(`http://127.0.0.1:${lan.port}/v1/register/orders`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      );
    } finally {
      await r.close();
    }
  });

  test('without a browser host (the Electron shell): the API alone on loopback', async () => {
    const dataDir = tempDir();
    const core = createPosCore({
      dataDir,
      shopName: 'Test',
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
      defaultLocale: 'en',
    });
    const api = await startRegisterApi(core, silentLogger, { port: 0 });
    try {
      assert.equal(api.url, `http://127.0.0.1:${api.port}`);
      assert.equal((await fetch(`${api.url}/v1/register/orders`)).status, 401);
      assert.equal((await fetch(`${api.url}/`)).status, 404, 'no screens here');
      const { code } = core.registers.newPairingCode();
      const paired = await fetch(`${api.url}/v1/register/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, name: 'Local ERP' }),
      });
      const { token } = (await paired.json()) as PairResponse;
      const list = await fetch(`${api.url}/v1/register/orders`, {
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(list.status, 200);
      assert.equal(core.registers.overview().localUrl, api.url);
      // A second one on the same port: the message names the port and the flag.
      await assert.rejects(
        startRegisterApi(core, silentLogger, { port: api.port }),
        new RegExp(`port ${api.port} is already in use.*--register-port`),
      );
    } finally {
      await api.close();
      core.close();
    }
  });

  test('a taken port fails the start with a clear message', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const dataDir = tempDir();
    const core = createPosCore({
      dataDir,
      shopName: 'Test',
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
      defaultLocale: 'en',
    });
    const rendererDir = tempDir();
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html>');
    try {
      const names = ['127.0.0.1'];
      await assert.rejects(
        startHost({
          core,
          port: 0,
          rendererDir,
          remoteRegisters: {
            port,
            bindAddress: '127.0.0.1',
            names,
            tls: await loadOrCreateTlsIdentity(dataDir, core.secrets, names),
          },
        }),
        new RegExp(`--remote-registers: port ${port} is already in use`),
      );
    } finally {
      core.close();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
