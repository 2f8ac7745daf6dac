/**
 * The host's doors, attacked as issue 9 found them open, over real sockets: a DNS-rebound page,
 * a local program or page without the staff secret, a paired display that is not the
 * customer's, a revoked device, a guessed pairing code, plain HTTP to the remote listener. The
 * remote listener is bound to 127.0.0.1 here: the host decides "remote" by the listener a
 * request came in on (server.ts), never by its address, so the test exercises the real path.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import WebSocket from 'ws';
import { PosError, type Channel, type ErrorCode, type RequestInput } from '../contract';
import { createPosCore, MAX_WRONG_TRIES, PAIRING_CODE_MS, type PosCore } from '../core';
import { wsProtocolsFor } from './access';
import { startHost, type RunningHost } from './server';
import { CapturePage, FACE_CLIP } from './test-support/facepay';
import { demoSignIn } from './test-support/staff';
import { loadOrCreateTlsIdentity } from './tls';
import { connectWs, pinnedCertificate, type WsContractClient } from './ws-client';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-doors-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Rig {
  core: PosCore;
  host: RunningHost;
  advance(ms: number): void;
  staff(): Promise<WsContractClient>;
  /** The manager's screen, signed in as manager (pairs and revokes devices). */
  manager(): Promise<WsContractClient>;
  /** The remote listener's certificate, as a device pins it by its fingerprint. */
  ca(): Promise<string>;
  remoteWs(key: string): Promise<WsContractClient>;
  close(): Promise<void>;
}

const open: { close(): Promise<void> }[] = [];

async function rig(remote = true): Promise<Rig> {
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
  const names = ['127.0.0.1'];
  const host = await startHost({
    core,
    port: 0,
    rendererDir,
    remote: remote
      ? {
          port: 0,
          bindAddress: '127.0.0.1',
          names,
          tls: await loadOrCreateTlsIdentity(dataDir, core.secrets, names),
        }
      : null,
  });
  const clients: WsContractClient[] = [];
  const keep = (c: WsContractClient) => (clients.push(c), c);
  const remoteUrl = () => `wss://127.0.0.1:${host.remote?.port ?? 0}/ws`;
  const staff = async () =>
    keep(await connectWs(`ws://127.0.0.1:${host.port}/ws`, {}, { key: host.secrets.staff }));
  return {
    core,
    host,
    advance: (ms) => (now += ms),
    staff,
    async manager() {
      const m = await staff();
      await m.invoke('manager.signIn', { pin: '888888' });
      return m;
    },
    ca: () => pinnedCertificate(remoteUrl(), host.remote?.fingerprint ?? ''),
    remoteWs: async (key) =>
      keep(await connectWs(remoteUrl(), {}, { key, pin: host.remote?.fingerprint ?? '' })),
    async close() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await Promise.all(open.splice(0).map((c) => c.close()));
      await host.close();
      core.close();
    },
  };
}

/** The code a call is refused with, or 'served'. */
async function outcome(promise: Promise<unknown>): Promise<ErrorCode | 'served'> {
  try {
    await promise;
    return 'served';
  } catch (error) {
    if (PosError.is(error)) return error.code;
    throw error;
  }
}

function call(client: WsContractClient, channel: Channel, payload: unknown) {
  return client.invoke(channel, payload as RequestInput<typeof channel>);
}

/** A plain HTTP GET with the Host header a rebound page's browser would send. */
function getWithHost(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}

/** POST /pair on the remote listener, trusting only the pinned certificate. */
function pair(
  rigRemotePort: number,
  ca: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port: rigRemotePort,
        path: '/pair',
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: JSON.parse(text) as Record<string, unknown>,
          }),
        );
      },
    );
    req.once('error', reject);
    req.end(data);
  });
}

async function pairDevice(r: Rig, name: string): Promise<{ deviceId: string; token: string }> {
  const manager = await r.manager();
  const { code } = await manager.invoke('display.pairingCode', {});
  const answer = await pair(r.host.remote?.port ?? 0, await r.ca(), { code, name });
  assert.equal(answer.status, 200);
  return answer.json as { deviceId: string; token: string };
}

