/**
 * The takeover through the core, on a real ledger file, with the register's line on serialport's
 * mock binding: what the till is offered, who may take it, and that only the cashier's confirm
 * of the amount they saw moves anything.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SerialPortMock } from 'serialport';
import type { EventName, PoleDisplayStatus, Sale } from '../../../contract';
import { eventVisibleTo } from '../../access';
import { loadConfig } from '../../config';
import { createPosCore, type CoreOptions } from '../../core';
import { amountSalesMissing } from './service';
import { call, callerFor, demoStaffId, refusal, signInCashier } from '../../test-support/calls';
import { bytes } from './test-support/mock-line';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
let ports = 0;

const ESC = 0x1b;
const total = (text: string) =>
  bytes([0x0c, ESC, 0x51, 0x41], 'TOTAL', [0x0d, ESC, 0x51, 0x42], text, [0x0d]);

async function poleCore(options: CoreOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pos-pole-core-'));
  dirs.push(dir);
  const path = `/dev/ttyPOLECORE${++ports}`;
  SerialPortMock.binding.createPort(path);
  let line: SerialPortMock | null = null;
  const core = createPosCore(
    loadConfig(['--data-dir', dir, '--pole-display', path, '--pole-protocol', 'cd5220'], {}),
    undefined,
    {
      ...options,
      poleReader: {
        openLine: (s) => (line = new SerialPortMock({ ...s, autoOpen: false })),
        settleMs: 1,
      },
    },
  );
  const events: { name: EventName; payload: unknown }[] = [];
  const waiters: (() => void)[] = [];
  core.onEvent((name, payload) => {
    events.push({ name, payload });
    waiters.splice(0).forEach((w) => w());
  });
  const until = async (ok: (s: PoleDisplayStatus) => boolean) => {
    while (!ok(core.poleDisplay.status()))
      await new Promise<void>((resolve) => waiters.push(resolve));
    return core.poleDisplay.status();
  };
  await until((s) => s.connection === 'connected');
  // The line is quiet: the reader's 1 ms timer was set when the bytes came in, before this one,
  // and Node runs timers of one duration in the order they were set.
  const lineQuiet = () => new Promise((resolve) => setTimeout(resolve, 1));
  const send = async (data: Buffer, quiet = true) => {
    const port = line?.port;
    if (!port) throw new Error('not open');
    const read = new Promise<void>((resolve) => line?.once('data', () => resolve()));
    port.emitData(data);
    await read;
    if (quiet) await lineQuiet();
  };
  return { core, events, until, send, lineQuiet };
}

describe('pole.confirm and pole.dismiss', () => {
  test('only a TOTAL is offered; only the signed-in till confirms, the amount it saw', async () => {
    const asked: unknown[] = [];
    const { core, send, events, lineQuiet } = await poleCore({
      // The seam to amount-only sales (wt-register), recorded; the sale it returns is a real
      // ledger sale so the till's events follow it.
      startAmountSale: (input): Sale => {
        asked.push(input);
        return core.ledger.addItem({ sku: 'DRK-001' });
      },
    });
    try {
      assert.equal(await refusal(core, 'pole.confirm', { amountFen: 1230 }), 'SIGN_IN_REQUIRED');
      await signInCashier(core);
      assert.equal(await refusal(core, 'pole.confirm', { amountFen: 1230 }), 'NOT_FOUND');

      // A price (lamp 1) is shown, never offered.
      await send(bytes([ESC, 0x51, 0x41], '12.30', [0x0d, ESC, 0x73, 0x31]));
      const price = await call(core, 'pole.status', {});
      assert.deepEqual(
        [price.amount, price.payableFen],
        [{ amountFen: 1230, kind: 'price' }, null],
      );
      assert.equal(await refusal(core, 'pole.confirm', { amountFen: 1230 }), 'NOT_FOUND');

      await send(total('12.30'));
      assert.equal((await call(core, 'pole.status', {})).payableFen, 1230);
      // While the register's next update is arriving, nothing is offered; then it is again.
      await send(bytes([ESC, 0x73, 0x32]), false);
      assert.equal(core.poleDisplay.status().payableFen, null, 'withdrawn while bytes arrive');
      await lineQuiet();
      assert.equal(core.poleDisplay.status().payableFen, 1230);
      // The customer display hears it and may read it, but may not take it.
      const customer = callerFor(core, 'customer');
      assert.equal(eventVisibleTo('customer', 'pole.display'), true);
      assert.equal((await call(core, 'pole.status', {}, customer)).payableFen, 1230);
      assert.equal(await refusal(core, 'pole.confirm', { amountFen: 1230 }, customer), 'FORBIDDEN');
      assert.equal(await refusal(core, 'pole.dismiss', {}, customer), 'FORBIDDEN');

      // The register moved on before the cashier pressed Enter: the old figure is refused.
      await send(total('15.00'));
      assert.equal(await refusal(core, 'pole.confirm', { amountFen: 1230 }), 'VALIDATION');
      assert.equal(await refusal(core, 'pole.confirm', { amountFen: 0 }), 'VALIDATION');
      assert.equal(asked.length, 0, 'nothing moved');

      const sale = await call(core, 'pole.confirm', { amountFen: 1500 });
      assert.deepEqual(asked, [
        { amountFen: 1500, origin: 'pole', operatorId: demoStaffId(core, 'cashier') },
      ]);
      assert.ok(
        events.some(
          (e) => e.name === 'sale.changed' && (e.payload as { sale: Sale }).sale?.id === sale.id,
        ),
      );
      assert.equal((await call(core, 'pole.status', {})).payableFen, null, 'taken once');
      assert.equal(await refusal(core, 'pole.confirm', { amountFen: 1500 }), 'NOT_FOUND');
    } finally {
      core.close();
    }
  });

  test('dismissed until the register shows something else; cleared with the display', async () => {
    // A terminal whose confirm is refused (here: no amount-only sales) keeps the offer.
    const { core, send } = await poleCore({ startAmountSale: amountSalesMissing });
    try {
      await signInCashier(core);
      await send(total('8.80'));
      assert.equal((await call(core, 'pole.status', {})).payableFen, 880);
      const dismissed = await call(core, 'pole.dismiss', {});
      assert.deepEqual([dismissed.amount?.amountFen, dismissed.payableFen], [880, null]);
      await send(bytes([ESC, 0x73, 0x32])); // the same again: still dismissed
      assert.equal((await call(core, 'pole.status', {})).payableFen, null);
      await send(total('9.90'));
      assert.equal((await call(core, 'pole.status', {})).payableFen, 990);
      // A refused confirm says so and the offer stays.
      assert.equal(await refusal(core, 'pole.confirm', { amountFen: 990 }), 'NOT_SUPPORTED');
      assert.equal((await call(core, 'pole.status', {})).payableFen, 990);
      await send(bytes([0x0c]));
      const cleared = await call(core, 'pole.status', {});
      assert.deepEqual([cleared.lines, cleared.amount, cleared.payableFen], [['', ''], null, null]);
    } finally {
      core.close();
    }
  });

  test("a confirmed total is an open sale of exactly that amount, on the pole display's register", async () => {
    const { core, send } = await poleCore();
    try {
      await signInCashier(core);
      await call(core, 'shift.open', { floatFen: 0 });
      await send(total('12.30'));
      const sale = await call(core, 'pole.confirm', { amountFen: 1230 });
      assert.deepEqual(
        [sale.status, sale.totalFen, sale.dueFen, sale.lines.length],
        ['open', 1230, 1230, 1],
      );
      assert.equal((await call(core, 'sale.current', {}))?.id, sale.id, 'the till shows it');
      const order = core.ledger.registers.orderBySale(sale.id);
      assert.match(order?.registerName ?? '', /^Pole display \/dev\/ttyPOLECORE\d+$/);
      assert.match(order?.orderNo ?? '', /^P\d{8}-\d{6}-1$/);
      // Its lines are the register's: the till may not ring items onto it...
      assert.equal(await refusal(core, 'sale.addItem', { sku: 'DRK-001' }), 'BUSY');
      // ...but takes the money: cash, the change counted.
      const paid = await call(core, 'sale.pay', {
        saleId: sale.id,
        method: 'cash',
        amountFen: 1230,
        tenderedFen: 2000,
      });
      assert.deepEqual([paid.status, paid.changeFen], ['completed', 770]);
      const daily = core.ledger.dailyReport(core.ledger.businessDate());
      const row = daily.totals.byRegister?.find((r) => r.registerName === order?.registerName);
      assert.deepEqual(
        [
          row?.salesCount,
          row?.salesFen,
          row?.byMethod.filter((m) => m.amountFen !== 0).map((m) => [m.method, m.amountFen]),
        ],
        [1, 1230, [['cash', 1230]]],
      );

      // The same total again, in the same second: a new order on the same register.
      await send(total('1.00'));
      await send(total('12.30'));
      const again = await call(core, 'pole.confirm', { amountFen: 1230 });
      assert.notEqual(again.id, sale.id);
      const second = core.ledger.registers.orderBySale(again.id);
      assert.equal(second?.registerId, order?.registerId);
      assert.notEqual(second?.orderNo, order?.orderNo);
      // The till may void it (no register is on the other end to cancel it).
      assert.equal((await call(core, 'sale.void', { saleId: again.id })).status, 'voided');
      // One built-in register, which no token opens.
      const builtIn = core.ledger.registers.list().filter((r) => r.name.startsWith('Pole display'));
      assert.equal(builtIn.length, 1);
      assert.equal(core.registers.authenticate(`pole:${order?.registerName ?? ''}`), null);
    } finally {
      core.close();
    }
  });

  test('BUSY while the till has a sale under way: nothing opened, the offer stays', async () => {
    const { core, send } = await poleCore();
    try {
      await signInCashier(core);
      const own = await call(core, 'sale.addItem', { sku: 'DRK-001' });
      await send(total('12.30'));
      assert.equal(await refusal(core, 'pole.confirm', { amountFen: 1230 }), 'BUSY');
      assert.equal((await call(core, 'pole.status', {})).payableFen, 1230);
      assert.equal((await call(core, 'sale.current', {}))?.id, own.id);
      assert.equal(core.ledger.registers.orderBySale(own.id), null);
    } finally {
      core.close();
    }
  });

  test('without --pole-display: off, nothing offered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pos-pole-off-'));
    dirs.push(dir);
    const core = createPosCore(loadConfig(['--data-dir', dir], {}));
    try {
      await signInCashier(core);
      assert.deepEqual(await call(core, 'pole.status', {}), {
        connection: 'off',
        lines: ['', ''],
        amount: null,
        payableFen: null,
      });
      assert.equal(await refusal(core, 'pole.confirm', { amountFen: 100 }), 'NOT_FOUND');
    } finally {
      core.close();
    }
  });
});

test('--pole-display options are checked', () => {
  assert.deepEqual(
    loadConfig(['--pole-display', '/dev/ttyUSB0', '--pole-protocol', 'epson'], {}).poleDisplay,
    { path: '/dev/ttyUSB0', protocol: 'epson', baudRate: 9600 },
  );
  assert.deepEqual(
    loadConfig(['--pole-display=COM3', '--pole-protocol=cd5220', '--pole-baud', '2400'], {})
      .poleDisplay,
    { path: 'COM3', protocol: 'cd5220', baudRate: 2400 },
  );
  assert.equal(loadConfig([], {}).poleDisplay, null);
  assert.throws(
    () => loadConfig(['--pole-display', '/dev/ttyS0', '--pole-protocol', 'esc'], {}),
    /--pole-protocol must be one of cd5220, epson, got "esc"/,
  );
  assert.throws(
    () => loadConfig(['--pole-display', '/dev/ttyS0'], {}),
    /--pole-display needs --pole-protocol cd5220\|epson/,
  );
  assert.throws(
    () =>
      loadConfig(
        ['--pole-display', '/dev/ttyS0', '--pole-protocol', 'epson', '--pole-baud', '9601'],
        {},
      ),
    /--pole-baud must be one of 1200, .*9600/,
  );
  assert.throws(() => loadConfig(['--pole-protocol', 'epson'], {}), /need --pole-display PATH/);
});
