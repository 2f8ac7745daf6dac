/**
 * What went wrong with a device, as one typed error. `fault` says what the cashier can do about
 * it (plug it in, give permission, wait, check the paper); the message says it in words for the
 * log. The faults are the contract's, so they reach the screens unchanged.
 */
import { PRINTER_FAULTS, type PrinterFault } from '../main/contract';

export { PRINTER_FAULTS, type PrinterFault };

export class DeviceError extends Error {
  readonly fault: PrinterFault;
  /** The device as the user knows it: a model name or a path. */
  readonly device: string;

  constructor(fault: PrinterFault, device: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DeviceError';
    this.fault = fault;
    this.device = device;
  }

  static is(value: unknown): value is DeviceError {
    return value instanceof DeviceError;
  }
}

/** A Node system error code (open/write on a device file) as a fault. */
export function faultOfErrno(code: string | undefined): PrinterFault {
  switch (code) {
    case 'ENOENT':
      return 'not-found';
    case 'ENODEV':
    case 'ENXIO':
    case 'EPIPE':
      return 'disconnected';
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 'permission';
    case 'EBUSY':
      return 'busy';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return 'io';
  }
}

/**
 * A node-usb (nusb) failure as a fault. Its errors carry a generic code, so the message is what
 * tells them apart.
 */
export function faultOfUsbError(error: unknown): PrinterFault {
  const text = error instanceof Error ? error.message : String(error);
  if (/disconnect|no such device|not found|ENODEV/i.test(text)) return 'disconnected';
  if (/permission|access denied|EACCES|EPERM/i.test(text)) return 'permission';
  if (/busy|claimed|EBUSY/i.test(text)) return 'busy';
  if (/time(d)? ?out|ETIMEDOUT/i.test(text)) return 'timeout';
  return 'io';
}