describe('the loopback door', () => {
  test('a DNS-rebound page is refused before anything is read: pages and WebSocket', async () => {
    const r = await rig(false);
    try {
      const evil = `evil.example:${r.host.port}`;
      assert.equal(await getWithHost(r.host.port, '/', evil), 421);
      assert.equal(await getWithHost(r.host.port, '/manager', evil), 421);
      // Its Origin equals its Host, which is how it passed before; the key does not help it.
      await assert.rejects(
        connectWs(
          `ws://127.0.0.1:${r.host.port}/ws`,
          { Host: evil, Origin: `http://${evil}` },
          { key: r.host.secrets.staff },
        ),
        /HTTP 421/,
      );
      // The names the host serves still work.
      assert.equal(await getWithHost(r.host.port, '/', `localhost:${r.host.port}`), 200);
      assert.equal(await getWithHost(r.host.port, '/', `127.0.0.1:${r.host.port}`), 200);
    } finally {
      await r.close();
    }
  });

  test('a local program without the staff secret is refused the WebSocket', async () => {
    const r = await rig(false);
    try {
      const url = `ws://127.0.0.1:${r.host.port}/ws`;
      await assert.rejects(connectWs(url), /HTTP 401/);
      await assert.rejects(connectWs(url, {}, { key: 'x'.repeat(43) }), /HTTP 401/);
      // Not in the query string either (old pages put the pairing token there).
      await assert.rejects(connectWs(`${url}?token=${r.host.secrets.staff}`), /HTTP 401/);
    } finally {
      await r.close();
    }
  });

  test('the customer display is not the signed-in cashier and cannot become staff', async () => {
    const r = await rig(false);
    try {
      const till = await r.staff();
      await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
      await till.invoke('shift.open', { floatFen: 0 });
      const sale = await till.invoke('sale.addItem', { sku: 'DRK-001' });
      const display = await connectWs(
        `ws://127.0.0.1:${r.host.port}/ws`,
        {},
        { key: r.host.secrets.display },
      );
      open.push(display);
      for (const [channel, payload] of [
        ['auth.signIn', { staffId: 'any-staff-id', pin: '1234' }],
        ['auth.current', {}],
        ['manager.signIn', { pin: '888888' }],
        ['sale.addItem', { sku: 'DRK-001' }],
        ['sale.pay', { saleId: sale.id, method: 'cash', amountFen: 100_000 }],
        ['report.zList', {}],
        ['display.pairingCode', {}],
      ] as const)
        assert.equal(await outcome(call(display, channel, payload)), 'FORBIDDEN', channel);
      // The sale is as the till left it: nothing paid.
      assert.equal((await till.invoke('sale.current', {}))?.status, 'open');
    } finally {
      await r.close();
    }
  });

  test("a staff screen cannot take the payer's own steps for the customer", async () => {
    const r = await rig(false);
    try {
      const till = await r.staff();
      await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
      await till.invoke('shift.open', { floatFen: 0 });
      const sale = await till.invoke('sale.addItem', { sku: 'DRK-001' });
      for (const [channel, payload] of [
        ['facepay.confirm', { saleId: sale.id }],
        ['facepay.phoneTail', { saleId: sale.id, digits: '1234' }],
        ['facepay.joinMembership', { saleId: sale.id, consent: true }],
      ] as const)
        assert.equal(await outcome(call(till, channel, payload)), 'FORBIDDEN', channel);
    } finally {
      await r.close();
    }
  });

  test('a staff screen has no camera to give: /capture takes display keys only', async () => {
    const r = await rig(false);
    try {
      const socket = new WebSocket(
        `ws://127.0.0.1:${r.host.port}/capture`,
        wsProtocolsFor(r.host.secrets.staff),
      );
      const code = await new Promise<number>((resolve) => socket.once('close', resolve));
      assert.equal(code, 1008);
      assert.equal(r.host.capture.connected, false);
    } finally {
      await r.close();
    }
  });
});

