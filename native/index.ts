/**
 * USB peripherals: the ESC/POS receipt printer and the cash drawer on its kick connector. A lower
 * layer: it imports only the contract (for the sale's shape and the fault names), never the core.
 */
export * from './escpos';
export { DeviceError, PRINTER_FAULTS, type PrinterFault } from './errors';
export {
  discoverUsbPrinters,
  loadUsb,
  matchPrinter,
  RECEIPT_PRINTER_VENDORS,
  USB_CLASS_PRINTER,
  type UsbDescriptor,
  type UsbModule,
} from './devices';
export { FileTransport } from './file-transport';
export { Peripherals, type AttachedPrinter, type PeripheralsOptions } from './peripherals';
export {
  encodeReceipt,
  layoutReceipt,
  PAPER_COLUMNS,
  renderReceipt,
  REPRINT_MARK,
  yuan,
  type PaperColumns,
  type ReceiptBlock,
  type ReceiptInput,
  type ReceiptLocale,
} from './receipt';
export type { Transport } from './transport';
