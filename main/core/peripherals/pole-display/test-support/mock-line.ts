/**
 * The register's end of a serial line for unit tests, on serialport's own mock binding: the
 * reader opens the mock port exactly as it opens a real one, and the test writes the bytes the
 * register would send, in whatever pieces it likes.
 */
import iconv from 'iconv-lite';
import { SerialPortMock } from 'serialport';
import type { PoleView } from '../decoder';
import type { PoleProtocol } from '../../../../contract';
import { silentLogger, type Logger } from '../../../logger';
import { PoleReader, type PoleConnection, type SerialSettings } from '../serial-reader';

let ports = 0;

/** The bytes of text as a Chinese register sends them (GB18030). */
export const gb = (text: string): Buffer => Buffer.from(iconv.encode(text, 'gb18030'));
export const bytes = (...parts: (string | number[] | Buffer)[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? gb(p) : Buffer.from(p))));

export interface MockRegister {
  reader: PoleReader;
  views: PoleView[];
  warnings: string[];
  connections: PoleConnection[];
  /**
   * Sends bytes from the register, in pieces of `pieceSize`; resolves once the reader has taken
   * them in and (unless `quiet: false`) been told the line is quiet, as its timer would after.
   */
  send(data: Buffer, options?: { pieceSize?: number; quiet?: boolean }): Promise<void>;
  /** Resolves with the first view (from now on, or already seen) that passes. */
  until(test: (view: PoleView) => boolean): Promise<PoleView>;
  close(): Promise<void>;
}

export async function mockRegister(
  protocol: PoleProtocol,
  options: { settleMs?: number } = {},
): Promise<MockRegister> {
  const path = `/dev/ttyPOLE${++ports}`;
  SerialPortMock.binding.createPort(path);
  let line: SerialPortMock | null = null;
  const views: PoleView[] = [];
  const warnings: string[] = [];
  const connections: PoleConnection[] = [];
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const logger: Logger = {
    ...silentLogger,
    warn: (message, fields) => {
      warnings.push(`${message} ${JSON.stringify(fields)}`);
      wake();
    },
  };
  const reader = new PoleReader({
    path,
    baudRate: 9600,
    protocol,
    settleMs: options.settleMs ?? 1_000_000,
    openLine: (settings: SerialSettings) =>
      (line = new SerialPortMock({ ...settings, autoOpen: false })),
    onView: (view) => {
      views.push(view);
      wake();
    },
    onConnection: (state) => {
      connections.push(state);
      wake();
    },
    logger,
  });
  const next = () => new Promise<void>((resolve) => waiters.push(resolve));
  reader.start();
  while (!connections.includes('connected')) await next();
  const port = () => {
    const binding = line?.port;
    if (!binding) throw new Error('the mock port is not open');
    return binding;
  };
  return {
    reader,
    views,
    warnings,
    connections,
    async send(data, { pieceSize = data.length, quiet = true } = {}) {
      for (let i = 0; i < data.length; i += pieceSize) {
        port().emitData(data.subarray(i, i + pieceSize));
        // One turn of the stream's read loop per piece, so pieces really arrive apart.
        await new Promise<void>((resolve) => line?.once('data', () => resolve()));
      }
      if (quiet) reader.settle();
    },
    async until(test) {
      for (let seen = 0; ;) {
        for (; seen < views.length; seen++)
          if (test(views[seen] as PoleView)) return views[seen] as PoleView;
        await next();
      }
    },
    close: () => reader.close(),
  };
}
