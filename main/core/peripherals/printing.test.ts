/**
 * The receipt printer and drawer through the core, on a real ledger file, with the printer as a
 * real file the bytes are appended to (--printer-file): exactly what a device would receive.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import type { EventName, EventPayload, PeripheralsStatus } from '../../contract';
import { Peripherals } from '../../../native';
import { loadConfig, type PosConfig } from '../config';
import { createPosCore, type CoreOptions, type PosCore } from '../core';
import { call, demoStaffId, managerSession, refusal, signInCashier } from '../test-support/calls';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-printing-'));
  dirs.push(dir);
  return dir;
}

function newCore(args: string[] = [], options: CoreOptions = {}) {
  const dataDir = tempDir();
  const printerFile = join(dataDir, 'printer.bin');
  const config: PosConfig = {
    // The first --printer-file wins, so a test's own goes before the default.
    ...loadConfig(['--data-dir', dataDir, ...args, '--printer-file', printerFile], {}),
    shopName: '示范便利店 Demo Mart',
  };
  const core = createPosCore(config, undefined, options);
  const events: { name: EventName; payload: unknown }[] = [];
  core.onEvent((name, payload) => events.push({ name, payload }));
  return { core, dataDir, printerFile: config.printerFile ?? '', events };
}

/** Signed-in cashier, open shift, two lines, paid by `method` (cash with a ¥100 note). */
async function sell(core: PosCore, method: 'cash' | 'card' = 'cash') {
  if ((await call(core, 'auth.current', {})) === null)
    await call(core, 'auth.signIn', { staffId: demoStaffId(core, 'cashier'), pin: '1234' });
  if ((await call(core, 'shift.current', {})) === null)
    await call(core, 'shift.open', { floatFen: 0 });
  await call(core, 'sale.addItem', { sku: 'DRK-001', qty: 2 });
  const sale = await call(core, 'sale.addItem', { sku: 'SNK-001' });
  return call(core, 'sale.pay', {
    saleId: sale.id,
    method,
    amountFen: sale.totalFen,
    ...(method === 'cash' ? { tenderedFen: 10_000 } : {}),
  });
}

const hex = (bytes: Uint8Array | string): string =>
  typeof bytes === 'string'
    ? Buffer.from(iconv.encode(bytes, 'gb18030')).toString('hex')
    : Buffer.from(bytes).toString('hex');
const printed = (file: string): string => (existsSync(file) ? hex(readFileSync(file)) : '');
const count = (haystack: string, needle: string): number => haystack.split(needle).length - 1;

// Written out from the ESC/POS reference: ESC p 0 25 250 (pin 2, 50 ms on, 500 ms off).
const KICK_PIN2 = '1b700019fa';
// ESC @ FS &: every receipt starts so; GS V 66 0: and ends with a partial cut.
const RECEIPT_START = '1b401c26';
const RECEIPT_END = '1d564200';

