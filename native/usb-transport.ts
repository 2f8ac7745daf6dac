/**
 * A receipt printer on USB, written through its bulk OUT endpoint with node-usb's WebUSB-style
 * device. The device is opened and its interface claimed on the first job and kept until a job
 * fails (then everything is released, and the next job starts afresh: a replugged printer works
 * again without a restart).
 */
import { DeviceError, faultOfUsbError } from './errors';
import type { PrinterMatch } from './devices';
import type { Transport } from './transport';

/** The calls we make on node-usb's UsbDevice. */
export interface UsbDeviceHandle {
  readonly opened: boolean;
  open(): Promise<void>;
  close(): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
  transferOut(
    endpointNumber: number,
    data: Uint8Array,
    timeout?: number,
  ): Promise<{ bytesWritten: number; status: string }>;
}

/** Per transfer. A receipt is a few kilobytes; a printer that takes longer is stuck. */
const TRANSFER_TIMEOUT_MS = 10_000;

export class UsbTransport implements Transport {
  readonly kind = 'usb' as const;
  private claimed = false;

  constructor(
    private readonly device: UsbDeviceHandle,
    private readonly match: Pick<PrinterMatch, 'name' | 'interfaceNumber' | 'endpointNumber'>,
    private readonly timeoutMs = TRANSFER_TIMEOUT_MS,
  ) {}

  get name(): string {
    return this.match.name;
  }

  private async claim(): Promise<void> {
    if (this.claimed) return;
    if (!this.device.opened) await this.device.open();
    const n = this.match.interfaceNumber;
    try {
      await this.device.claimInterface(n);
    } catch (error) {
      // On Linux the usblp driver holds a printer-class interface (that is /dev/usb/lp0):
      // take it over, then claim again.
      if (this.device.detachKernelDriver === undefined) throw error;
      await this.device.detachKernelDriver(n);
      await this.device.claimInterface(n);
    }
    this.claimed = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    try {
      await this.claim();
      const result = await this.device.transferOut(
        this.match.endpointNumber,
        bytes,
        this.timeoutMs,
      );
      if (result.status !== 'ok' || result.bytesWritten !== bytes.length)
        throw new DeviceError(
          'io',
          this.name,
          `the printer ${this.name} took ${result.bytesWritten} of ${bytes.length} bytes (${result.status})`,
        );
    } catch (error) {
      await this.release();
      if (DeviceError.is(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new DeviceError(
        faultOfUsbError(error),
        this.name,
        `USB printer ${this.name}: ${message}`,
        {
          cause: error,
        },
      );
    }
  }

  private async release(): Promise<void> {
    const wasClaimed = this.claimed;
    this.claimed = false;
    try {
      if (wasClaimed) await this.device.releaseInterface(this.match.interfaceNumber);
    } catch {
      // Unplugged: there is nothing left to release.
    }
    try {
      if (this.device.opened) await this.device.close();
    } catch {
      // Same.
    }
  }

  async close(): Promise<void> {
    await this.release();
  }
}
