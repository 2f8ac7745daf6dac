/**
 * The receipt printer and the cash drawer behind it, as the rest of the terminal sees them: which
 * printer is attached (a configured device file, else the best USB printer found), a receipt to
 * print, a drawer to open. Jobs go out one at a time, in order, so two receipts never interleave
 * on the wire.
 *
 * The drawer is wired to the printer's drawer-kick connector (RJ11/RJ12), so it is there when the
 * printer is and is opened with ESC p through the printer. Nothing here knows about sales or the
 * ledger: what to print and when is the core's business.
 */
import { EscPos, type Charset, type DrawerPin } from './escpos';
import { discoverUsbPrinters, loadUsb, type UsbModule } from './devices';
import { DeviceError } from './errors';
import { FileTransport, fileAttached } from './file-transport';
import { renderReceipt, type PaperColumns, type ReceiptInput } from './receipt';
import type { Transport } from './transport';

export interface PeripheralsOptions {
  /**
   * A printer device file (/dev/usb/lp0) or any file to append the bytes to, used instead of
   * looking on USB.
   */
  printerFile?: string | null;
  /** 48 for 80 mm paper (the default), 32 for 58 mm. */
  columns?: PaperColumns;
  charset?: Charset;
  /** The drawer-kick pin the drawer is wired to (2 unless the drawer's cable says 5). */
  drawerPin?: DrawerPin;
  /** Look for a USB printer (default: yes, when no printerFile is given). */
  usb?: boolean;
  /** How often USB (or a /dev path) is looked at again for a printer plugged in or out. */
  pollMs?: number;
  loadUsb?: () => Promise<UsbModule | null>;
}

export interface AttachedPrinter {
  connection: 'usb' | 'file';
  name: string;
  columns: PaperColumns;
}

const POLL_MS = 3_000;

export class Peripherals {
  private attached: { key: string; transport: Transport } | null = null;
  private readonly listeners = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> | null = null;
  private closed = false;
  private readonly columns: PaperColumns;
  private readonly charset: Charset;
  private readonly drawerPin: DrawerPin;
  private readonly file: FileTransport | null;
  private readonly usb: boolean;
  private readonly load: () => Promise<UsbModule | null>;
  /** Why USB could not be looked at, for the log (null: it could). */
  unavailable: string | null = null;

  constructor(options: PeripheralsOptions = {}) {
    this.columns = options.columns ?? 48;
    this.charset = options.charset ?? 'gb18030';
    this.drawerPin = options.drawerPin ?? 2;
    const file = options.printerFile ?? null;
    this.file = file === null || file === '' ? null : new FileTransport(file);
    this.usb = options.usb ?? this.file === null;
    this.load = options.loadUsb ?? loadUsb;
    // A file printer is known at once (nothing to wait for before the first sale).
    if (this.file !== null && fileAttached(this.file.path))
      this.attached = { key: `file:${this.file.path}`, transport: this.file };
    const polls = this.usb || (this.file !== null && this.file.path.startsWith('/dev/'));
    if (polls) {
      void this.refresh();
      this.timer = setInterval(() => void this.refresh(), options.pollMs ?? POLL_MS);
      // Looking for a printer never keeps the process alive.
      this.timer.unref();
    }
  }

  /** The printer jobs would go to now, or null. */
  printer(): AttachedPrinter | null {
    if (this.attached === null) return null;
    const { transport } = this.attached;
    return { connection: transport.kind, name: transport.name, columns: this.columns };
  }

  /** Called whenever printer() may have changed. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Looks again for the printer now (a poll does this too). */
  refresh(): Promise<void> {
    this.refreshing ??= this.look().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async look(): Promise<void> {
    let next: { key: string; transport: () => Transport } | null = null;
    if (this.file !== null) {
      if (fileAttached(this.file.path))
        next = { key: `file:${this.file.path}`, transport: () => this.file as Transport };
    } else if (this.usb) {
      const found = await discoverUsbPrinters(this.load);
      this.unavailable = found.unavailable;
      const best = found.printers[0];
      if (best !== undefined) next = { key: best.key, transport: best.transport };
    }
    if (this.closed || (next?.key ?? null) === (this.attached?.key ?? null)) return;
    const old = this.attached;
    this.attached = next === null ? null : { key: next.key, transport: next.transport() };
    if (old !== null && old.transport !== this.file) void old.transport.close();
    for (const listener of this.listeners) listener();
  }

  /** Lays the receipt out for this paper and prints it. Throws a DeviceError on failure. */
  printReceipt(receipt: ReceiptInput): Promise<void> {
    return this.send(() => renderReceipt(receipt, this.columns, this.charset));
  }

  /** Pulses the drawer-kick pin: the drawer springs open. */
  openDrawer(): Promise<void> {
    return this.send(() => new EscPos(this.charset).kick(this.drawerPin).bytes());
  }

  private send(render: () => Uint8Array): Promise<void> {
    const job = this.queue.then(async () => {
      const target = this.attached;
      if (this.closed || target === null)
        throw new DeviceError('absent', 'printer', 'no receipt printer is attached');
      try {
        await target.transport.write(render());
      } catch (error) {
        // Unplugged or gone: look again now rather than at the next poll.
        if (
          DeviceError.is(error) &&
          (error.fault === 'disconnected' || error.fault === 'not-found')
        )
          void this.refresh();
        throw error;
      }
    });
    this.queue = job.catch(() => undefined);
    return job;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.listeners.clear();
    await this.queue;
    await this.attached?.transport.close();
    this.attached = null;
  }
}
