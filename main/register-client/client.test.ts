/**
 * The register client and CLI against the real host on loopback (a real ledger file, the real
 * HTTP door, the real events socket, a real callback receiver): what a register integrator
 * meets. The server's own door attacks are main/host/register's tests; these check that the
 * client says the right thing about each answer, that its schemas accept the server's real
 * answers, and that verifyCallback accepts the terminal's real callbacks and refuses replays.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RegisterEvent } from '../contract';
import { createPosCore, type PosCore } from '../core';
import { startHost, type RunningHost } from '../host/server';
import { loadOrCreateTlsIdentity } from '../host/tls';
import { demoSignIn } from '../host/test-support/staff';
import { connectWs, type WsContractClient } from '../host/ws-client';
import { runCli } from './cli';
import { pair, RegisterApiError, RegisterClient } from './client';
import { openEvents } from './events';
import { ReplayGuard, verifyCallback } from './verify-callback';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-register-client-'));
  dirs.push(dir);
  return dir;
}

let core: PosCore;
let host: RunningHost;
let staff: WsContractClient;

before(async () => {
  const dataDir = tempDir();
  core = createPosCore({
    dataDir,
    shopName: 'Test',
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
    defaultLocale: 'en',
  });
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  host = await startHost({
    core,
    port: 0,
    rendererDir,
    // The register API on the "LAN" too (bound to loopback here: the listener decides, not
    // the address), HTTPS with the terminal's self-signed certificate.
    remoteRegisters: {
      port: 0,
      bindAddress: '127.0.0.1',
      names: ['127.0.0.1'],
      tls: await loadOrCreateTlsIdentity(dataDir, core.secrets, ['127.0.0.1']),
    },
  });
  staff = await connectWs(`ws://127.0.0.1:${host.port}/ws`, {}, { key: host.secrets.staff });
  await staff.invoke('auth.signIn', await demoSignIn(staff, 'cashier'));
  await staff.invoke('shift.open', { floatFen: 0 });
  await staff.invoke('manager.signIn', { pin: '888888' });
});

after(async () => {
  await staff.close();
  await host.close();
  core.close();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function paired(name: string): Promise<{ client: RegisterClient; callbackSecret: string }> {
  const { code } = await staff.invoke('registers.pairingCode', {});
  const answer = await pair(host.url, code, name);
  return {
    client: new RegisterClient({ baseUrl: host.url, token: answer.token }),
    callbackSecret: answer.callbackSecret,
  };
}

async function refusal(promise: Promise<unknown>): Promise<RegisterApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RegisterApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('the register client against the real host', () => {
  test('pair once with the manager’s code; the same code again is refused', async () => {
    const { code } = await staff.invoke('registers.pairingCode', {});
    const answer = await pair(host.url, code, 'Front');
    assert.equal(answer.registerName, 'Front');
    const again = await refusal(pair(host.url, code, 'Again'));
    assert.equal(again.status, 403);
    const overview = await staff.invoke('registers.list', {});
    assert.ok(overview.registers.some((r) => r.id === answer.registerId && r.name === 'Front'));
  });

  test('order with a merchant discount, idempotent; other content is ORDER_CONFLICT', async () => {
    const { client } = await paired('Orders');
    const input = {
      orderNo: 'C-1',
      amountFen: 1800,
      lines: [{ name: '拿铁', qty: 2, unitPriceFen: 1000 }],
      discounts: [{ kind: 'merchant' as const, amountFen: 200, label: '会员价' }],
    };
    const order = await client.createOrder(input);
    assert.equal(order.status, 'open');
    assert.equal(order.amountFen, 1800);
    assert.equal(
      order.lines.reduce((s, l) => s + l.netFen, 0),
      1800,
      'line nets sum to the amount',
    );
    assert.deepEqual(await client.createOrder(input), order);
    const conflict = await refusal(client.createOrder({ ...input, amountFen: 1700, lines: [] }));
    assert.equal(conflict.status, 409);
    assert.equal(conflict.code, 'ORDER_CONFLICT');
    await client.cancel('C-1');
  });

  test('BUSY while the till is mid-sale, with the CLI’s words', async () => {
    const { client } = await paired('Busy');
    const product = (await staff.invoke('catalog.search', { query: 'a', limit: 1 }))[0];
    assert.ok(product);
    const sale = await staff.invoke('sale.addItem', { sku: product.sku });
    try {
      const busy = await refusal(client.createOrder({ orderNo: 'B-1', amountFen: 100 }));
      assert.equal(busy.status, 409);
      assert.equal(busy.code, 'BUSY');
    } finally {
      await staff.invoke('sale.void', { saleId: sale.id });
    }
  });

  test('cash at the register: paid, change, events on the socket, a signed callback that verifies once', async () => {
    const { client, callbackSecret } = await paired('Cash');
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    const receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const events: RegisterEvent[] = [];
    const stream = await openEvents(client.connection, { onEvent: (e) => events.push(e) });
    try {
      const port = (receiver.address() as { port: number }).port;
      const order = await client.createOrder({
        orderNo: 'K-1',
        amountFen: 990,
        callbackUrl: `http://127.0.0.1:${port}/hook`,
      });
      const waiting = client.poll('K-1', 10_000, order.version);
      const { order: paid } = await client.pay('K-1', { method: 'cash', tenderedFen: 1000 });
      assert.equal(paid.status, 'paid');
      assert.equal(paid.changeFen, 10);
      assert.equal((await waiting).status, 'paid', 'the long-poll returns the change');

      // The events socket and the callback both carry order.paid.
      const until = async (check: () => boolean) => {
        for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
        assert.ok(check());
      };
      await until(() => events.some((e) => e.type === 'order.paid' && e.order.orderNo === 'K-1'));
      await until(() => received.some((r) => r.body.includes('"order.paid"')));

      const guard = new ReplayGuard();
      const first = received.find((r) => r.body.includes('"order.paid"'));
      assert.ok(first);
      const verdict = verifyCallback(
        callbackSecret,
        first.headers['x-pos-signature'] as string,
        first.body,
        { replayGuard: guard },
      );
      assert.ok(verdict.ok, verdict.ok ? '' : verdict.reason);
      assert.equal(verdict.eventId, first.headers['x-pos-event-id']);
      // The same delivery again (a retry or a replay) is dropped; a forged one is refused.
      const replay = verifyCallback(
        callbackSecret,
        first.headers['x-pos-signature'] as string,
        first.body,
        { replayGuard: guard },
      );
      assert.equal(replay.ok, false);
      const forged = verifyCallback(
        callbackSecret,
        first.headers['x-pos-signature'] as string,
        first.body.replace('"amountFen":990', '"amountFen":9'),
      );
      assert.equal(forged.ok, false);

      const day = await client.list();
      assert.equal(day.registerName, 'Cash');
      assert.equal(day.totals.paidFen, 990);
      assert.deepEqual(day.totals.byMethod, [{ method: 'cash', amountFen: 990 }]);
    } finally {
      await stream.close();
      receiver.close();
    }
  });

  test('a refund needs the manager’s PIN when the till’s does; the CLI says to send it with one', async () => {
    const { client } = await paired('Refunds');
    // By amount, a partial refund is whole units of a line (the ledger's pro-rata rule).
    await client.createOrder({
      orderNo: 'F-1',
      amountFen: 2000,
      lines: [{ name: '矿泉水', qty: 4, unitPriceFen: 500 }],
    });
    await client.pay('F-1', { method: 'cash' });
    const request = { refundNo: 'FR-1', amountFen: 500, reason: 'returned' };
    const needed = await refusal(client.refund('F-1', request));
    assert.equal(needed.code, 'APPROVAL_REQUIRED');
    const done = await client.refund('F-1', { ...request, managerPin: '888888' });
    assert.equal(done.refund.amountFen, 500);
    assert.equal(done.order.refundedFen, 500);
    // The same refund number again: the same refund, not a second one.
    const again = await client.refund('F-1', { ...request, managerPin: '888888' });
    assert.equal(again.refund.refundId, done.refund.refundId);
  });

  test('revoked: 401 with nothing else; the CLI says to pair again; the events socket closes', async () => {
    const { client } = await paired('Revoked');
    const stream = await openEvents(client.connection, { onEvent: () => undefined });
    const overview = await staff.invoke('registers.list', {});
    const id = overview.registers.find((r) => r.name === 'Revoked')?.id ?? '';
    await staff.invoke('registers.revoke', { registerId: id });
    assert.equal((await stream.closed).code, 4003);
    const refused = await refusal(client.list());
    assert.equal(refused.status, 401);
    assert.equal(refused.code, 'UNAUTHORIZED');

    const file = join(tempDir(), 'credentials.json');
    const { saveCredentials } = await import('./credentials');
    saveCredentials(file, {
      baseUrl: host.url,
      registerId: id,
      name: 'Revoked',
      token: client.connection.token,
      callbackSecret: 'x'.repeat(64),
      pairedAt: new Date().toISOString(),
    });
    const err: string[] = [];
    const code = await runCli(['list', '--token-file', file], {
      out: () => undefined,
      err: (l) => err.push(l),
      env: {},
    });
    assert.equal(code, 1);
    assert.match(err.join('\n'), /Pair again/);
    assert.ok(!err.join('\n').includes(client.connection.token));
  });

  test('over HTTPS (--remote-registers): the pinned fingerprint is trusted, any other refused before the code is sent', async () => {
    const lan = host.remoteRegisters;
    assert.ok(lan);
    const { code } = await staff.invoke('registers.pairingCode', {});
    // A wrong pin (an impostor's certificate, or a typo): refused, and the code was not spent.
    const wrong = await refusal(
      pair({ baseUrl: lan.url, fingerprint: 'AB'.repeat(32) }, code, 'Impostor'),
    );
    assert.equal(wrong.code, 'UNREACHABLE');
    assert.match(wrong.message, /not the pinned one.*manager's screen/);
    // Without a pin, the self-signed certificate is not trusted at all.
    assert.equal((await refusal(pair(lan.url, code, 'Unpinned'))).code, 'UNREACHABLE');
    // The fingerprint as a person types it (lower case, no colons) is the same pin.
    const typed = lan.fingerprint.replace(/:/g, '').toLowerCase();
    const answer = await pair({ baseUrl: lan.url, fingerprint: typed }, code, 'LAN register');
    const client = new RegisterClient({
      baseUrl: lan.url,
      token: answer.token,
      fingerprint: typed,
    });
    const events: RegisterEvent[] = [];
    const stream = await openEvents(client.connection, { onEvent: (e) => events.push(e) });
    try {
      await client.createOrder({ orderNo: 'L-1', amountFen: 300 });
      for (let i = 0; i < 200 && events.length === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      assert.equal(events[0]?.type, 'order.created');
      await client.cancel('L-1');
    } finally {
      await stream.close();
    }
  });
});
