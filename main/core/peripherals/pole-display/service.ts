/**
 * The pole-display takeover in the core: the terminal sits where the register's customer display
 * was, shows the amount the register presents on the customer display, and offers a TOTAL to the
 * till. Money moves only after the cashier confirms that amount at the till (pole.confirm):
 * nothing from the serial line alone starts or pays a sale.
 *
 * The offer is withdrawn whenever the register's display changes, clears, or the port goes away,
 * and a confirm names the amount the cashier saw: if the register has moved on meanwhile, the
 * confirm is refused rather than taking the new figure on the old word.
 */
import { PosError, type PoleDisplayStatus, type Sale } from '../../../contract';
import type { PoleDisplayConfig } from '../../config';
import type { Logger } from '../../logger';
import type { PoleView } from './decoder';
import { PoleReader, type PoleReaderOptions } from './serial-reader';

/**
 * The seam to amount-only sales (the register API, branch wt-register, builds them in the
 * ledger): start an open sale of exactly this amount for the person at the till, or refuse with
 * a PosError (e.g. a sale already open at the till).
 */
export type StartAmountSale = (input: {
  amountFen: number;
  origin: 'pole';
  operatorId: string;
}) => Sale;

export const amountSalesMissing: StartAmountSale = () => {
  throw new PosError(
    'NOT_SUPPORTED',
    'amount-only sales are not built into this terminal yet: ring the items up at the till',
  );
};

export interface PoleDisplayServiceOptions {
  config: PoleDisplayConfig | null;
  startAmountSale: StartAmountSale;
  onStatus: (status: PoleDisplayStatus) => void;
  logger: Logger;
  /** Tests: the mock binding's port, a short settle time, a quick backoff. */
  reader?: Pick<PoleReaderOptions, 'openLine' | 'settleMs' | 'backoffMs' | 'watchMs'>;
}

export class PoleDisplayService {
  private current: PoleDisplayStatus = {
    connection: 'off',
    lines: ['', ''],
    amount: null,
    payableFen: null,
  };
  /** The view the cashier dismissed or confirmed: not offered again until the display changes. */
  private answered: string | null = null;
  private readonly reader: PoleReader | null;

  constructor(private readonly options: PoleDisplayServiceOptions) {
    const { config } = options;
    this.reader =
      config === null
        ? null
        : new PoleReader({
            ...config,
            ...options.reader,
            logger: options.logger,
            onView: (view) => this.viewed(view),
            onConnection: (connection) => this.update({ connection }),
          });
    this.reader?.start();
  }

  status(): PoleDisplayStatus {
    return this.current;
  }

  /** The cashier confirms the register's total: it becomes an open sale of that amount. */
  confirm(amountFen: number, operatorId: string): Sale {
    const payable = this.current.payableFen;
    if (payable === null)
      throw new PosError('NOT_FOUND', 'the register presents no total to take now');
    if (payable !== amountFen)
      throw new PosError(
        'VALIDATION',
        `the register's total changed to ${payable} fen: confirm the amount it shows now`,
        'amountFen',
      );
    const sale = this.options.startAmountSale({ amountFen, origin: 'pole', operatorId });
    this.answered = this.key(this.current);
    this.update({});
    this.options.logger.info('pole display: total taken as a sale', { saleId: sale.id, amountFen });
    return sale;
  }

  /** The cashier dismisses the offer (the register's figure is not for this terminal). */
  dismiss(): PoleDisplayStatus {
    this.answered = this.key(this.current);
    this.update({});
    return this.current;
  }

  async close(): Promise<void> {
    await this.reader?.close();
  }

  /**
   * While an update is arriving the offer is withdrawn at once, but an answer (dismissed,
   * confirmed) holds until the register settles on a display other than the one answered: the
   * same total sent again is not offered twice.
   */
  private viewed(view: PoleView): void {
    this.update({ lines: view.lines, amount: view.amount }, view.settled);
  }

  private update(change: Partial<PoleDisplayStatus>, settled = true): void {
    const next = { ...this.current, ...change };
    if (next.connection !== 'connected') {
      next.lines = ['', ''];
      next.amount = null;
    }
    if (settled && this.answered !== null && this.answered !== this.key(next)) this.answered = null;
    next.payableFen =
      next.amount?.kind === 'total' && this.answered === null ? next.amount.amountFen : null;
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    this.current = next;
    this.options.onStatus(next);
  }

  /** What the register shows, for telling whether it changed. */
  private key(status: PoleDisplayStatus): string {
    return JSON.stringify([status.lines, status.amount]);
  }
}
