/**
 * What the cart and the totals show, read straight from the ledger's Sale: the screen never
 * recomputes money, so what the cashier and the customer see is what the ledger will record.
 * A line shows its amount after its own discount; the sale discount is shown once, below.
 */
import type { Sale, SaleLine } from '../contract';

export interface CartRow {
  line: SaleLine;
  /** gross - line discount (the sale discount is shown in the totals). */
  amountFen: number;
}

export interface CartTotals {
  itemCount: number;
  subtotalFen: number;
  lineDiscountFen: number;
  saleDiscountFen: number;
  taxFen: number;
  totalFen: number;
  paidFen: number;
  dueFen: number;
}

export function cartRows(lines: readonly SaleLine[]): CartRow[] {
  return lines.map((line) => ({ line, amountFen: line.grossFen - line.lineDiscountFen }));
}

export function cartTotals(sale: Sale | null): CartTotals {
  if (sale === null)
    return {
      itemCount: 0,
      subtotalFen: 0,
      lineDiscountFen: 0,
      saleDiscountFen: 0,
      taxFen: 0,
      totalFen: 0,
      paidFen: 0,
      dueFen: 0,
    };
  return {
    itemCount: sale.lines.reduce((n, l) => n + l.qty, 0),
    subtotalFen: sale.subtotalFen,
    lineDiscountFen: sale.lineDiscountFen,
    saleDiscountFen: sale.saleDiscountFen,
    taxFen: sale.taxFen,
    totalFen: sale.totalFen,
    paidFen: sale.paidFen,
    dueFen: sale.dueFen,
  };
}
