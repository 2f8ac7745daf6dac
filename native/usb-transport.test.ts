/**
 * The USB transport against a recording stand-in for node-usb's device (no printer is plugged
 * into the machines that run tests): what it claims, what it sends, how it reports a failure.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeviceError } from './errors';
import { UsbTransport, type UsbDeviceHandle } from './usb-transport';

class RecordingDevice implements UsbDeviceHandle {
  opened = false;
  log: string[] = [];
  sent: number[][] = [];
  kernelDriver = true;
  failNext: Error | null = null;
  short = false;

  async open() {
    this.log.push('open');
    this.opened = true;
  }
  async close() {
    this.log.push('close');
    this.opened = false;
  }
  async claimInterface(n: number) {
    this.log.push(`claim ${n}`);
    if (this.kernelDriver) throw new Error('claim failed: Device or resource busy');
  }
  async releaseInterface(n: number) {
    this.log.push(`release ${n}`);
  }
  async detachKernelDriver(n: number) {
    this.log.push(`detach ${n}`);
    this.kernelDriver = false;
  }
  async transferOut(endpoint: number, data: Uint8Array, timeout?: number) {
    this.log.push(`out ${endpoint} ${data.length} ${timeout}`);
    if (this.failNext !== null) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    this.sent.push([...data]);
    return { bytesWritten: this.short ? data.length - 1 : data.length, status: 'ok' };
  }
}

const match = { name: 'EPSON TM-T20II (04b8:0e15)', interfaceNumber: 0, endpointNumber: 2 };

describe('USB transport', () => {
  it('takes the interface over from usblp once, then writes to the bulk OUT endpoint', async () => {
    const device = new RecordingDevice();
    const transport = new UsbTransport(device, match, 5000);
    await transport.write(Uint8Array.from([0x1b, 0x40]));
    await transport.write(Uint8Array.from([0x1b, 0x70, 0x00, 0x19, 0xfa]));
    assert.deepEqual(device.sent, [
      [0x1b, 0x40],
      [0x1b, 0x70, 0x00, 0x19, 0xfa],
    ]);
    assert.deepEqual(device.log, [
      'open',
      'claim 0',
      'detach 0',
      'claim 0',
      'out 2 2 5000',
      'out 2 5 5000',
    ]);
  });

  it('an unplugged printer is a typed error; the next job opens it afresh', async () => {
    const device = new RecordingDevice();
    device.kernelDriver = false;
    const transport = new UsbTransport(device, match);
    device.failNext = new Error('transfer error: Disconnected');
    await assert.rejects(transport.write(Uint8Array.from([1])), (error: unknown) => {
      assert.ok(DeviceError.is(error));
      assert.equal(error.fault, 'disconnected');
      assert.equal(error.device, match.name);
      return true;
    });
    assert.deepEqual(device.log.slice(-2), ['release 0', 'close']);
    await transport.write(Uint8Array.from([2]));
    assert.deepEqual(device.log.slice(-3), ['open', 'claim 0', 'out 2 1 10000']);
  });

  it('a short write or a timeout is reported, never taken for a printed job', async () => {
    const device = new RecordingDevice();
    device.kernelDriver = false;
    device.short = true;
    const transport = new UsbTransport(device, match);
    await assert.rejects(transport.write(Uint8Array.from([1, 2, 3])), /took 2 of 3 bytes/);
    device.short = false;
    device.failNext = new Error('transfer error: Timed out');
    await assert.rejects(
      transport.write(Uint8Array.from([1])),
      (error: unknown) => DeviceError.is(error) && error.fault === 'timeout',
    );
  });
});
