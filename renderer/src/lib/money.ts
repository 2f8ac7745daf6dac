/**
 * Money in the UI. The API speaks integer fen; yuan appear only when formatting for a person or
 * parsing what a person typed. No floating-point arithmetic on amounts.
 */
import { FEN_PER_YUAN, MAX_AMOUNT_FEN } from '../contract';

const formatters = new Map<string, Intl.NumberFormat>();

/** "¥12.50" in the given locale (narrow symbol: a shop in China shows ¥, not CN¥). */
export function formatFen(fen: number, locale: string): string {
  let formatter = formatters.get(locale);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: 'CNY',
      currencyDisplay: 'narrowSymbol',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    formatters.set(locale, formatter);
  }
  // fen / 100 is exact to two decimals for every amount within the contract's bounds.
  return formatter.format(fen / FEN_PER_YUAN);
}

export type YuanParse =
  { ok: true; fen: number } | { ok: false; reason: 'empty' | 'format' | 'range' };

/** Full-width digits and punctuation, as a Chinese IME may type them. */
function normaliseDigits(text: string): string {
  return text
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48))
    .replace(/[\uFF0E\u3002]/g, '.')
    .replace(/[\s,\uFF0C¥\uFFE5]/g, '');
}

/**
 * Parse a yuan amount a person typed ("12", "12.5", "12.50", "¥1,000") into fen.
 * At most two decimals; never negative; at most the contract's MAX_AMOUNT_FEN.
 */
export function parseYuanToFen(input: string, maxFen: number = MAX_AMOUNT_FEN): YuanParse {
  const text = normaliseDigits(input);
  if (text === '') return { ok: false, reason: 'empty' };
  const match = /^(\d*)(?:\.(\d{0,2}))?$/.exec(text);
  if (match === null) return { ok: false, reason: 'format' };
  const whole = match[1] ?? '';
  const frac = match[2] ?? '';
  if (whole === '' && frac === '') return { ok: false, reason: 'format' };
  if (whole.replace(/^0+/, '').length > 9) return { ok: false, reason: 'range' };
  const fen = Number(whole === '' ? '0' : whole) * FEN_PER_YUAN + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(fen) || fen > maxFen) return { ok: false, reason: 'range' };
  return { ok: true, fen };
}

/** "12.50" for prefilling an input with an amount in fen (no currency symbol, no grouping). */
export function fenToYuanInput(fen: number): string {
  const abs = Math.abs(fen);
  const text = `${Math.floor(abs / FEN_PER_YUAN)}.${String(abs % FEN_PER_YUAN).padStart(2, '0')}`;
  return fen < 0 ? `-${text}` : text;
}

function nextMultiple(fen: number, step: number): number {
  return Math.ceil(fen / step) * step;
}

export interface QuickAmount {
  kind: 'exact' | 'round';
  fen: number;
}

/**
 * Quick tender buttons for a cash payment: the exact amount, then the next multiple of ¥10, ¥50
 * and ¥100 above it (a note the customer is likely to hand over), without duplicates.
 */
export function quickTenders(dueFen: number): QuickAmount[] {
  if (dueFen <= 0) return [];
  const result: QuickAmount[] = [{ kind: 'exact', fen: dueFen }];
  for (const step of [10, 50, 100].map((yuan) => yuan * FEN_PER_YUAN)) {
    const fen = nextMultiple(dueFen, step);
    if (fen <= MAX_AMOUNT_FEN && !result.some((q) => q.fen === fen)) {
      result.push({ kind: 'round', fen });
    }
  }
  return result;
}

export type ChangeResult =
  { state: 'none' } | { state: 'short'; shortFen: number } | { state: 'ok'; changeFen: number };

/** The change to give for a cash tender (or how much is still missing). */
export function cashChange(dueFen: number, tenderedFen: number | null): ChangeResult {
  if (tenderedFen === null) return { state: 'none' };
  if (tenderedFen < dueFen) return { state: 'short', shortFen: dueFen - tenderedFen };
  return { state: 'ok', changeFen: tenderedFen - dueFen };
}
