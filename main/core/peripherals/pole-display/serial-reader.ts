/**
 * Reads the register's pole-display stream from a serial port and keeps the decoded display
 * current. The register only ever writes; we never write back (a pole display does not answer).
 *
 * A port that vanishes (the USB adapter pulled, the register's cable out, a pty whose other end
 * closed) blanks the display at once (nothing half-shown stays payable) and is opened again
 * with backoff: 250 ms, doubling to 5 s, reset by a successful open.
 *
 * Whether the port vanished is not left to the read alone: a pty whose other end closed reads
 * as endless zero-byte reads, which serialport's binding retries without ever reporting. So
 * while the port is open the reader also watches its device node (every second): gone, or a
 * different device under the same name (the adapter back on another minor number), is a port
 * that vanished.
 */
import { statSync } from 'node:fs';
import { SerialPort } from 'serialport';
import type { Logger } from '../../logger';
import { Cd5220Decoder } from './cd5220';
import type { PoleDecoder, PoleProtocol, PoleView } from './decoder';
import { EpsonDisplayDecoder } from './epson';

/** What the reader needs of a serialport stream (SerialPort and SerialPortMock are both one). */
export interface SerialLine {
  readonly isOpen: boolean;
  open(callback: (error: Error | null) => void): void;
  close(callback?: (error: Error | null) => void): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'close', listener: (error?: Error | null) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  removeAllListeners(): this;
}

export interface SerialSettings {
  path: string;
  /** 9600 unless the register is set otherwise; always 8 data bits, no parity, 1 stop bit. */
  baudRate: number;
}

export type PoleConnection = 'connecting' | 'connected' | 'disconnected';

export interface PoleReaderOptions extends SerialSettings {
  protocol: PoleProtocol;
  /** Where the line comes from: the real port by default; tests pass serialport's mock. */
  openLine?: (settings: SerialSettings) => SerialLine;
  /** Quiet time after which text at the cursor counts as complete (decoder.ts). */
  settleMs?: number;
  backoffMs?: { first: number; max: number };
  /** How often the device node is checked while open (ms). */
  watchMs?: number;
  onView: (view: PoleView) => void;
  onConnection: (state: PoleConnection, reason?: string) => void;
  logger: Logger;
}

export function decoderFor(protocol: PoleProtocol): PoleDecoder {
  return protocol === 'cd5220' ? new Cd5220Decoder() : new EpsonDisplayDecoder();
}

const realLine = (settings: SerialSettings): SerialLine =>
  new SerialPort({
    path: settings.path,
    baudRate: settings.baudRate,
    dataBits: 8,
    parity: 'none',
    stopBits: 1,
    autoOpen: false,
  });

export class PoleReader {
  private readonly decoder: PoleDecoder;
  private line: SerialLine | null = null;
  private retry: NodeJS.Timeout | null = null;
  private settleTimer: NodeJS.Timeout | null = null;
  private watch: NodeJS.Timeout | null = null;
  private delay: number;
  private closed = false;
  /** Lost and not back yet: retries stay 'disconnected' and log nothing more (no churn). */
  private down = false;

  constructor(private readonly options: PoleReaderOptions) {
    this.decoder = decoderFor(options.protocol);
    this.delay = options.backoffMs?.first ?? 250;
  }

  start(): void {
    this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    if (this.watch) clearInterval(this.watch);
    const line = this.line;
    this.line = null;
    line?.removeAllListeners();
    line?.on('error', () => undefined);
    if (line?.isOpen) await new Promise<void>((resolve) => line.close(() => resolve()));
  }

  private connect(): void {
    if (this.closed) return;
    if (!this.down) this.options.onConnection('connecting');
    const { path, baudRate } = this.options;
    let line: SerialLine;
    try {
      line = (this.options.openLine ?? realLine)({ path, baudRate });
    } catch (error) {
      this.lost(String(error));
      return;
    }
    this.line = line;
    line.on('data', (chunk) => this.received(chunk));
    line.on('error', (error) =>
      this.options.logger.warn('pole display: port error', { path, error: error.message }),
    );
    line.on('close', (error) => {
      if (this.line !== line) return;
      this.lost(error ? error.message : 'the port closed');
    });
    line.open((error) => {
      if (this.closed) {
        if (!error) line.close();
        return;
      }
      if (error) {
        this.lost(error.message);
        return;
      }
      this.delay = this.options.backoffMs?.first ?? 250;
      this.down = false;
      this.watchNode(line);
      this.options.logger.info('pole display: reading the register', {
        path,
        baudRate,
        protocol: this.options.protocol,
      });
      this.options.onConnection('connected');
    });
  }

  /** Lost when the device node goes, or another device takes its name (see the top). */
  private watchNode(line: SerialLine): void {
    const identity = nodeIdentity(this.options.path);
    // A port with no node (serialport's mock binding) has nothing to watch.
    if (identity === null) return;
    this.watch = setInterval(() => {
      if (this.line !== line) return;
      if (nodeIdentity(this.options.path) !== identity) this.lost('the device is gone');
    }, this.options.watchMs ?? 1000);
    this.watch.unref();
  }

  private received(chunk: Buffer): void {
    const result = this.decoder.push(chunk);
    for (const corrupt of result.corrupt)
      this.options.logger.warn('pole display: skipped a corrupt frame', {
        path: this.options.path,
        frame: corrupt,
      });
    if (result.view) this.options.onView(result.view);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.settle(), this.options.settleMs ?? 100);
  }

  /**
   * The line is quiet: what arrived is the register's whole update, and its amount may be read.
   * The quiet timer calls it; tests call it to say "quiet now" without waiting on a clock.
   */
  settle(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
    if (this.line === null) return;
    const settled = this.decoder.settle();
    if (settled.view) this.options.onView(settled.view);
  }

  /** The port is gone: blank what it showed, try again later. */
  private lost(reason: string): void {
    const line = this.line;
    this.line = null;
    // Detached, but an error it still raises must not become an uncaught 'error' event.
    line?.removeAllListeners();
    line?.on('error', () => undefined);
    if (line?.isOpen) line.close();
    if (this.settleTimer) clearTimeout(this.settleTimer);
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
    this.decoder.reset();
    this.options.onView(this.decoder.view());
    if (this.closed) return;
    if (!this.down) {
      this.down = true;
      this.options.onConnection('disconnected', reason);
      this.options.logger.warn('pole display: port lost, trying again until it is back', {
        path: this.options.path,
        reason,
      });
    }
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, this.delay);
    this.delay = Math.min(this.delay * 2, this.options.backoffMs?.max ?? 5000);
  }
}

function nodeIdentity(path: string): string | null {
  try {
    const stat = statSync(path);
    return `${stat.dev}:${stat.ino}:${stat.rdev}`;
  } catch {
    return null;
  }
}
