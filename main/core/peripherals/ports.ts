/**
 * What the core needs from the peripherals (native/'s Peripherals satisfies it): which printer is
 * attached, a receipt to print, the drawer to open. Printing is the native layer's job; when and
 * what is the core's.
 */
import type { AttachedPrinter, ReceiptInput } from '../../../native';
import type { Ledger } from '../../ledger';

export type { AttachedPrinter, ReceiptInput };

export interface PeripheralsPort {
  /** The printer jobs would go to now, or null. */
  printer(): AttachedPrinter | null;
  /** Called whenever printer() may have changed. */
  onChange(listener: () => void): () => void;
  /** Resolves once the printer took the receipt; rejects with native's DeviceError otherwise. */
  printReceipt(receipt: ReceiptInput): Promise<void>;
  openDrawer(): Promise<void>;
  close(): Promise<void>;
}

/** The ledger calls printing makes (the Ledger class satisfies it). */
export type PrintLedger = Pick<
  Ledger,
  'getSale' | 'getSaleByReceipt' | 'settings' | 'receiptPrinted' | 'recordReceiptPrint'
>;
