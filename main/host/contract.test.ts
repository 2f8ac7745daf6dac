/**
 * The contract end to end through both transports: the same cashier scenario passes through
 * the core's direct API and through the host's WebSocket, and hostile or malformed messages are
 * refused with a typed error naming the field while changing nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  errorFromWire,
  parseResponse,
  PosError,
  type Channel,
  type RequestInput,
  type Response,
} from '../contract';
import { createPosCore, type PosCore } from '../core';
import { startHost, type RunningHost } from './server';
import { connectWs, type WsContractClient } from './ws-client';
import { demoSignIn } from './test-support/staff';

type Invoke = <C extends Channel>(channel: C, payload: RequestInput<C>) => Promise<Response<C>>;

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-contract-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newCore(): PosCore {
  return createPosCore({
    dataDir: tempDir(),
    shopName: 'Test Shop',
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
    defaultLocale: 'zh-CN',
  });
}

/** The core's own API, through one caller (as one connection of a transport). */
function directInvoke(core: PosCore): Invoke {
  const caller = core.openCaller('staff');
  return async (channel, payload) => {
    const reply = await core.dispatch(channel, payload, caller);
    if (reply.ok) return parseResponse(channel, reply.result);
    throw errorFromWire(reply.error);
  };
}

async function rejects(promise: Promise<unknown>, code: string, field?: string): Promise<PosError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PosError, `expected PosError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (field !== undefined) assert.equal(error.field, field, error.message);
    return error;
  }
  throw new Error(`expected ${code}, but the call succeeded`);
}

/**
 * Sign in, ring up two products, pay cash with change, and read the sale back from the daily
 * report (the manager's, so with a manager session on this connection).
 */
async function cashierScenario(invoke: Invoke) {
  const products = await invoke('catalog.search', { query: '6', limit: 2 });
  assert.equal(products.length, 2);
  const [a, b] = products as [(typeof products)[0], (typeof products)[0]];

  await invoke('auth.signIn', await demoSignIn({ invoke: (c, p) => invoke(c, p) }, 'cashier'));
  await invoke('shift.open', { floatFen: 20_000 });
  await invoke('sale.addItem', { barcode: a.barcode });
  const sale = await invoke('sale.addItem', { barcode: b.barcode, qty: 2 });
  assert.equal(sale.lines.length, 2);
  const total = a.priceFen + 2 * b.priceFen;
  assert.equal(sale.totalFen, total);

  const tendered = Math.ceil((total + 1) / 10_000) * 10_000;
  const paid = await invoke('sale.pay', {
    saleId: sale.id,
    method: 'cash',
    amountFen: total,
    tenderedFen: tendered,
  });
  assert.equal(paid.status, 'completed');
  assert.equal(paid.changeFen, tendered - total);
  assert.ok(paid.receiptNo);
  assert.equal(await invoke('sale.current', {}), null);

  const date = paid.completedAt?.slice(0, 10) ?? '';
  await invoke('manager.signIn', { pin: '888888' });
  const report = await invoke('report.daily', { businessDate: businessDateOf(paid.completedAt) });
  assert.equal(report.totals.salesCount, 1, `daily report for ${date}`);
  assert.equal(report.totals.netFen, total);
  assert.deepEqual(
    report.totals.byMethod.filter((m) => m.amountFen !== 0).map((m) => [m.method, m.amountFen]),
    [['cash', total]],
  );
  const verify = await invoke('ledger.verify', {});
  assert.equal(verify.ok, true);
  return {
    total,
    change: tendered - total,
    lines: paid.lines.map((l) => [l.sku, l.qty, l.netFen]),
  };
}

function businessDateOf(iso: string | null): string {
  // The shop's time zone (Asia/Shanghai in these tests), as the ledger keys its reports.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(iso ?? ''),
  );
}

async function ledgerState(invoke: Invoke) {
  const [current, shift, verify] = await Promise.all([
    invoke('sale.current', {}),
    invoke('shift.current', {}),
    invoke('ledger.verify', {}),
  ]);
  return { current, shift, checked: verify.checked };
}

async function hostileMessages(invoke: Invoke) {
  const products = await invoke('catalog.search', { query: '6', limit: 1 });
  const barcode = products[0]?.barcode ?? '';
  await invoke('auth.signIn', await demoSignIn({ invoke: (c, p) => invoke(c, p) }, 'cashier'));
  await invoke('manager.signIn', { pin: '888888' });
  await invoke('shift.open', { floatFen: 0 });
  const sale = await invoke('sale.addItem', { barcode });
  const before = await ledgerState(invoke);

  const call = invoke as (channel: string, payload: unknown) => Promise<unknown>;
  await rejects(call('no.such.channel', {}), 'UNKNOWN_CHANNEL', 'channel');
  await rejects(call('__proto__', {}), 'UNKNOWN_CHANNEL', 'channel');
  await rejects(call('sale.addItem', { barcode: 12345 }), 'VALIDATION', 'payload.barcode');
  await rejects(call('sale.addItem', { barcode, qty: -1 }), 'VALIDATION', 'payload.qty');
  await rejects(call('sale.addItem', { barcode, qty: 1.5 }), 'VALIDATION', 'payload.qty');
  await rejects(call('sale.addItem', { barcode, qty: 1e9 }), 'VALIDATION', 'payload.qty');
  await rejects(call('sale.addItem', { barcode, extra: 1 }), 'VALIDATION');
  await rejects(
    call('sale.addItem', { barcode: 'x'.repeat(100_000) }),
    'VALIDATION',
    'payload.barcode',
  );
  await rejects(
    call('catalog.search', { query: 'x'.repeat(10_000) }),
    'VALIDATION',
    'payload.query',
  );
  await rejects(call('sale.addItem', { barcode: '6901234567890' }), 'INVALID_BARCODE');
  await rejects(call('sale.addItem', { barcode: '12ab' }), 'INVALID_BARCODE');
  await rejects(
    call('sale.setLineDiscount', { saleId: sale.id, lineNo: 1, discountFen: 100_000_001 }),
    'VALIDATION',
    'payload.discountFen',
  );
  // A price over the ¥1,000,000 bound, and a line whose total would pass it.
  await rejects(
    call('sale.overridePrice', {
      saleId: sale.id,
      lineNo: 1,
      unitPriceFen: 100_000_001,
      managerPin: '888888',
    }),
    'VALIDATION',
    'payload.unitPriceFen',
  );
  await rejects(
    call('sale.overridePrice', {
      saleId: sale.id,
      lineNo: 1,
      unitPriceFen: Number.MAX_SAFE_INTEGER + 2,
      managerPin: '888888',
    }),
    'VALIDATION',
    'payload.unitPriceFen',
  );
  await rejects(
    call('sale.pay', { saleId: sale.id, method: 'cash', amountFen: 1e15 }),
    'VALIDATION',
    'payload.amountFen',
  );
  await rejects(
    call('sale.pay', { saleId: sale.id, method: 'bitcoin', amountFen: 100 }),
    'VALIDATION',
    'payload.method',
  );
  // Issue 9: a face payment typed in by a caller (any reference, no cloud involved) is refused
  // with a clear error; only face pay records one, on the cloud's signed authorisation.
  const typedFace = await rejects(
    call('sale.pay', {
      saleId: sale.id,
      method: 'face',
      amountFen: sale.totalFen,
      reference: 'pay_someone-else',
    }),
    'VALIDATION',
    'payload.method',
  );
  assert.match(typedFace.message, /only by face pay/);
  await rejects(
    call('sale.pay', { saleId: sale.id, method: 'cash', amountFen: 10.5 }),
    'VALIDATION',
    'payload.amountFen',
  );
  await rejects(call('shift.open', { floatFen: '100' }), 'VALIDATION', 'payload.floatFen');
  await rejects(
    call('sale.setQty', { saleId: sale.id, lineNo: 1, qty: 0 }),
    'VALIDATION',
    'payload.qty',
  );
  await rejects(call('sale.setQty', null), 'VALIDATION');
  await rejects(call('report.daily', { businessDate: "2026-01-01' OR 1=1" }), 'VALIDATION');

  assert.deepEqual(await ledgerState(invoke), before, 'a refused message changed the ledger');
}

describe('direct API', () => {
  test('cashier scenario', async () => {
    const core = newCore();
    try {
      await cashierScenario(directInvoke(core));
    } finally {
      core.close();
    }
  });

  test('hostile messages are refused and change nothing', async () => {
    const core = newCore();
    try {
      await hostileMessages(directInvoke(core));
    } finally {
      core.close();
    }
  });
});

describe('WebSocket transport', () => {
  async function withHost(run: (client: WsContractClient, host: RunningHost) => Promise<void>) {
    const core = newCore();
    const rendererDir = tempDir();
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
    const host = await startHost({
      core,
      port: 0,
      rendererDir,
    });
    const client = await connectWs(
      `ws://127.0.0.1:${host.port}/ws`,
      {},
      { key: host.secrets.staff },
    );
    try {
      await run(client, host);
    } finally {
      await client.close();
      await host.close();
      core.close();
    }
  }

  test('the same cashier scenario gives the same result over the WebSocket', async () => {
    const direct = newCore();
    const expected = await cashierScenario(directInvoke(direct));
    direct.close();
    await withHost(async (client) => {
      const got = await cashierScenario(client.invoke.bind(client) as Invoke);
      assert.deepEqual(got, expected);
      const names = client.events.map((e) => e.name);
      assert.ok(names.includes('sale.changed'), 'the customer display is told of cart changes');
      assert.ok(names.includes('sale.completed'));
    });
  });

  test('hostile messages are refused and change nothing', async () => {
    await withHost((client) => hostileMessages(client.invoke.bind(client) as Invoke));
  });

  test('malformed frames get a typed error, not a crash', async () => {
    await withHost(async (client) => {
      const notJson = await client.raw('{not json');
      assert.equal((notJson.error as { code: string }).code, 'VALIDATION');
      const binary = await client.raw(Buffer.from([1, 2, 3]));
      assert.equal(binary.ok, false);
      const noId = await client.raw(JSON.stringify({ channel: 'sale.current', payload: {} }));
      assert.equal((noId.error as { field: string }).field, 'frame.id');
      // Over the message limit, counted in bytes: 90,000 Chinese characters are 270,000 bytes.
      const huge = await client.raw(
        JSON.stringify({
          id: 7,
          channel: 'catalog.search',
          payload: { query: '苹'.repeat(90_000) },
        }),
      );
      assert.equal(huge.ok, false);
      assert.match((huge.error as { message: string }).message, /too large/);
      // The connection survives all of that.
      assert.equal(await client.invoke('sale.current', {}), null);
    });
  });

  test('a cross-origin page cannot open the WebSocket, even with the key', async () => {
    await withHost(async (_client, host) => {
      const key = { key: host.secrets.staff };
      await assert.rejects(
        connectWs(`ws://127.0.0.1:${host.port}/ws`, { Origin: 'https://evil.example' }, key),
        /403/,
      );
      const same = await connectWs(
        `ws://127.0.0.1:${host.port}/ws`,
        { Origin: `http://127.0.0.1:${host.port}` },
        key,
      );
      await same.close();
    });
  });
});
