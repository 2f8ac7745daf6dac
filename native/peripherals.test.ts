/** Peripherals over real files: what a device file receives, in order, and how failures read. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DeviceError } from './errors';
import { FileTransport } from './file-transport';
import { Peripherals } from './peripherals';
import { cashSale, line } from './test-support/sale';
import type { ReceiptInput } from './receipt';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-native-'));
  dirs.push(dir);
  return join(dir, 'printer.bin');
}

const receipt = (receiptNo: string): ReceiptInput => ({
  sale: { ...cashSale([line(1, '可乐', 'Cola', 1, 300)], 500), receiptNo },
  shopName: 'Shop',
  terminalId: 'T01',
  cashier: null,
  timezone: 'UTC',
  locale: 'en',
  reprintAt: null,
});

describe('peripherals on a device file', () => {
  it('appends each job whole and in the order asked, even when asked at once', async () => {
    const file = tempFile();
    const peripherals = new Peripherals({ printerFile: file });
    try {
      assert.deepEqual(peripherals.printer(), { connection: 'file', name: file, columns: 48 });
      await Promise.all([
        peripherals.openDrawer(),
        peripherals.printReceipt(receipt('T01-000001')),
        peripherals.printReceipt(receipt('T01-000002')),
        peripherals.openDrawer(),
      ]);
      const bytes = Buffer.from(readFileSync(file)).toString('hex');
      const kick = '1b700019fa';
      const first = bytes.indexOf(Buffer.from('T01-000001').toString('hex'));
      const second = bytes.indexOf(Buffer.from('T01-000002').toString('hex'));
      assert.ok(bytes.startsWith(`${kick}1b401c26`));
      assert.ok(bytes.endsWith(`1d564200${kick}`));
      assert.ok(first > 0 && second > first);
      // The second receipt begins only after the first one's cut.
      assert.ok(bytes.indexOf('1d564200') < bytes.indexOf('1b401c26', bytes.indexOf('1d564200')));
    } finally {
      await peripherals.close();
    }
  });

  it('a job for a missing printer, or after close, is a DeviceError naming the fault', async () => {
    const none = new Peripherals({ usb: false });
    assert.equal(none.printer(), null);
    await assert.rejects(
      none.openDrawer(),
      (e: unknown) => DeviceError.is(e) && e.fault === 'absent',
    );
    await none.close();

    const file = tempFile();
    const closed = new Peripherals({ printerFile: file });
    await closed.close();
    await assert.rejects(
      closed.openDrawer(),
      (e: unknown) => DeviceError.is(e) && e.fault === 'absent',
    );
    assert.equal(existsSync(file), false);
  });

  it('under /dev a missing device is absent and is never created as a file', async () => {
    const path = '/dev/pos-test-no-such-printer';
    const peripherals = new Peripherals({ printerFile: path, pollMs: 60_000 });
    try {
      assert.equal(peripherals.printer(), null);
      await assert.rejects(peripherals.openDrawer(), /no receipt printer/);
      await assert.rejects(new FileTransport(path).write(Uint8Array.of(1)), (e: unknown) => {
        return DeviceError.is(e) && e.fault === 'not-found' && /ENOENT/.test(e.message);
      });
      assert.equal(existsSync(path), false);
    } finally {
      await peripherals.close();
    }
  });

  it(
    'a device that refuses the bytes is an io fault, with the path and the errno',
    { skip: !existsSync('/dev/full') },
    async () => {
      await assert.rejects(
        new FileTransport('/dev/full').write(Uint8Array.of(0x1b, 0x40)),
        (e: unknown) => {
          assert.ok(DeviceError.is(e));
          assert.equal(e.fault, 'io');
          assert.match(e.message, /\/dev\/full could not be written \(ENOSPC\)/);
          return true;
        },
      );
    },
  );
});
