/**
 * The on-screen keypad's logic (touch entry of PINs and amounts): what a key does to the text.
 * Pure, so that it is tested without a browser; Keypad.tsx draws it.
 */
export type KeypadKey =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | '.' | 'back' | 'clear';

export interface KeypadRules {
  maxLength: number;
  /** Digits allowed after the decimal point (0: no point at all, e.g. a PIN). */
  decimals: number;
}

export function applyKeypadKey(value: string, key: KeypadKey, rules: KeypadRules): string {
  if (key === 'clear') return '';
  if (key === 'back') return value.slice(0, -1);
  if (key === '.') {
    if (rules.decimals === 0 || value.includes('.')) return value;
    return value === '' ? '0.' : `${value}.`;
  }
  let next = value + key;
  const point = next.indexOf('.');
  if (point >= 0 && next.length - point - 1 > rules.decimals) return value;
  // No leading zeros on whole amounts ("007" is "7"); a PIN keeps them.
  if (rules.decimals > 0 && point < 0) next = next.replace(/^0+(?=\d)/, '');
  return next.length > rules.maxLength ? value : next;
}