describe('printing after a sale', () => {
  test('a cash sale kicks the drawer, then prints its receipt; a card sale only prints', async () => {
    const { core, printerFile } = newCore();
    try {
      const sale = await sell(core);
      assert.equal(sale.status, 'completed');
      await core.printing.idle();
      const bytes = printed(printerFile);
      // The drawer first (the cashier needs it for the change), then the whole receipt.
      assert.ok(bytes.startsWith(KICK_PIN2 + RECEIPT_START), bytes.slice(0, 40));
      assert.ok(bytes.endsWith(RECEIPT_END));
      assert.equal(count(bytes, KICK_PIN2), 1);
      assert.equal(count(bytes, RECEIPT_START), 1);
      for (const text of [sale.receiptNo ?? '?', '示范便利店', '李收银', '找零', '100.00'])
        assert.ok(bytes.includes(hex(text)), `the receipt should say ${text}`);
      assert.ok(!bytes.includes(hex('REPRINT')), 'the first copy is the original');
      // The QR code stores the receipt number (GS ( k, Function 180, 10 + 3 bytes).
      assert.ok(bytes.includes('1d286b0d00315030' + hex(sale.receiptNo ?? '')));

      const before = bytes.length;
      const card = await sell(core, 'card');
      await core.printing.idle();
      const more = printed(printerFile).slice(before);
      assert.ok(more.startsWith(RECEIPT_START), 'no drawer kick for a card sale');
      assert.equal(count(more, KICK_PIN2), 0);
      assert.ok(more.includes(hex(card.receiptNo ?? '?')));
      assert.equal((await call(core, 'peripherals.status', {})).printer.state, 'ready');
    } finally {
      core.close();
    }
  });

  test('receipt.print reprints, marked REPRINT, by id or number; the ledger counts copies', async () => {
    const { core, printerFile } = newCore();
    try {
      const sale = await sell(core);
      await core.printing.idle();
      const before = printed(printerFile).length;
      const again = await call(core, 'receipt.print', { receiptNo: sale.receiptNo ?? '' });
      assert.equal(again.reprint, true);
      assert.equal(again.receiptNo, sale.receiptNo);
      const copy = printed(printerFile).slice(before);
      assert.ok(copy.startsWith(RECEIPT_START) && copy.endsWith(RECEIPT_END));
      assert.ok(copy.includes(hex('** 重印 REPRINT **')));
      assert.equal(count(copy, KICK_PIN2), 0, 'a reprint does not open the drawer');
      assert.equal((await call(core, 'receipt.print', { saleId: sale.id })).reprint, true);
      assert.deepEqual(
        core.ledger.receiptPrints(sale.id).map((p) => [p.outcome, p.reprint]),
        [
          ['printed', false],
          ['printed', true],
          ['printed', true],
        ],
      );
      // Still a reprint after a restart: the ledger remembers, not the process.
      assert.equal(core.ledger.receiptPrinted(sale.id), true);
    } finally {
      core.close();
    }
  });

  test('only a completed sale has a receipt; bad requests are refused with a typed error', async () => {
    const { core, printerFile } = newCore();
    try {
      await sell(core);
      await core.printing.idle();
      const size = statSync(printerFile).size;
      const open = await call(core, 'sale.addItem', { sku: 'DRK-001' });
      assert.equal(await refusal(core, 'receipt.print', { saleId: open.id }), 'SALE_NOT_COMPLETED');
      assert.equal(await refusal(core, 'receipt.print', { receiptNo: 'T01-999999' }), 'NOT_FOUND');
      assert.equal(
        await refusal(core, 'receipt.print', { saleId: open.id, receiptNo: 'T01-000001' }),
        'VALIDATION',
      );
      assert.equal(await refusal(core, 'receipt.print', {}), 'VALIDATION');
      assert.equal(statSync(printerFile).size, size, 'nothing was printed');
    } finally {
      core.close();
    }
  });

  test('with auto-print off a cash sale still opens the drawer but prints nothing', async () => {
    const { core, printerFile, events } = newCore();
    try {
      await managerSession(core);
      await call(core, 'settings.set', { autoPrintReceipt: false, managerPin: '888888' });
      const status = events.filter((e) => e.name === 'peripherals.status').at(-1)
        ?.payload as PeripheralsStatus;
      assert.equal(status.autoPrint, false, 'the change is announced');
      assert.equal((await call(core, 'settings.get', {})).discountLimitBp, 2000, 'the rest stays');
      await sell(core);
      await core.printing.idle();
      assert.equal(printed(printerFile), KICK_PIN2);
    } finally {
      core.close();
    }
  });

  test('58 mm paper gets 32 columns; the drawer on pin 5 gets ESC p 1', async () => {
    const { core, printerFile } = newCore(['--paper', '58', '--drawer-pin', '5']);
    try {
      await sell(core);
      await core.printing.idle();
      const bytes = printed(printerFile);
      assert.ok(bytes.startsWith('1b700119fa'));
      assert.ok(bytes.includes(`0a${hex('-'.repeat(32))}0a`));
      assert.ok(!bytes.includes(hex('-'.repeat(33))));
      assert.equal((await call(core, 'peripherals.status', {})).printer.columns, 32);
    } finally {
      core.close();
    }
  });
});

