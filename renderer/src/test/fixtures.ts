/** Test data that satisfies the contract's schemas. */
import { makeEan13, type Product, type Sale, type SaleLine, type Shift } from '../contract';

export const cola: Product = {
  sku: 'SKU-COLA',
  barcode: makeEan13('690123456789'),
  nameZh: '可口可乐 330ml',
  nameEn: 'Coca-Cola 330ml',
  category: 'drinks',
  priceFen: 350,
  taxRateBp: 1300,
};

export const bread: Product = {
  sku: 'SKU-BREAD',
  barcode: makeEan13('690000000001'),
  nameZh: '全麦面包',
  nameEn: 'Wholemeal bread',
  category: 'bakery',
  priceFen: 1290,
  taxRateBp: 900,
};

export function line(product: Product, lineNo: number, qty: number): SaleLine {
  const gross = product.priceFen * qty;
  return {
    lineNo,
    sku: product.sku,
    barcode: product.barcode,
    nameZh: product.nameZh,
    nameEn: product.nameEn,
    qty,
    unitPriceFen: product.priceFen,
    taxRateBp: product.taxRateBp,
    grossFen: gross,
    lineDiscountFen: 0,
    saleDiscountShareFen: 0,
    netFen: gross,
    taxFen: 0,
  };
}

export function sale(id: string, lines: SaleLine[], overrides: Partial<Sale> = {}): Sale {
  const total = lines.reduce((sum, l) => sum + l.netFen, 0);
  return {
    id,
    receiptNo: null,
    status: 'open',
    shiftId: 'shift-1',
    openedAt: '2024-05-01T02:00:00.000Z',
    completedAt: null,
    lines,
    subtotalFen: total,
    lineDiscountFen: 0,
    saleDiscountFen: 0,
    totalFen: total,
    taxFen: 0,
    paidFen: 0,
    dueFen: total,
    changeFen: 0,
    payments: [],
    refundedFen: 0,
    operator: null,
    ...overrides,
  };
}

export function completed(open: Sale, tenderedFen: number): Sale {
  return {
    ...open,
    status: 'completed',
    receiptNo: 'R-0001',
    completedAt: '2024-05-01T02:05:00.000Z',
    paidFen: open.totalFen,
    dueFen: 0,
    operator: cashier,
    changeFen: tenderedFen - open.totalFen,
    payments: [
      {
        id: 'pay-1',
        method: 'cash',
        amountFen: open.totalFen,
        tenderedFen,
        changeFen: tenderedFen - open.totalFen,
        reference: null,
        createdAt: '2024-05-01T02:05:00.000Z',
      },
    ],
  };
}

export const cashier = { id: 'staff-1', name: '李收银' };

export const openShift: Shift = {
  id: 'shift-1',
  status: 'open',
  openedAt: '2024-05-01T01:00:00.000Z',
  closedAt: null,
  floatFen: 20_000,
  cashInFen: 0,
  cashOutFen: 0,
  cashSalesFen: 0,
  cashRefundsFen: 0,
  expectedCashFen: 20_000,
  countedCashFen: null,
  varianceFen: null,
  openedBy: cashier,
  closedBy: null,
};
