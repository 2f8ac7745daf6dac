/**
 * Input checks at the ledger's own door. The contract validates requests at the process
 * boundary, but the ledger is also called directly (core, tests, benchmarks), and money rules
 * must not depend on the caller having validated.
 */
import { MAX_AMOUNT_FEN, MAX_QTY, PosError } from '../contract';

/** A whole quantity 1..MAX_QTY. */
export function checkQty(value: unknown, field = 'qty'): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new PosError('VALIDATION', `${field}: quantity must be a whole number`, field);
  if (value < 1 || value > MAX_QTY)
    throw new PosError('VALIDATION', `${field}: quantity must be between 1 and ${MAX_QTY}`, field);
  return value;
}

/**
 * A whole amount of fen, 0..MAX_AMOUNT_FEN (or 1.. with `positive`). Fractions are a
 * VALIDATION error; amounts outside the range are AMOUNT_OUT_OF_RANGE.
 */
export function checkAmount(value: unknown, field: string, positive = false): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    throw new PosError('VALIDATION', `${field}: amount must be whole fen`, field);
  if (value < 0)
    throw new PosError('AMOUNT_OUT_OF_RANGE', `${field}: amount must not be negative`, field);
  if (value > MAX_AMOUNT_FEN)
    throw new PosError('AMOUNT_OUT_OF_RANGE', `${field}: amount exceeds ¥1,000,000`, field);
  if (positive && value === 0)
    throw new PosError('VALIDATION', `${field}: amount must be positive`, field);
  return value;
}

export function checkLineNo(value: unknown, field = 'lineNo'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new PosError('VALIDATION', `${field}: line number must be a whole number >= 1`, field);
  return value;
}

export function checkId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length < 1 || value.length > 64)
    throw new PosError('VALIDATION', `${field}: expected an id`, field);
  return value;
}

/** Free text such as a reason: trimmed, 1..max characters. */
export function checkText(value: unknown, field: string, max = 200): string {
  if (typeof value !== 'string') throw new PosError('VALIDATION', `${field}: expected text`, field);
  const text = value.trim();
  if (text.length === 0) throw new PosError('VALIDATION', `${field}: must not be empty`, field);
  if (text.length > max)
    throw new PosError('VALIDATION', `${field}: at most ${max} characters`, field);
  return text;
}
