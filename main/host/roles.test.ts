/**
 * Roles, enforced by the core whatever the transport: the same checks run through the core's
 * direct API (one caller per "connection") and through the host's WebSocket (one caller per
 * socket). Nobody signed in: no selling. No manager session on this connection: no reports.
 * A manager session is the connection's own and ends after 10 minutes without use. The customer
 * display can follow the cart and pay by face, and nothing more.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import {
  errorFromWire,
  MANAGER_IDLE_MS,
  parseResponse,
  PosError,
  type Channel,
  type ErrorCode,
  type RequestInput,
  type Response,
} from '../contract';
import { createPosCore, type CallerKind, type PosCore } from '../core';
import { startHost, type RunningHost } from './server';
import { connectWs, type WsContractClient } from './ws-client';
import { demoSignIn } from './test-support/staff';

type Invoke = <C extends Channel>(channel: C, payload: RequestInput<C>) => Promise<Response<C>>;

interface Client {
  invoke: Invoke;
  close(): Promise<void>;
}

interface Rig {
  core: PosCore;
  /** The manager sessions' clock. */
  advance(ms: number): void;
  connect(kind?: CallerKind): Promise<Client>;
  close(): Promise<void>;
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-roles-'));
  dirs.push(dir);
  return dir;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newCore(): { core: PosCore; advance(ms: number): void } {
  let now = Date.parse('2025-03-14T02:00:00.000Z');
  const core = createPosCore(
    {
      dataDir: tempDir(),
      shopName: 'Test Shop',
      terminalId: 'T01',
      timezone: 'Asia/Shanghai',
      defaultLocale: 'en',
    },
    undefined,
    { now: () => now },
  );
  return { core, advance: (ms) => (now += ms) };
}

async function directRig(): Promise<Rig> {
  const { core, advance } = newCore();
  return {
    core,
    advance,
    async connect(kind = 'staff') {
      const caller = core.openCaller(kind);
      return {
        invoke: async (channel, payload) => {
          const reply = await core.dispatch(channel, payload, caller);
          if (reply.ok) return parseResponse(channel, reply.result);
          throw errorFromWire(reply.error);
        },
        close: async () => core.closeCaller(caller),
      };
    },
    close: async () => core.close(),
  };
}

async function startTestHost(core: PosCore): Promise<RunningHost> {
  const rendererDir = tempDir();
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>test</title>');
  return startHost({ core, port: 0, rendererDir });
}

async function wsRig(): Promise<Rig> {
  const { core, advance } = newCore();
  const host = await startTestHost(core);
  const open = new Set<WsContractClient>();
  return {
    core,
    advance,
    async connect(kind = 'staff') {
      // Each screen presents the key of its URL: the display's makes it the narrow caller.
      const key = kind === 'customer' ? host.secrets.display : host.secrets.staff;
      const client = await connectWs(`ws://127.0.0.1:${host.port}/ws`, {}, { key });
      open.add(client);
      return {
        invoke: client.invoke.bind(client) as Invoke,
        close: async () => {
          open.delete(client);
          await client.close();
        },
      };
    },
    async close() {
      await Promise.all([...open].map((c) => c.close()));
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
    assert.ok(error instanceof PosError, `expected a PosError, got ${String(error)}`);
    return error.code;
  }
}

function businessDate(iso: string | null): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
    new Date(iso ?? ''),
  );
}

/** The manager's channels and a valid request for each. */
const MANAGER_CALLS: [Channel, unknown][] = [
  ['report.daily', { businessDate: '2025-03-14' }],
  ['report.range', { from: '2025-03-01', to: '2025-03-14' }],
  ['report.shifts', { businessDate: '2025-03-14' }],
  ['report.zList', {}],
  ['report.zGet', { number: 1 }],
  ['report.reconcile', { businessDate: '2025-03-14', acquirer: 'alipay' }],
  ['ledger.verify', {}],
  ['staff.list', {}],
  ['staff.all', {}],
  ['staff.demoPins', {}],
  ['staff.add', { name: 'Mallory', role: 'cashier', pin: '2580', managerPin: '888888' }],
  ['settings.set', { discountLimitBp: 1500, managerPin: '888888' }],
];

