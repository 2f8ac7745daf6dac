/**
 * A register's order paid by face, with the real face engine, the real reference cloud and the
 * real host: the register asks for face pay, the customer display offers it for the order (the
 * same face-pay flow as the till's sales, completing through the ledger's payFace only), and the
 * register goes away mid-payment: when it comes back, the order is paid once, and the signed
 * callback told it meanwhile.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { startTestCloud, type TestCloud } from '../../../cloud/test-support';
import { registerOrder, type PairResponse, type RegisterEvent } from '../../contract';
import { createPosCore } from '../../core';
import { linkCloud } from '../../core/cloud-link';
import { FACES } from '../../face/test-faces';
import { startHost } from '../server';
import { CapturePage, FACE_CLIP, enrolPayer, enrolmentEmbeddings } from '../test-support/facepay';
import { demoSignIn } from '../test-support/staff';
import { connectWs } from '../ws-client';
import { verifyCallback } from './signature';

describe('a register order paid by face', { skip: FACES.skip }, () => {
  let cloud: TestCloud;
  let root: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'register-facepay-'));
    cloud = await startTestCloud();
  });
  after(async () => {
    await cloud.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('the register goes away mid-payment; the order is paid once and it is told', async () => {
    await enrolPayer(cloud.admin, {
      name: '张三丰',
      phone: '13800001234',
      balanceFen: 100_000,
      templates: await enrolmentEmbeddings(),
    });
    const dataDir = join(root, 'terminal');
    mkdirSync(dataDir, { mode: 0o700 });
    const logs: string[] = [];
    const line = (level: string) => (message: string, fields?: Record<string, unknown>) =>
      void logs.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
    const core = createPosCore(
      {
        dataDir,
        shopName: 'Face Shop',
        terminalId: 'T01',
        timezone: 'Asia/Shanghai',
        defaultLocale: 'en',
      },
      { info: line('info'), warn: line('warn'), error: line('error') },
      // Wall-clock limits generous enough for a loaded machine (the test is about the register).
      {
        facePay: {
          session: { searchTimeoutMs: 60_000, holdStillTimeoutMs: 60_000, totalTimeoutMs: 120_000 },
          timing: { firstFrameTimeoutMs: 30_000, confirmTimeoutMs: 120_000 },
        },
      },
    );
    const rendererDir = join(root, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
    const host = await startHost({ core, port: 0, rendererDir });
    await cloud.admin.createStore({ storeId: 'shop-r', name: 'Face Shop' });
    const { code: cloudCode } = await cloud.admin.pairingCode('shop-r', 'till');
    core.facePay.attachCloud(
      await linkCloud({
        secrets: core.secrets,
        baseUrl: cloud.cloud.url,
        pairingCode: async () => cloudCode,
      }),
    );
    const page = await CapturePage.connect(host.url, FACE_CLIP, { key: host.secrets.display });
    const ws = `ws://127.0.0.1:${host.port}/ws`;
    const till = await connectWs(ws, {}, { key: host.secrets.staff });
    const display = await connectWs(ws, {}, { key: host.secrets.display });
    // The register's callback endpoint.
    const callbacks: { signature: string; body: string }[] = [];
    let paidCallback: () => void = () => undefined;
    const paidArrived = new Promise<void>((resolve) => (paidCallback = resolve));
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        callbacks.push({ signature: String(req.headers['x-pos-signature']), body });
        res.end();
        if ((JSON.parse(body) as RegisterEvent).type === 'order.paid') paidCallback();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookPort = (hook.address() as { port: number }).port;
    try {
      // Face pay is offered once the engine, the camera and the cloud are there.
      while (!(await till.invoke('facepay.status', {})).availability.available)
        await new Promise((resolve) => setTimeout(resolve, 50));
      await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
      await till.invoke('shift.open', { floatFen: 0 });
      const manager = await connectWs(ws, {}, { key: host.secrets.staff });
      await manager.invoke('manager.signIn', { pin: '888888' });
      const { code } = await manager.invoke('registers.pairingCode', {});
      await manager.close();
      const api = async (method: string, path: string, body?: unknown) => {
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
      const pairing = await fetch(`${host.url}/v1/register/pair`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, name: 'Self checkout' }),
      });
      const paired = (await pairing.json()) as PairResponse;

      // The register listens, sends its order and asks for face pay.
      const socket = new WebSocket(`ws://127.0.0.1:${host.port}/v1/register/events`, {
        headers: { authorization: `Bearer ${paired.token}` },
      });
      const heard: RegisterEvent[] = [];
      socket.on('message', (data: Buffer) =>
        heard.push(JSON.parse(data.toString()) as RegisterEvent),
      );
      await new Promise((resolve) => socket.once('open', resolve));
      const created = registerOrder.parse(
        (
          await api('POST', '/v1/register/orders', {
            orderNo: 'SC-77',
            amountFen: 1990,
            discounts: [{ kind: 'platform', amountFen: 100 }],
            callbackUrl: `http://127.0.0.1:${hookPort}/pos`,
          })
        ).json,
      );
      const asked = await api('POST', '/v1/register/orders/SC-77/pay', { method: 'face' });
      assert.equal(asked.status, 200);
      const askedOrder = registerOrder.parse((asked.json as { order: unknown }).order);
      assert.equal(askedOrder.awaiting, 'face');
      // The customer display offers face pay for this very sale.
      assert.equal((await till.invoke('facepay.status', {})).state.saleId, created.saleId);

      // The register goes away mid-payment.
      socket.terminate();

      // The customer confirms on the display once face pay has found them.
      for (;;) {
        const { state } = await display.invoke('facepay.status', {});
        if (state.phase === 'failed')
          throw new Error(`face pay failed: ${state.failure?.message}\n${logs.join('\n')}`);
        if (state.phase === 'confirm') break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await display.invoke('facepay.confirm', { saleId: created.saleId });
      await paidArrived;

      // Back again: the order is paid, by face, once.
      const back = registerOrder.parse((await api('GET', '/v1/register/orders/SC-77')).json);
      assert.equal(back.status, 'paid');
      assert.equal(back.awaiting, null);
      assert.deepEqual(
        back.payments.map((p) => [p.method, p.amountFen]),
        [['face', 1990]],
      );
      assert.equal(core.ledger.getSale(created.saleId).payments.length, 1);
      assert.ok(heard.some((e) => e.type === 'order.updated' && e.order.awaiting === 'face'));
      const paidEvent = callbacks.find(
        (c) => (JSON.parse(c.body) as RegisterEvent).type === 'order.paid',
      );
      assert.ok(paidEvent !== undefined);
      assert.equal(
        verifyCallback(
          paired.callbackSecret,
          paidEvent.signature,
          paidEvent.body,
          Math.floor(Date.now() / 1000),
        ).ok,
        true,
      );
    } finally {
      await new Promise((resolve) => hook.close(resolve));
      await display.close();
      await till.close();
      await page.close();
      await host.close();
      core.close();
    }
  });
});