describe('a printer that fails', () => {
  test(
    'a failing device leaves the sale intact and reports the error',
    { skip: !existsSync('/dev/full') },
    async () => {
      // /dev/full is a real device whose every write fails (ENOSPC): a printer that takes nothing.
      const { core, events } = newCore(['--printer-file', '/dev/full']);
      try {
        const sale = await sell(core);
        assert.equal(sale.status, 'completed', 'the sale completed whatever the printer does');
        await core.printing.idle();
        const status = await call(core, 'peripherals.status', {});
        assert.equal(status.printer.state, 'error');
        assert.equal(status.lastError?.job, 'receipt');
        assert.equal(status.lastError?.fault, 'io');
        assert.equal(status.lastError?.receiptNo, sale.receiptNo);
        assert.match(status.lastError?.message ?? '', /\/dev\/full.*ENOSPC/);
        const announced = events
          .filter((e) => e.name === 'peripherals.status')
          .map((e) => (e.payload as EventPayload<'peripherals.status'>).printer.state);
        assert.ok(
          announced.includes('printing') && announced.at(-1) === 'error',
          String(announced),
        );

        // Nothing is lost: the sale, its payment and the chain are in the ledger.
        assert.deepEqual(await call(core, 'sale.get', { receiptNo: sale.receiptNo ?? '' }), sale);
        assert.equal(core.ledger.verifyAudit().ok, true);
        assert.equal(await refusal(core, 'receipt.print', { saleId: sale.id }), 'PRINTER_ERROR');
        assert.deepEqual(
          core.ledger.receiptPrints(sale.id).map((p) => [p.outcome, p.fault]),
          [
            ['failed', 'io'],
            ['failed', 'io'],
          ],
        );
        // The till goes on selling.
        assert.equal((await sell(core)).status, 'completed');
      } finally {
        core.close();
      }
    },
  );

  test('an unplugged printer: the receipt prints later, and it is the original', async () => {
    const dataDir = tempDir();
    const port = join(dataDir, 'usb');
    const file = join(port, 'lp0');
    const { core } = newCore(['--printer-file', file]);
    try {
      const sale = await sell(core);
      await core.printing.idle();
      const status = await call(core, 'peripherals.status', {});
      assert.equal(status.lastError?.fault, 'not-found');
      // Plugged back in: F8, reprint. No copy printed before, so this one is the original.
      mkdirSync(port);
      const result = await call(core, 'receipt.print', { saleId: sale.id });
      assert.equal(result.reprint, false);
      const bytes = printed(file);
      assert.ok(bytes.startsWith(RECEIPT_START) && bytes.includes(hex(sale.receiptNo ?? '')));
      assert.ok(!bytes.includes(hex('REPRINT')));
      const after = await call(core, 'peripherals.status', {});
      assert.deepEqual([after.printer.state, after.lastError], ['ready', null]);
    } finally {
      core.close();
    }
  });

  test('without a printer nothing is printed and nothing fails', async () => {
    const { core, printerFile } = newCore([], { peripherals: new Peripherals({ usb: false }) });
    try {
      const sale = await sell(core);
      assert.equal(sale.status, 'completed');
      await core.printing.idle();
      assert.equal(existsSync(printerFile), false);
      const status = await call(core, 'peripherals.status', {});
      assert.deepEqual([status.printer.state, status.lastError], ['absent', null]);
      assert.equal(await refusal(core, 'receipt.print', { saleId: sale.id }), 'NO_PRINTER');
      assert.equal(
        await refusal(core, 'drawer.open', {
          reason: 'change for the float',
          managerPin: '888888',
        }),
        'NO_PRINTER',
      );
      assert.equal(
        core.ledger.listApprovals().filter((a) => a.action === 'drawer.open').length,
        0,
        'no opening is recorded when there is no drawer to open',
      );
    } finally {
      core.close();
    }
  });
});

describe('drawer.open (no sale)', () => {
  test('needs a reason and a manager PIN, refuses a wrong one, and is recorded', async () => {
    const { core, printerFile } = newCore();
    try {
      const request = { reason: 'customer needs change' };
      assert.equal(
        await refusal(core, 'drawer.open', { ...request, managerPin: '888888' }),
        'SIGN_IN_REQUIRED',
        'the till is the signed-in cashier’s, even with a manager’s PIN',
      );
      await signInCashier(core);
      assert.equal(await refusal(core, 'drawer.open', request), 'PIN_REQUIRED');
      assert.equal(
        await refusal(core, 'drawer.open', { ...request, managerPin: '1234' }),
        'PIN_WRONG',
      );
      assert.equal(
        await refusal(core, 'drawer.open', { ...request, managerPin: '0000' }),
        'PIN_WRONG',
      );
      assert.equal(
        await refusal(core, 'drawer.open', { reason: '  ', managerPin: '888888' }),
        'VALIDATION',
      );
      assert.equal(existsSync(printerFile), false, 'the drawer stayed shut');
      assert.equal(core.ledger.listApprovals().length, 0);

      const pending = core.ledger.pendingOutboxCount();
      const opened = await call(core, 'drawer.open', { ...request, managerPin: '888888' });
      assert.ok(Date.parse(opened.openedAt) > 0);
      assert.equal(printed(printerFile), KICK_PIN2);
      const [approval] = core.ledger.listApprovals();
      assert.equal(approval?.action, 'drawer.open');
      assert.deepEqual(approval?.details, { reason: 'customer needs change' });
      assert.equal(core.ledger.pendingOutboxCount(), pending + 1, 'and goes to the cloud');
    } finally {
      core.close();
    }
  });
});

describe('printer options', () => {
  test('--printer-file beats POS_PRINTER_FILE; paper and pin are checked', () => {
    assert.equal(
      loadConfig(['--printer-file', '/a'], { POS_PRINTER_FILE: '/b' }).printerFile,
      '/a',
    );
    assert.equal(loadConfig([], { POS_PRINTER_FILE: '/b' }).printerFile, '/b');
    assert.equal(loadConfig([], {}).printerFile, null);
    assert.equal(loadConfig([], {}).paperColumns, 48);
    assert.equal(loadConfig([], { POS_PAPER: '58' }).paperColumns, 32);
    assert.equal(loadConfig(['--drawer-pin=5'], {}).drawerPin, 5);
    assert.throws(() => loadConfig(['--paper', '76'], {}), /--paper must be one of 58, 80/);
    assert.throws(() => loadConfig(['--drawer-pin', '3'], {}), /--drawer-pin must be one of 2, 5/);
  });
});
