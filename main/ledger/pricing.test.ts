import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_LINE_FEN, includedTaxFen } from '../contract';
import { allocateRefund, priceSale, proRataPart, type CartLine } from './pricing';
import { prng, throwsCode } from './test-support/helpers';

function line(lineNo: number, qty: number, unitPriceFen: number, extra: Partial<CartLine> = {}) {
  return {
    lineNo,
    sku: `S${lineNo}`,
    barcode: '6901000100001',
    nameZh: '商品',
    nameEn: 'Item',
    qty,
    unitPriceFen,
    taxRateBp: 1300,
    lineDiscountFen: 0,
    ...extra,
  };
}

test('tax is computed per line on the line net, half up, tax-inclusive', () => {
  // 1130 fen at 13 % contains exactly 130 fen of tax.
  assert.equal(includedTaxFen(1130, 1300), 130);
  // 100 fen at 13 %: 11.504... -> 12; at 9 %: 8.257 -> 8.
  assert.equal(includedTaxFen(100, 1300), 12);
  assert.equal(includedTaxFen(100, 900), 8);
  const priced = priceSale([line(1, 1, 100), line(2, 1, 100)], 0);
  // The sale's tax is the sum of the lines' (24), not the tax of the total (200 -> 23).
  assert.equal(priced.taxFen, 24);
  assert.equal(includedTaxFen(200, 1300), 23);
});

test('the sale discount is spread over lines in proportion to their net after line discount', () => {
  const priced = priceSale(
    [line(1, 3, 200), line(2, 1, 750), line(3, 2, 333, { lineDiscountFen: 66, taxRateBp: 900 })],
    101,
  );
  // Weights 600, 750, 600 (=666-66): 101 * w / 1950 = 31.08, 38.85, 31.08 -> 31, 39, 31.
  assert.deepEqual(
    priced.lines.map((l) => l.saleDiscountShareFen),
    [31, 39, 31],
  );
  assert.deepEqual(
    priced.lines.map((l) => l.netFen),
    [569, 711, 569],
  );
  assert.equal(priced.subtotalFen, 600 + 750 + 666);
  assert.equal(priced.lineDiscountFen, 66);
  assert.equal(priced.totalFen, 569 + 711 + 569);
  assert.equal(priced.totalFen, priced.subtotalFen - priced.lineDiscountFen - 101);
  assert.deepEqual(
    priced.lines.map((l) => l.taxFen),
    [includedTaxFen(569, 1300), includedTaxFen(711, 1300), includedTaxFen(569, 900)],
  );
});

test('shares always sum exactly to the sale discount and nets stay >= 0', () => {
  const rand = prng(7);
  for (let round = 0; round < 500; round++) {
    const lines = Array.from({ length: 1 + Math.floor(rand() * 8) }, (_, i) => {
      const qty = 1 + Math.floor(rand() * 5);
      const price = Math.floor(rand() * 5000);
      return line(i + 1, qty, price, { lineDiscountFen: Math.floor(rand() * qty * price * 0.3) });
    });
    const after = lines.reduce((a, l) => a + l.qty * l.unitPriceFen - l.lineDiscountFen, 0);
    const discount = Math.floor(rand() * (after + 1));
    const priced = priceSale(lines, discount);
    assert.equal(
      priced.lines.reduce((a, l) => a + l.saleDiscountShareFen, 0),
      discount,
    );
    assert.ok(priced.lines.every((l) => l.netFen >= 0));
    assert.equal(priced.totalFen, after - discount);
  }
});

test('bounds: a line over ¥1,000,000 and discounts beyond what they apply to are refused', () => {
  priceSale([line(1, 1, MAX_LINE_FEN)], 0);
  throwsCode(() => priceSale([line(1, 2, MAX_LINE_FEN / 2 + 1)], 0), 'AMOUNT_OUT_OF_RANGE');
  throwsCode(
    () => priceSale([line(1, 1, 100, { lineDiscountFen: 101 })], 0),
    'AMOUNT_OUT_OF_RANGE',
  );
  throwsCode(
    () => priceSale([line(1, 1, 100, { lineDiscountFen: 50 })], 51),
    'AMOUNT_OUT_OF_RANGE',
  );
});

test('refunding a line in pieces returns exactly its net, whatever the pieces', () => {
  const rand = prng(11);
  for (let round = 0; round < 2000; round++) {
    const qty = 1 + Math.floor(rand() * 20);
    const net = Math.floor(rand() * 100_000);
    let done = 0;
    let sum = 0;
    while (done < qty) {
      const piece = 1 + Math.floor(rand() * (qty - done));
      const part = proRataPart(net, qty, done, piece);
      assert.ok(part >= 0);
      sum += part;
      done += piece;
    }
    assert.equal(sum, net);
  }
  // 1000 fen over 3 units: 333, 334 (cum 667), 333 (cum 1000).
  assert.deepEqual(
    [proRataPart(1000, 3, 0, 1), proRataPart(1000, 3, 1, 1), proRataPart(1000, 3, 2, 1)],
    [333, 334, 333],
  );
});

test('refunds go back to non-cash payments first, in order, and to cash last', () => {
  const payments = [
    { paymentId: 'p1', method: 'cash' as const, appliedFen: 300, refundedFen: 0 },
    { paymentId: 'p2', method: 'face' as const, appliedFen: 500, refundedFen: 100 },
    { paymentId: 'p3', method: 'card' as const, appliedFen: 200, refundedFen: 0 },
  ];
  assert.deepEqual(allocateRefund(700, payments), [
    { paymentId: 'p2', method: 'face', amountFen: 400 },
    { paymentId: 'p3', method: 'card', amountFen: 200 },
    { paymentId: 'p1', method: 'cash', amountFen: 100 },
  ]);
  assert.deepEqual(allocateRefund(0, payments), []);
  throwsCode(() => allocateRefund(901, payments), 'REFUND_EXCEEDS_PAID');
});
