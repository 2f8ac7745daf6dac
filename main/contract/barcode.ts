/**
 * Retail barcodes: EAN-13 and UPC-A (12 digits, which is EAN-13 with a leading 0).
 * The check digit is the GS1 mod-10 weighted sum.
 */

/** GS1 check digit for the given payload digits (everything but the check digit). */
export function gs1CheckDigit(payload: string): number {
  let sum = 0;
  // Weights alternate 3,1,3,1... starting from the rightmost payload digit.
  for (let i = 0; i < payload.length; i++) {
    const digit = payload.charCodeAt(payload.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

export type BarcodeCheck =
  { ok: true; ean13: string } | { ok: false; reason: 'format' | 'check_digit' };

/**
 * Validate an EAN-13 or UPC-A code and normalise it to 13 digits, so that a product is found
 * whichever way the scanner reports it.
 */
export function checkBarcode(raw: string): BarcodeCheck {
  const code = raw.trim();
  if (!/^(\d{12}|\d{13})$/.test(code)) return { ok: false, reason: 'format' };
  const ean13 = code.length === 12 ? `0${code}` : code;
  const expected = gs1CheckDigit(ean13.slice(0, 12));
  if (expected !== ean13.charCodeAt(12) - 48) return { ok: false, reason: 'check_digit' };
  return { ok: true, ean13 };
}

/** Append the check digit to a 12-digit payload (used to build the demo catalogue). */
export function makeEan13(payload12: string): string {
  if (!/^\d{12}$/.test(payload12))
    throw new Error(`EAN-13 payload must be 12 digits: ${payload12}`);
  return payload12 + String(gs1CheckDigit(payload12));
}
