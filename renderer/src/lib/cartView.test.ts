/**
 * Cart maths shown = ledger maths: random carts are priced by the ledger's own pricing (the
 * code that writes the sale), and what the cart and totals show must add up to exactly the
 * ledger's figures, to the fen.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Sale } from '../contract';
// A test-only cross-check against the ledger's arithmetic; the renderer itself never imports it.
// eslint-disable-next-line no-restricted-imports
import { priceSale, type CartLine } from '../../../main/ledger/pricing';
import { cartRows, cartTotals } from './cartView';

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSale(random: () => number): Sale {
  const lines: CartLine[] = Array.from({ length: 1 + Math.floor(random() * 8) }, (_, i) => {
    const qty = 1 + Math.floor(random() * 5);
    const unitPriceFen = 1 + Math.floor(random() * 5000);
    const gross = qty * unitPriceFen;
    return {
      lineNo: i + 1,
      sku: `SKU-${i}`,
      barcode: '6900000000001',
      nameZh: '商品',
      nameEn: 'Item',
      qty,
      unitPriceFen,
      taxRateBp: random() < 0.5 ? 900 : 1300,
      lineDiscountFen: random() < 0.4 ? Math.floor(random() * gross * 0.3) : 0,
    };
  });
  const afterLines = lines.reduce((a, l) => a + l.qty * l.unitPriceFen - l.lineDiscountFen, 0);
  const saleDiscount = random() < 0.5 ? Math.floor(random() * afterLines * 0.2) : 0;
  const priced = priceSale(lines, saleDiscount);
  return {
    id: 's',
    receiptNo: null,
    status: 'open',
    shiftId: null,
    openedAt: '2025-01-01T00:00:00.000Z',
    completedAt: null,
    lines: priced.lines,
    subtotalFen: priced.subtotalFen,
    lineDiscountFen: priced.lineDiscountFen,
    saleDiscountFen: priced.saleDiscountFen,
    totalFen: priced.totalFen,
    taxFen: priced.taxFen,
    paidFen: 0,
    dueFen: priced.totalFen,
    changeFen: 0,
    payments: [],
    refundedFen: 0,
    operator: null,
  };
}

describe('cart maths shown = ledger maths', () => {
  it('line amounts, discounts, tax and total add up exactly as the ledger priced them', () => {
    const random = prng(7);
    for (let i = 0; i < 500; i++) {
      const sale = randomSale(random);
      const rows = cartRows(sale.lines);
      const totals = cartTotals(sale);
      const shownLines = rows.reduce((a, r) => a + r.amountFen, 0);
      assert.equal(shownLines - totals.saleDiscountFen, sale.totalFen, 'lines - sale discount');
      assert.equal(
        totals.subtotalFen - totals.lineDiscountFen - totals.saleDiscountFen,
        totals.totalFen,
      );
      assert.equal(
        totals.totalFen,
        sale.lines.reduce((a, l) => a + l.netFen, 0),
      );
      assert.equal(
        totals.taxFen,
        sale.lines.reduce((a, l) => a + l.taxFen, 0),
      );
      assert.equal(
        totals.itemCount,
        sale.lines.reduce((a, l) => a + l.qty, 0),
      );
      for (const r of rows) assert.equal(r.amountFen, r.line.netFen + r.line.saleDiscountShareFen);
    }
  });

  it('an empty cart shows zeros', () => {
    assert.equal(cartTotals(null).totalFen, 0);
    assert.deepEqual(cartRows([]), []);
  });
});
