/**
 * What the receipt printer keeps in the ledger (migration 7): every copy of a receipt sent to the
 * printer. Not money: written beside the sale, after its commit, never changing it. (The cashier
 * a receipt names is the sale's operator, recorded with the sale itself: migration 5.)
 */
import { PosError, type PrinterFault } from '../contract';
import type { Ctx } from './context';

/** True once a copy of this sale's receipt has printed: any further copy is a reprint. */
export function receiptPrinted(ctx: Ctx, saleId: string): boolean {
  return (
    ctx
      .stmt(`SELECT 1 FROM receipt_prints WHERE sale_id = ? AND outcome = 'printed' LIMIT 1`)
      .get(saleId) !== undefined
  );
}

export interface ReceiptPrint {
  id: string;
  saleId: string;
  receiptNo: string;
  reprint: boolean;
  outcome: 'printed' | 'failed';
  fault: PrinterFault | null;
  staffId: string | null;
  createdAt: string;
}

export function recordReceiptPrint(
  ctx: Ctx,
  print: Omit<ReceiptPrint, 'id' | 'createdAt'>,
): ReceiptPrint {
  if (print.outcome === 'failed' && print.fault === null)
    throw new PosError('VALIDATION', 'a failed print names its fault', 'fault');
  const at = ctx.now();
  const row: ReceiptPrint = { ...print, id: ctx.newId(at), createdAt: at.toISOString() };
  ctx
    .stmt(
      `INSERT INTO receipt_prints
         (id, sale_id, receipt_no, reprint, outcome, fault, staff_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      row.id,
      row.saleId,
      row.receiptNo,
      row.reprint ? 1 : 0,
      row.outcome,
      row.fault,
      row.staffId,
      row.createdAt,
    );
  return row;
}

export function receiptPrints(ctx: Ctx, saleId: string): ReceiptPrint[] {
  const rows = ctx
    .stmt(
      `SELECT id, sale_id, receipt_no, reprint, outcome, fault, staff_id, created_at
       FROM receipt_prints WHERE sale_id = ? ORDER BY seq`,
    )
    .all(saleId) as {
    id: string;
    sale_id: string;
    receipt_no: string;
    reprint: number;
    outcome: 'printed' | 'failed';
    fault: PrinterFault | null;
    staff_id: string | null;
    created_at: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    saleId: r.sale_id,
    receiptNo: r.receipt_no,
    reprint: r.reprint === 1,
    outcome: r.outcome,
    fault: r.fault,
    staffId: r.staff_id,
    createdAt: r.created_at,
  }));
}
