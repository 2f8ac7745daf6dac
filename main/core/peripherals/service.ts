/**
 * Receipts and the cash drawer around a sale. Everything here happens after the sale's commit
 * and nothing here can undo or fail it: a completed sale is in the ledger before the printer
 * hears of it, a printer that fails becomes a status (and an event) the cashier sees, and the
 * receipt can be printed again from the ledger at any time.
 *
 * - A sale completes: its cashier is recorded; if a printer is attached, a cash sale kicks the
 *   drawer, then the receipt prints if the shop's autoPrintReceipt setting is on.
 * - receipt.print: any completed sale, again and again. The first copy that prints is the
 *   original, every later one a reprint (the ledger remembers, across restarts). A copy that
 *   failed does not count: the cashier was told it did not print.
 * - Jobs run one at a time, so whether a copy is the original is decided when it is its turn.
 */
import {
  PosError,
  type PeripheralsStatus,
  type PrinterFault,
  type PrintResult,
  type Sale,
  type Staff,
} from '../../contract';
import { DeviceError } from '../../../native';
import type { Logger } from '../logger';
import type { PeripheralsPort, PrintLedger, ReceiptInput } from './ports';

export interface PrintServiceOptions {
  ledger: PrintLedger;
  port: PeripheralsPort;
  /** What every receipt shows beside the sale. */
  shop: Pick<ReceiptInput, 'shopName' | 'terminalId' | 'timezone' | 'locale'>;
  /** The paper the status reports while no printer is attached. */
  columns: 32 | 48;
  /** Who is signed in at the till now. */
  operator: () => Staff | null;
  onStatus: (status: PeripheralsStatus) => void;
  logger: Logger;
  now?: () => Date;
}

type LastError = NonNullable<PeripheralsStatus['lastError']>;

export class PrintService {
  private busy = 0;
  private lastError: LastError | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly offPort: () => void;
  private readonly now: () => Date;
  private closed = false;

  constructor(private readonly o: PrintServiceOptions) {
    this.now = o.now ?? (() => new Date());
    this.offPort = o.port.onChange(() => {
      const printer = o.port.printer();
      o.logger.info(printer === null ? 'receipt printer detached' : 'receipt printer attached', {
        printer: printer?.name ?? null,
      });
      this.changed();
    });
  }

  /** Whether a printer (and so the drawer on it) is attached now. */
  attached(): boolean {
    return this.o.port.printer() !== null;
  }

  status(): PeripheralsStatus {
    const printer = this.o.port.printer();
    const state =
      printer === null
        ? 'absent'
        : this.busy > 0
          ? 'printing'
          : this.lastError !== null
            ? 'error'
            : 'ready';
    return {
      printer: {
        state,
        connection: printer?.connection ?? null,
        name: printer?.name ?? null,
        columns: printer?.columns ?? this.o.columns,
      },
      lastError: this.lastError,
      autoPrint: this.o.ledger.settings().autoPrintReceipt,
    };
  }

  /** Tells the screens (also after a settings change: the status carries autoPrint). */
  changed(): void {
    if (this.closed) return;
    try {
      this.o.onStatus(this.status());
    } catch (error) {
      this.o.logger.error('peripherals status failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /**
   * Right after a sale's commit. Never throws and never waits: the jobs it starts report through
   * the status.
   */
  saleCompleted(sale: Sale): void {
    try {
      if (!this.attached()) return;
      if (sale.payments.some((p) => p.method === 'cash'))
        this.openDrawer(sale.receiptNo).catch(() => undefined);
      if (this.o.ledger.settings().autoPrintReceipt) this.printSale(sale).catch(() => undefined);
    } catch (error) {
      this.o.logger.error('after-sale printing failed to start', {
        saleId: sale.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** receipt.print: the sale's receipt, original or reprint. */
  print(ref: { saleId?: string; receiptNo?: string }): Promise<PrintResult> {
    const sale =
      ref.saleId !== undefined
        ? this.o.ledger.getSale(ref.saleId)
        : this.o.ledger.getSaleByReceipt(ref.receiptNo ?? '');
    if (sale.status !== 'completed' || sale.receiptNo === null)
      throw new PosError(
        'SALE_NOT_COMPLETED',
        `sale ${sale.id} is ${sale.status}: it has no receipt`,
      );
    if (!this.attached()) throw new PosError('NO_PRINTER', 'no receipt printer is attached');
    return this.printSale(sale);
  }

  /** Kicks the drawer (a cash sale, or a no-sale opening the handler has approved). */
  openDrawer(receiptNo: string | null = null): Promise<void> {
    return this.job('drawer', receiptNo, () => this.o.port.openDrawer());
  }

  private printSale(sale: Sale): Promise<PrintResult> {
    const receiptNo = sale.receiptNo ?? '';
    let reprint = false;
    let printedAt = '';
    return this.job(
      'receipt',
      receiptNo,
      async () => {
        // Decided at its turn in the queue: two copies asked for at once are one of each.
        reprint = this.o.ledger.receiptPrinted(sale.id);
        printedAt = this.now().toISOString();
        await this.o.port.printReceipt({
          ...this.o.shop,
          sale,
          cashier: sale.operator?.name ?? null,
          reprintAt: reprint ? printedAt : null,
        });
      },
      (fault) =>
        this.o.ledger.recordReceiptPrint({
          saleId: sale.id,
          receiptNo,
          reprint,
          outcome: fault === null ? 'printed' : 'failed',
          fault,
          staffId: this.o.operator()?.id ?? null,
        }),
    ).then(() => ({ receiptNo, reprint, printedAt }));
  }

  /**
   * Runs one job in the queue and keeps the status: busy while it runs, its failure recorded
   * (and logged) as the last error, cleared by a later job of the same kind that succeeds.
   */
  private job(
    kind: LastError['job'],
    receiptNo: string | null,
    work: () => Promise<void>,
    record: (fault: PrinterFault | null) => void = () => undefined,
  ): Promise<void> {
    const run = this.chain.then(async () => {
      this.busy += 1;
      this.changed();
      try {
        await work();
        this.safely(() => record(null));
        if (this.lastError !== null && (kind === 'receipt' || this.lastError.job === kind))
          this.lastError = null;
      } catch (error) {
        const fault: PrinterFault = DeviceError.is(error) ? error.fault : 'io';
        const message = error instanceof Error ? error.message : String(error);
        this.safely(() => record(fault));
        this.lastError = {
          job: kind,
          fault,
          receiptNo,
          message: message.slice(0, 500),
          at: this.now().toISOString(),
        };
        this.o.logger.warn(`${kind} job failed`, { fault, receiptNo, error: message });
        throw fault === 'absent'
          ? new PosError('NO_PRINTER', 'no receipt printer is attached')
          : new PosError('PRINTER_ERROR', `the printer did not take the ${kind} job: ${message}`);
      } finally {
        this.busy -= 1;
        this.changed();
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Recording a copy must not turn a printed receipt into an error (or hide one). */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.o.logger.error('could not record a receipt copy', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Resolves once every job started so far has finished (tests; an orderly shutdown). */
  async idle(): Promise<void> {
    await this.chain;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.offPort();
    await this.o.port.close();
  }
}
