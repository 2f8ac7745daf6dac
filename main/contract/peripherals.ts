/**
 * The receipt printer and cash drawer as the screens see them. The drawer hangs off the printer's
 * drawer-kick connector, so it is there exactly when the printer is.
 */
import { z } from 'zod';
import { isoTime } from './domain';

/**
 * Why a printer job failed: absent (no printer attached), not-found (its device file is gone),
 * permission (the terminal may not open it), busy (another program holds it), disconnected
 * (unplugged mid-job), io (the write failed: paper, cover, cable), timeout (it stopped taking bytes).
 */
export const PRINTER_FAULTS = [
  'absent',
  'not-found',
  'permission',
  'busy',
  'disconnected',
  'io',
  'timeout',
] as const;
export const printerFault = z.enum(PRINTER_FAULTS);
export type PrinterFault = z.infer<typeof printerFault>;

export const PRINTER_STATES = ['absent', 'ready', 'printing', 'error'] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];

export const peripheralsStatus = z.object({
  printer: z.object({
    /** error: attached, but the last job failed (cleared by the next one that succeeds). */
    state: z.enum(PRINTER_STATES),
    /** usb, or file (a device file such as /dev/usb/lp0); null while none is attached. */
    connection: z.enum(['usb', 'file']).nullable(),
    /** The model (EPSON TM-T20II (04b8:0e15)) or the path. */
    name: z.string().max(300).nullable(),
    /** Paper width in columns: 48 (80 mm) or 32 (58 mm). */
    columns: z.union([z.literal(32), z.literal(48)]),
  }),
  /** The last job that failed, until one succeeds: what it was and which receipt to reprint. */
  lastError: z
    .object({
      job: z.enum(['receipt', 'drawer']),
      fault: printerFault,
      receiptNo: z.string().max(64).nullable(),
      message: z.string().max(500),
      at: isoTime,
    })
    .nullable(),
  /** Receipts print by themselves when a sale completes (a manager's setting). */
  autoPrint: z.boolean(),
});
export type PeripheralsStatus = z.infer<typeof peripheralsStatus>;

/** What receipt.print answers: the copy that went out. */
export const printResult = z.object({
  receiptNo: z.string().max(64),
  /** True for any copy after the first that printed: the paper says 重印 / REPRINT. */
  reprint: z.boolean(),
  printedAt: isoTime,
});
export type PrintResult = z.infer<typeof printResult>;
