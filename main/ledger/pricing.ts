/**
 * Sale arithmetic, pure and integer-only. The rules (see also contract/money.ts):
 *
 * 1. A line's gross is qty x unit price; it may not exceed MAX_LINE_FEN.
 * 2. A line discount is taken off that line only and may not exceed its gross.
 * 3. The sale discount is spread over the lines in proportion to what each line costs after its
 *    own discount (allocateProportionally: largest remainder, ties to the earlier line), so
 *    the shares are whole fen and sum exactly to the sale discount. It may not exceed the total
 *    after line discounts.
 * 4. A line's net = gross - line discount - its share; the sale total is the sum of the nets.
 * 5. Prices include tax. Each line's tax is includedTaxFen(net, rate) (round half up, per
 *    line); the sale's tax is the sum of the lines' tax, never recomputed on the total.
 *
 * Refunds reverse these numbers without creating or losing a fen:
 *
 * 6. Refunding k more units of a line of which r are already refunded gives
 *    cum(r + k) - cum(r), where cum(n) = round_half_up(lineNet x n / qtySold). cum(qtySold) is
 *    the line's net, so a line refunded in any number of pieces returns exactly its net. The
 *    refunded tax uses the same rule on the line's tax.
 * 7. The refund goes back to the sale's payments: non-cash payments first, in the order they
 *    were taken, each up to what is still unrefunded on it; cash last. Electronic money returns
 *    to the account it came from, and the drawer pays out only what was paid in cash.
 */
import {
  MAX_LINE_FEN,
  PosError,
  allocateProportionally,
  includedTaxFen,
  type PaymentMethod,
  type SaleLine,
} from '../contract';

/** A line as the cart keeps it: the product snapshot taken at scan time plus what was keyed. */
export interface CartLine {
  lineNo: number;
  sku: string;
  barcode: string;
  nameZh: string;
  nameEn: string;
  qty: number;
  unitPriceFen: number;
  taxRateBp: number;
  lineDiscountFen: number;
}

export interface PricedSale {
  lines: SaleLine[];
  subtotalFen: number;
  lineDiscountFen: number;
  saleDiscountFen: number;
  totalFen: number;
  taxFen: number;
}

export function priceSale(lines: readonly CartLine[], saleDiscountFen: number): PricedSale {
  const afterLineDiscount = lines.map((line) => {
    const gross = line.qty * line.unitPriceFen;
    if (gross > MAX_LINE_FEN)
      throw new PosError(
        'AMOUNT_OUT_OF_RANGE',
        `line ${line.lineNo}: ${line.qty} x ${line.unitPriceFen} fen exceeds the ¥1,000,000 line limit`,
        'qty',
      );
    if (line.lineDiscountFen > gross)
      throw new PosError(
        'AMOUNT_OUT_OF_RANGE',
        `line ${line.lineNo}: discount ${line.lineDiscountFen} fen exceeds the line's ${gross} fen`,
        'discountFen',
      );
    return gross - line.lineDiscountFen;
  });
  const afterLines = afterLineDiscount.reduce((a, b) => a + b, 0);
  if (saleDiscountFen > afterLines)
    throw new PosError(
      'AMOUNT_OUT_OF_RANGE',
      `sale discount ${saleDiscountFen} fen exceeds the ${afterLines} fen left after line discounts`,
      'discountFen',
    );
  const shares = allocateProportionally(saleDiscountFen, afterLineDiscount);
  let subtotalFen = 0;
  let lineDiscountFen = 0;
  let totalFen = 0;
  let taxFen = 0;
  const priced = lines.map((line, i): SaleLine => {
    const grossFen = line.qty * line.unitPriceFen;
    const share = shares[i] ?? 0;
    const netFen = (afterLineDiscount[i] ?? 0) - share;
    const lineTax = includedTaxFen(netFen, line.taxRateBp);
    subtotalFen += grossFen;
    lineDiscountFen += line.lineDiscountFen;
    totalFen += netFen;
    taxFen += lineTax;
    return {
      lineNo: line.lineNo,
      sku: line.sku,
      barcode: line.barcode,
      nameZh: line.nameZh,
      nameEn: line.nameEn,
      qty: line.qty,
      unitPriceFen: line.unitPriceFen,
      taxRateBp: line.taxRateBp,
      grossFen,
      lineDiscountFen: line.lineDiscountFen,
      saleDiscountShareFen: share,
      netFen,
      taxFen: lineTax,
    };
  });
  return { lines: priced, subtotalFen, lineDiscountFen, saleDiscountFen, totalFen, taxFen };
}

/** round_half_up(total x n / of) for total >= 0, integer arithmetic (rule 6). */
function cumulative(totalFen: number, n: number, of: number): number {
  return Math.floor((2 * totalFen * n + of) / (2 * of));
}

/** The part of `totalFen` that units (already, already + qty] of `qtySold` carry (rule 6). */
export function proRataPart(
  totalFen: number,
  qtySold: number,
  already: number,
  qty: number,
): number {
  return cumulative(totalFen, already + qty, qtySold) - cumulative(totalFen, already, qtySold);
}

export interface RefundablePayment {
  paymentId: string;
  method: PaymentMethod;
  /** Amount applied to the sale. */
  appliedFen: number;
  /** Already refunded from this payment. */
  refundedFen: number;
}

/** Rule 7. Payments are given in the order they were taken. */
export function allocateRefund(
  amountFen: number,
  payments: readonly RefundablePayment[],
): { paymentId: string; method: PaymentMethod; amountFen: number }[] {
  const order = [
    ...payments.filter((p) => p.method !== 'cash'),
    ...payments.filter((p) => p.method === 'cash'),
  ];
  let left = amountFen;
  const out: { paymentId: string; method: PaymentMethod; amountFen: number }[] = [];
  for (const p of order) {
    if (left === 0) break;
    const take = Math.min(left, p.appliedFen - p.refundedFen);
    if (take > 0) {
      out.push({ paymentId: p.paymentId, method: p.method, amountFen: take });
      left -= take;
    }
  }
  if (left !== 0)
    throw new PosError('REFUND_EXCEEDS_PAID', `refund exceeds what remains paid by ${left} fen`);
  return out;
}
