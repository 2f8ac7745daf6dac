/**
 * Amounts at the acquirer's door: integer fen inside, and the two wire forms (Alipay's yuan
 * strings "12.34", WeChat's integer fen). Bad amounts are refused here, before any request.
 */
import { MAX_AMOUNT_FEN, PosError } from '../../contract';

/** Refuse zero, negative, fractional and over-limit amounts before anything leaves the terminal. */
export function checkChargeFen(amountFen: unknown, limitFen: number = MAX_AMOUNT_FEN): number {
  if (typeof amountFen !== 'number' || !Number.isSafeInteger(amountFen)) {
    throw new PosError(
      'AMOUNT_OUT_OF_RANGE',
      'The amount must be a whole number of fen.',
      'amountFen',
    );
  }
  if (amountFen <= 0) {
    throw new PosError(
      'AMOUNT_OUT_OF_RANGE',
      'The amount to charge must be more than zero.',
      'amountFen',
    );
  }
  if (amountFen > limitFen) {
    throw new PosError(
      'AMOUNT_OUT_OF_RANGE',
      `The amount is over the limit of ${fenToYuan(limitFen)} yuan for one payment.`,
      'amountFen',
    );
  }
  return amountFen;
}

/** 1234 → "12.34" (integer arithmetic only). */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** "12.34" / "12.3" / "12" → 1234; anything else → null (never a float parse). */
export function yuanToFen(yuan: unknown): number | null {
  if (typeof yuan !== 'string') return null;
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (match === null) return null;
  const cents = (match[2] ?? '').padEnd(2, '0');
  return Number(match[1]) * 100 + Number(cents);
}

/** WeChat's integer-fen fields arrive as strings in XML. */
export function fenField(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}
