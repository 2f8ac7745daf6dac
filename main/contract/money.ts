/**
 * Money is an integer number of fen (1 yuan = 100 fen) everywhere: storage, contract, arithmetic.
 * These bounds keep every sum far inside Number.MAX_SAFE_INTEGER.
 */
export const FEN_PER_YUAN = 100;

/** No single line (qty x unit price) may exceed ¥1,000,000. */
export const MAX_LINE_FEN = 1_000_000 * FEN_PER_YUAN;

/** No unit price, payment, tender or cash movement may exceed this either. */
export const MAX_AMOUNT_FEN = MAX_LINE_FEN;

/** Quantities are whole units; a scale-weighed article would get its own unit later. */
export const MAX_QTY = 9_999;

/** A sale may hold at most this many lines. */
export const MAX_LINES = 500;

/** Tax rates are basis points: 1300 = 13 %. */
export const MAX_TAX_RATE_BP = 10_000;

/**
 * Prices in China are tax-inclusive. The tax contained in a line is
 *   round_half_up(lineNetFen * rateBp / (10000 + rateBp))
 * computed per line on the line's net amount (after line discount and its share of the sale
 * discount), rounded half away from zero to the fen. Integer arithmetic only.
 */
export function includedTaxFen(lineNetFen: number, rateBp: number): number {
  const numerator = lineNetFen * rateBp;
  const denominator = 10_000 + rateBp;
  const sign = numerator < 0 ? -1 : 1;
  const abs = Math.abs(numerator);
  return sign * Math.floor((2 * abs + denominator) / (2 * denominator));
}

/**
 * Split `total` over `weights` in proportion, so that the parts are integers summing exactly
 * to `total` (largest-remainder method; ties go to the earlier weight). Used to spread a
 * sale-level discount over lines, so that tax and refunds work on what each line really cost.
 */
export function allocateProportionally(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total === 0) return weights.map(() => 0);
  const n = weights.length;
  const parts = new Array<number>(n);
  const fractions = new Float64Array(n);
  let remainder = total;
  for (let i = 0; i < n; i++) {
    const exact = (total * (weights[i] as number)) / sum;
    const floor = Math.floor(exact);
    parts[i] = floor;
    fractions[i] = exact - floor;
    remainder -= floor;
  }
  if (remainder <= 0) return parts;
  if (remainder >= n) return parts.map((p) => p + 1);
  // The `remainder` largest fractions get a fen each, equal ones in line order: everything above
  // the remainder-th largest fraction, then the earliest of those equal to it. (A numeric sort
  // of the fractions alone: no comparator calls, which matters on 200-line carts.)
  const threshold = Float64Array.from(fractions).sort()[n - remainder] as number;
  for (let i = 0; i < n; i++)
    if ((fractions[i] as number) > threshold) {
      parts[i] = (parts[i] as number) + 1;
      remainder -= 1;
    }
  for (let i = 0; i < n && remainder > 0; i++)
    if (fractions[i] === threshold) {
      parts[i] = (parts[i] as number) + 1;
      remainder -= 1;
    }
  return parts;
}

/** "¥12.50" style rendering for receipts and screens (the UI may localise further). */
export function formatYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / FEN_PER_YUAN);
  const cents = String(abs % FEN_PER_YUAN).padStart(2, '0');
  return `${sign}¥${yuan}.${cents}`;
}