for (const [transport, makeRig] of [
  ['direct API', directRig],
  ['WebSocket', wsRig],
] as const) {
  describe(transport, () => {
    async function withRig(run: (rig: Rig) => Promise<void>): Promise<void> {
      const rig = await makeRig();
      try {
        await run(rig);
      } finally {
        await rig.close();
      }
    }

    test('with nobody signed in the till sells nothing, and nothing is written', async () => {
      await withRig(async ({ core, connect }) => {
        const till = await connect();
        assert.equal(await till.invoke('auth.current', {}), null);
        assert.equal(
          await outcome(till.invoke('sale.addItem', { sku: 'DRK-001' })),
          'SIGN_IN_REQUIRED',
        );
        assert.equal(await outcome(till.invoke('shift.open', { floatFen: 0 })), 'SIGN_IN_REQUIRED');
        assert.equal(await outcome(till.invoke('report.x', {})), 'SIGN_IN_REQUIRED');
        assert.equal(
          await outcome(till.invoke('sale.get', { receiptNo: 'T01-000001' })),
          'SIGN_IN_REQUIRED',
        );
        // What the screens show before anyone signs in is still there.
        assert.equal(await till.invoke('sale.current', {}), null);
        assert.equal(await till.invoke('shift.current', {}), null);
        assert.ok((await till.invoke('catalog.search', { query: 'water' })).length > 0);

        await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
        await till.invoke('shift.open', { floatFen: 0 });
        const sale = await till.invoke('sale.addItem', { sku: 'DRK-001' });
        await till.invoke('auth.signOut', {});
        const pay = { saleId: sale.id, method: 'card', amountFen: sale.totalFen } as const;
        assert.equal(await outcome(till.invoke('sale.pay', pay)), 'SIGN_IN_REQUIRED');
        assert.equal(
          await outcome(till.invoke('sale.void', { saleId: sale.id })),
          'SIGN_IN_REQUIRED',
        );
        assert.equal(
          await outcome(till.invoke('shift.cash', { kind: 'in', amountFen: 100, reason: 'x' })),
          'SIGN_IN_REQUIRED',
        );
        assert.equal(
          await outcome(till.invoke('shift.close', { countedFen: 0 })),
          'SIGN_IN_REQUIRED',
        );
        assert.equal(
          await outcome(till.invoke('facepay.start', { saleId: sale.id })),
          'SIGN_IN_REQUIRED',
        );
        // The cart is kept for whoever signs in next; no payment was written.
        assert.equal((await till.invoke('sale.current', {}))?.payments.length, 0);
        assert.equal(core.ledger.pendingOutboxCount(), 1, 'only the shift opening');
      });
    });

    test('the manager channels refuse without a manager session and work with one', async () => {
      await withRig(async ({ connect }) => {
        const till = await connect();
        const call = till.invoke as (channel: string, payload: unknown) => Promise<unknown>;
        await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
        for (const [channel, payload] of MANAGER_CALLS)
          assert.equal(await outcome(call(channel, payload)), 'MANAGER_REQUIRED', channel);
        // Signing in at the till as the manager is not a manager session either.
        await till.invoke('auth.signIn', await demoSignIn(till, 'manager'));
        assert.equal(
          await outcome(call('report.daily', MANAGER_CALLS[0]?.[1])),
          'MANAGER_REQUIRED',
        );
        assert.equal(await outcome(till.invoke('manager.signIn', { pin: '1234' })), 'PIN_WRONG');
        assert.equal(await till.invoke('manager.current', {}), null);

        const session = await till.invoke('manager.signIn', { pin: '888888' });
        assert.equal(session.manager.role, 'manager');
        assert.equal(session.idleMs, MANAGER_IDLE_MS);
        for (const [channel, payload] of MANAGER_CALLS) {
          const got = await outcome(call(channel, payload));
          // No Z report was taken yet: Z1 is not found, and this rig has no acquirer to
          // reconcile with; but the channels answered.
          const expected: Partial<Record<Channel, string>> = {
            'report.zGet': 'NOT_FOUND',
            'report.reconcile': 'NOT_SUPPORTED',
          };
          assert.equal(got, expected[channel] ?? 'served', channel);
        }
        assert.equal((await till.invoke('ledger.verify', {})).ok, true);

        await till.invoke('manager.signOut', {});
        assert.equal(await outcome(till.invoke('report.zList', {})), 'MANAGER_REQUIRED');
      });
    });

    test('a manager session ends after 10 minutes without use, and lasts while used', async () => {
      await withRig(async ({ advance, connect }) => {
        const screen = await connect();
        const opened = await screen.invoke('manager.signIn', { pin: '888888' });
        assert.equal(
          opened.expiresAt,
          new Date(Date.parse('2025-03-14T02:10:00.000Z')).toISOString(),
        );
        advance(MANAGER_IDLE_MS - 1_000);
        await screen.invoke('report.zList', {});
        advance(MANAGER_IDLE_MS - 1_000);
        await screen.invoke('report.zList', {});
        // Looking at the session does not keep it alive.
        advance(MANAGER_IDLE_MS - 1_000);
        assert.notEqual(await screen.invoke('manager.current', {}), null);
        advance(1_000);
        assert.equal(await screen.invoke('manager.current', {}), null);
        assert.equal(await outcome(screen.invoke('report.zList', {})), 'MANAGER_REQUIRED');
        // A new PIN opens a new one.
        await screen.invoke('manager.signIn', { pin: '888888' });
        await screen.invoke('report.zList', {});
      });
    });

    test('another connection does not inherit a manager session', async () => {
      await withRig(async ({ connect }) => {
        const manager = await connect();
        const cashier = await connect();
        await manager.invoke('manager.signIn', { pin: '888888' });
        assert.equal(await outcome(cashier.invoke('report.zList', {})), 'MANAGER_REQUIRED');
        assert.equal(await cashier.invoke('manager.current', {}), null);
        // Signing out at the till (from the other screen) does not end it either.
        await cashier.invoke('auth.signIn', await demoSignIn(cashier, 'cashier'));
        await cashier.invoke('auth.signOut', {});
        assert.deepEqual(await manager.invoke('report.zList', {}), []);
        await manager.close();
        const next = await connect();
        assert.equal(await outcome(next.invoke('report.zList', {})), 'MANAGER_REQUIRED');
      });
    });

    test('the operator is recorded on the sale and shown on the shift reports', async () => {
      await withRig(async ({ connect }) => {
        const till = await connect();
        const cashier = await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
        const who = { id: cashier.id, name: cashier.name };
        await till.invoke('shift.open', { floatFen: 10_000 });
        const sale = await till.invoke('sale.addItem', { sku: 'DRK-001', qty: 2 });
        const paid = await till.invoke('sale.pay', {
          saleId: sale.id,
          method: 'cash',
          amountFen: sale.totalFen,
          tenderedFen: 10_000,
        });
        assert.deepEqual(paid.operator, who);
        assert.deepEqual(
          (await till.invoke('sale.get', { receiptNo: paid.receiptNo ?? '' })).operator,
          who,
        );
        assert.deepEqual((await till.invoke('report.x', {})).shift.openedBy, who);

        // The manager closes the drawer at the till, then reads the day on their screen.
        const manager = await till.invoke('auth.signIn', await demoSignIn(till, 'manager'));
        const closed = await till.invoke('shift.close', { countedFen: 10_000 + paid.totalFen });
        assert.deepEqual(closed.closedBy, { id: manager.id, name: manager.name });
        const z = await till.invoke('report.z', { managerPin: '888888' });
        assert.deepEqual(z.shifts[0]?.openedBy, who);

        const office = await connect();
        await office.invoke('manager.signIn', { pin: '888888' });
        const shifts = await office.invoke('report.shifts', {
          businessDate: businessDate(paid.completedAt),
        });
        assert.deepEqual(
          shifts.map((s) => [s.openedBy?.name, s.closedBy?.name]),
          [[cashier.name, manager.name]],
        );
        assert.deepEqual(
          (await office.invoke('report.zGet', { number: z.number })).shifts,
          z.shifts,
        );
      });
    });

    test('the customer display follows the cart and pays by face, and does nothing else', async () => {
      await withRig(async ({ connect }) => {
        const till = await connect();
        const display = await connect('customer');
        const call = display.invoke as (channel: string, payload: unknown) => Promise<unknown>;
        await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
        await till.invoke('shift.open', { floatFen: 0 });
        const sale = await till.invoke('sale.addItem', { sku: 'DRK-001' });

        assert.equal((await display.invoke('sale.current', {}))?.id, sale.id);
        assert.equal((await display.invoke('system.info', {})).terminalId, 'T01');
        assert.ok(Array.isArray(await display.invoke('display.posters', {})));
        await display.invoke('facepay.status', {});
        // The customer's tap starts face pay (unavailable here: no cloud), recorded for the till.
        assert.equal(await outcome(display.invoke('facepay.start', { saleId: sale.id })), 'served');

        const refused: [string, unknown][] = [
          ['auth.signIn', { staffId: 'anyone', pin: '1234' }],
          ['auth.signOut', {}],
          ['auth.current', {}],
          ['manager.signIn', { pin: '888888' }],
          ['sale.addItem', { sku: 'DRK-001' }],
          ['sale.pay', { saleId: sale.id, method: 'card', amountFen: sale.totalFen }],
          ['sale.void', { saleId: sale.id }],
          ['sale.get', { saleId: sale.id }],
          ['refund.create', { saleId: sale.id, reason: 'x', managerPin: '888888' }],
          ['shift.current', {}],
          ['shift.close', { countedFen: 0 }],
          ['report.x', {}],
          ['report.daily', { businessDate: '2025-03-14' }],
          ['report.range', { from: '2025-03-01', to: '2025-03-14' }],
          ['report.z', { managerPin: '888888' }],
          ['staff.list', {}],
          ['settings.get', {}],
          [
            'display.payment',
            { saleId: sale.id, stage: 'waiting', method: null, tenderedFen: null },
          ],
          ['screen.openManager', {}],
        ];
        for (const [channel, payload] of refused)
          assert.equal(await outcome(call(channel, payload)), 'FORBIDDEN', channel);
        // Still the cashier at the till, the cart untouched.
        assert.equal((await till.invoke('auth.current', {}))?.role, 'cashier');
        assert.equal((await till.invoke('sale.current', {}))?.lines.length, 1);
      });
    });

    test('the manager window: the Electron shell opens it; without a shell NOT_SUPPORTED', async () => {
      await withRig(async ({ core, connect }) => {
        const till = await connect();
        assert.equal(await outcome(till.invoke('screen.openManager', {})), 'NOT_SUPPORTED');
        let opened = 0;
        core.attachShell({ openManager: () => (opened += 1) });
        assert.equal(await till.invoke('screen.openManager', {}), null);
        assert.equal(opened, 1);
        const display = await connect('customer');
        assert.equal(await outcome(display.invoke('screen.openManager', {})), 'FORBIDDEN');
        assert.equal(opened, 1);
      });
    });
  });
}

