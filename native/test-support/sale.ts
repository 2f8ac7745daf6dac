/**
 * A completed sale for the layout tests, checked against the contract's schema so that it stays
 * a sale the ledger could have produced.
 */
import { sale as saleSchema, type Sale, type SaleLine } from '../../main/contract';

export function line(
  lineNo: number,
  nameZh: string,
  nameEn: string,
  qty: number,
  unitPriceFen: number,
  lineDiscountFen = 0,
): SaleLine {
  const grossFen = qty * unitPriceFen;
  const netFen = grossFen - lineDiscountFen;
  return {
    lineNo,
    sku: `SKU-${lineNo}`,
    barcode: `69000000000${String(lineNo).padStart(2, '0')}`,
    nameZh,
    nameEn,
    qty,
    unitPriceFen,
    taxRateBp: 1300,
    grossFen,
    lineDiscountFen,
    saleDiscountShareFen: 0,
    netFen,
    taxFen: Math.round((netFen * 1300) / 11300),
  };
}

/** A cash sale of these lines, paid with `tenderedFen` (change given). */
export function cashSale(lines: SaleLine[], tenderedFen: number, saleDiscountFen = 0): Sale {
  const subtotalFen = lines.reduce((s, l) => s + l.grossFen, 0);
  const lineDiscountFen = lines.reduce((s, l) => s + l.lineDiscountFen, 0);
  const totalFen = subtotalFen - lineDiscountFen - saleDiscountFen;
  return saleSchema.parse({
    id: '0195e6a0-0000-7000-8000-000000000001',
    receiptNo: 'T01-000042',
    status: 'completed',
    shiftId: 'shift-1',
    openedAt: '2025-03-14T01:58:00.000Z',
    completedAt: '2025-03-14T02:00:00.000Z',
    lines,
    subtotalFen,
    lineDiscountFen,
    saleDiscountFen,
    totalFen,
    taxFen: lines.reduce((s, l) => s + l.taxFen, 0),
    paidFen: totalFen,
    dueFen: 0,
    changeFen: tenderedFen - totalFen,
    payments: [
      {
        id: 'pay-1',
        method: 'cash',
        amountFen: totalFen,
        tenderedFen,
        changeFen: tenderedFen - totalFen,
        reference: null,
        createdAt: '2025-03-14T02:00:00.000Z',
      },
    ],
    refundedFen: 0,
    operator: { id: '0195e6a0-0000-7000-8000-0000000000c1', name: '李收银' },
  });
}
