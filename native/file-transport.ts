/**
 * A printer reached through a device file: Linux's usblp driver gives a USB printer as
 * /dev/usb/lp0, a parallel port is /dev/lp0, and any other path works the same way. Every job is
 * appended, so a plain file records exactly the bytes the device would have received (the tests
 * use this: a real file, at the real edge of the program).
 */
import { constants, existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { DeviceError, faultOfErrno } from './errors';
import { withTimeout, type Transport } from './transport';

/** A job that has not gone out in this long is reported (a printer out of paper can block). */
const WRITE_TIMEOUT_MS = 10_000;

/**
 * Under /dev a missing path means the device is not there, and creating a regular file in its
 * place would hide that (and fill /dev), so device paths are opened without O_CREAT.
 */
export function isDevicePath(path: string): boolean {
  return path.startsWith('/dev/');
}

/** Whether a printer at this path could be written now (device paths must exist). */
export function fileAttached(path: string): boolean {
  return !isDevicePath(path) || existsSync(path);
}

export class FileTransport implements Transport {
  readonly kind = 'file' as const;

  constructor(
    readonly path: string,
    private readonly timeoutMs = WRITE_TIMEOUT_MS,
  ) {}

  get name(): string {
    return this.path;
  }

  async write(bytes: Uint8Array): Promise<void> {
    const flags = isDevicePath(this.path)
      ? constants.O_WRONLY | constants.O_APPEND
      : constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT;
    const job = (async () => {
      const handle = await open(this.path, flags, 0o644);
      try {
        // writeFile on a handle loops until every byte is written (a device may take part).
        await handle.writeFile(bytes);
      } finally {
        await handle.close();
      }
    })();
    try {
      await withTimeout(
        job,
        this.timeoutMs,
        () =>
          new DeviceError(
            'timeout',
            this.path,
            `the printer at ${this.path} did not take the job in time`,
          ),
      );
    } catch (error) {
      if (DeviceError.is(error)) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new DeviceError(
        faultOfErrno(code),
        this.path,
        `the printer at ${this.path} could not be written (${code ?? String(error)})`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    // Nothing is held open between jobs.
  }
}