describe('direct API', () => {
  test('a closed caller is refused', async () => {
    const { core } = newCore();
    try {
      const caller = core.openCaller('staff');
      assert.equal((await core.dispatch('system.info', {}, caller)).ok, true);
      core.closeCaller(caller);
      const reply = await core.dispatch('system.info', {}, caller);
      assert.equal(reply.ok ? 'served' : reply.error.code, 'FORBIDDEN');
      // A caller the core never made is refused too.
      const forged = await core.dispatch('system.info', {}, { id: caller.id, kind: 'staff' });
      assert.equal(forged.ok ? 'served' : forged.error.code, 'FORBIDDEN');
    } finally {
      core.close();
    }
  });
});

describe('WebSocket', () => {
  test('the customer display hears the cart, not the drawer or who is signed in', async () => {
    const { core } = newCore();
    const host = await startTestHost(core);
    const till = await connectWs(`ws://127.0.0.1:${host.port}/ws`, {}, { key: host.secrets.staff });
    const display = await connectWs(
      `ws://127.0.0.1:${host.port}/ws`,
      {},
      { key: host.secrets.display },
    );
    try {
      await till.invoke('auth.signIn', await demoSignIn(till, 'cashier'));
      await till.invoke('shift.open', { floatFen: 0 });
      await till.invoke('sale.addItem', { sku: 'DRK-001' });
      // Its own answer comes after the events sent to it before.
      await display.invoke('sale.current', {});
      const heard = new Set(display.events.map((e) => e.name));
      assert.ok(heard.has('sale.changed'));
      for (const name of ['shift.changed', 'auth.changed', 'sync.status'])
        assert.ok(!heard.has(name), `the display heard ${name}`);
      await till.invoke('sale.current', {});
      const tillHeard = new Set(till.events.map((e) => e.name));
      for (const name of ['sale.changed', 'shift.changed', 'auth.changed', 'sync.status'])
        assert.ok(tillHeard.has(name), `the till missed ${name}`);
    } finally {
      await display.close();
      await till.close();
      await host.close();
      core.close();
    }
  });
});