describe('remote displays', () => {
  test('the remote listener speaks TLS only, with the certificate whose fingerprint is shown', async () => {
    const r = await rig();
    try {
      const port = r.host.remote?.port ?? 0;
      // Plain HTTP to it gets no page.
      const plain = await getWithHost(port, '/customer', `127.0.0.1:${port}`).catch(
        (error: unknown) => error,
      );
      assert.ok(plain instanceof Error || plain !== 200, `plain HTTP answered ${String(plain)}`);
      // A wrong pin is refused before anything is sent.
      await assert.rejects(
        connectWs(`wss://127.0.0.1:${port}/ws`, {}, { key: 'k'.repeat(43), pin: 'AA:BB' }),
        /not the pinned one/,
      );
      // The manager's screen shows the same fingerprint and where devices connect.
      const overview = await (await r.manager()).invoke('display.devices', {});
      assert.equal(overview.remote?.fingerprint, r.host.remote?.fingerprint);
      assert.match(overview.remote?.url ?? '', /^https:\/\/127\.0\.0\.1:\d+\/customer$/);
      // Only the customer's page, and no staff key is taken here.
      const ca = await r.ca();
      const status = (path: string) =>
        new Promise<number>((resolve, reject) => {
          const req = httpsRequest({ host: '127.0.0.1', port, path, ca }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.once('error', reject);
          req.end();
        });
      assert.equal(await status('/customer'), 200);
      assert.equal(await status('/'), 403);
      assert.equal(await status('/manager'), 403);
      await assert.rejects(r.remoteWs(r.host.secrets.staff), /HTTP 401/);
      await assert.rejects(r.remoteWs(r.host.secrets.display), /HTTP 401/);
    } finally {
      await r.close();
    }
  });

  test('a pairing code works once, for a token that makes a customer display', async () => {
    const r = await rig();
    try {
      const manager = await r.manager();
      const { code } = await manager.invoke('display.pairingCode', {});
      const ca = await r.ca();
      const port = r.host.remote?.port ?? 0;
      const first = await pair(port, ca, { code, name: 'Counter tablet' });
      assert.equal(first.status, 200);
      const token = String(first.json.token);
      assert.equal((await pair(port, ca, { code, name: 'again' })).status, 403, 'used');

      const device = await r.remoteWs(token);
      assert.equal(await device.invoke('sale.current', {}), null);
      for (const [channel, payload] of [
        ['auth.signIn', { staffId: 'any-staff-id', pin: '1234' }],
        ['manager.signIn', { pin: '888888' }],
        ['sale.addItem', { sku: 'DRK-001' }],
      ] as const)
        assert.equal(await outcome(call(device, channel, payload)), 'FORBIDDEN', channel);
      const listed = await manager.invoke('display.devices', {});
      assert.deepEqual(
        listed.devices.map((d) => [d.name, d.revokedAt]),
        [['Counter tablet', null]],
      );
      assert.ok(listed.devices[0]?.lastSeenAt !== null, 'last seen when it connected');
      // The ledger keeps no token, only its hash.
      const rows = r.core.ledger.displayDevices();
      assert.ok(!JSON.stringify(rows).includes(token));
    } finally {
      await r.close();
    }
  });

  test('a pairing code expires after 10 minutes', async () => {
    const r = await rig();
    try {
      const { code } = await (await r.manager()).invoke('display.pairingCode', {});
      r.advance(PAIRING_CODE_MS + 1);
      const answer = await pair(r.host.remote?.port ?? 0, await r.ca(), { code, name: 'late' });
      assert.equal(answer.status, 403);
    } finally {
      await r.close();
    }
  });

  test('wrong guesses burn the code: the right one fails after them', async () => {
    const r = await rig();
    try {
      const { code } = await (await r.manager()).invoke('display.pairingCode', {});
      const ca = await r.ca();
      const port = r.host.remote?.port ?? 0;
      const wrong = code === '00000000' ? '00000001' : '00000000';
      for (let i = 0; i < MAX_WRONG_TRIES; i += 1)
        assert.equal((await pair(port, ca, { code: wrong, name: 'guess' })).status, 403);
      assert.equal((await pair(port, ca, { code, name: 'owner' })).status, 403);
      assert.equal(r.core.ledger.displayDevices().length, 0);
    } finally {
      await r.close();
    }
  });

  test('a revoked device is cut off at once and its token never works again', async () => {
    const r = await rig();
    try {
      const { deviceId, token } = await pairDevice(r, 'Old tablet');
      const device = await r.remoteWs(token);
      const closed = new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          device.invoke('sale.current', {}).catch(() => undefined);
        }, 20);
        void device.closed.then(() => {
          clearInterval(poll);
          resolve();
        });
      });
      const revoked = await (await r.manager()).invoke('display.revoke', { deviceId });
      assert.ok(revoked.revokedAt !== null);
      await closed;
      await assert.rejects(r.remoteWs(token), /HTTP 401/);
    } finally {
      await r.close();
    }
  });

  test("only the customer's display may take the camera or take face pay's steps", async () => {
    const r = await rig();
    try {
      const { deviceId, token } = await pairDevice(r, 'Side screen');
      const device = await r.remoteWs(token);
      const ca = await r.ca();
      const remoteBase = `https://127.0.0.1:${r.host.remote?.port ?? 0}`;
      const page = await CapturePage.connect(remoteBase, FACE_CLIP, { key: token, ca });
      open.push({ close: async () => page.close() });
      const till = await r.staff();
      await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
      await till.invoke('shift.open', { floatFen: 0 });
      const sale = await till.invoke('sale.addItem', { sku: 'DRK-001' });
      const steps = [
        ['facepay.start', { saleId: sale.id }],
        ['facepay.confirm', { saleId: sale.id }],
        ['facepay.cancel', { saleId: sale.id }],
        ['facepay.phoneTail', { saleId: sale.id, digits: '1234' }],
      ] as const;
      // The local display is the customer's by default: the paired one only follows the cart.
      await device.invoke('sale.current', {});
      assert.equal(r.host.capture.connected, false, 'its camera is not the one face pay uses');
      for (const [channel, payload] of steps)
        assert.equal(await outcome(call(device, channel, payload)), 'FORBIDDEN', channel);

      // The manager makes it the customer's: now its camera counts, and the local one is out.
      const manager = await r.manager();
      const overview = await manager.invoke('display.setCustomer', { display: deviceId });
      assert.equal(overview.customerDisplay, deviceId);
      assert.equal(r.host.capture.connected, true);
      assert.notEqual(
        await outcome(call(device, 'facepay.cancel', { saleId: sale.id })),
        'FORBIDDEN',
      );
      const local = await connectWs(
        `ws://127.0.0.1:${r.host.port}/ws`,
        {},
        { key: r.host.secrets.display },
      );
      open.push(local);
      assert.equal(await outcome(call(local, 'facepay.confirm', { saleId: sale.id })), 'FORBIDDEN');
      // Revoking the customer's display hands the role back to the local one.
      await manager.invoke('display.revoke', { deviceId });
      assert.equal((await manager.invoke('display.devices', {})).customerDisplay, 'local');
    } finally {
      await r.close();
    }
  });
});
