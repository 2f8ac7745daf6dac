/**
 * The figure a register's display shows, as integer fen, and what it is (a total, a price, the
 * cash collected, the change). Read from text only by exact decimal rules (no floats): a figure
 * that is not a clean amount is no amount, so a garbled display is never taken for a total.
 */
import { MAX_AMOUNT_FEN } from '../../../contract';
import type { PoleLamp } from './screen';

export type PoleAmountKind = PoleLamp;

export interface PoleAmount {
  amountFen: number;
  kind: PoleAmountKind;
}

/**
 * Words registers put beside the figure, in English and Chinese. Checked in this order: a display
 * showing "TOTAL 12.30" and "CHANGE 7.70" is past the total, and the change (the later step) wins.
 */
const KIND_WORDS: readonly [PoleAmountKind, RegExp][] = [
  ['change', /CHANGE|找零|找赎|找钱/i],
  ['collect', /COLLECT|PAID|CASH|TENDER|RECEIVED|收款|实收|付款/i],
  ['total', /TOTAL|AMOUNT\s+DUE|DUE|SUM|合计|总计|应收|应付|总额/i],
  ['price', /PRICE|单价|价格/i],
];

/**
 * A figure: optional currency sign, digits with optional thousands commas, at most two decimals.
 * Whatever touches it must not be another digit, point or letter, so "12.345" or "A12" is none.
 */
const FIGURE =
  /(?<![\d.,A-Za-z])(?:¥|￥|RMB\s?|CNY\s?)?\s?(-?)(\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.(\d{1,2}))?(?![\d.,A-Za-z])/g;

/** Every clean figure on a line as fen, left to right; null for a line with a broken one. */
export function figuresOf(line: string): number[] | null {
  const figures: number[] = [];
  for (const match of line.matchAll(FIGURE)) {
    const [, sign, whole = '', decimals = ''] = match;
    const fen = Number(whole.replaceAll(',', '')) * 100 + Number(decimals.padEnd(2, '0'));
    if (sign === '-' || !Number.isSafeInteger(fen) || fen > MAX_AMOUNT_FEN) return null;
    figures.push(fen);
  }
  // Digits left over that are not part of a clean figure ("12.345", "1.2.3") make the line
  // unreadable rather than half-read.
  const rest = line.replace(FIGURE, ' ');
  return /\d/.test(rest) ? null : figures;
}

/**
 * The amount the display presents. The lamp, where lit, says what the figure is (the LED 客显
 * show digits only); otherwise a word does, and the figure is the last on the word's line, or
 * the first on the line below ("TOTAL" above, "12.30" under it). No kind: no amount.
 */
export function presentedAmount(
  lines: readonly [string, string],
  lamp: PoleLamp | null,
): PoleAmount | null {
  const figures = lines.map(figuresOf);
  if (figures.some((f) => f === null)) return null;
  const [upper = [], lower = []] = figures as number[][];
  if (lamp !== null) {
    const fen = lower.at(-1) ?? upper.at(-1);
    return fen === undefined ? null : { amountFen: fen, kind: lamp };
  }
  for (const [kind, word] of KIND_WORDS) {
    for (const [row, line] of lines.entries()) {
      if (!word.test(line)) continue;
      const own = (row === 0 ? upper : lower).at(-1);
      const fen = own ?? (row === 0 ? lower[0] : undefined);
      return fen === undefined ? null : { amountFen: fen, kind };
    }
  }
  return null;
}
