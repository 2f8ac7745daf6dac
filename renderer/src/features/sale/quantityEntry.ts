/**
 * Quantity before the item, as on most tills: the cashier types 24, presses `*`, then scans (or
 * types a barcode, or picks a product) and 24 of it go on the sale in one line. Pure, so the rules are tested without a browser.
 */
import { MAX_QTY } from '../../contract';

/** The key that turns the digits typed in the barcode field into the next item's quantity. */
export const QTY_KEY = '*';

/**
 * The quantity the digits typed before `*` ask for: a whole number 1..MAX_QTY, else null
 * ("0", "10000", "2.5" or letters are no quantity).
 */
export function quantityFromTyped(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,4}$/.test(trimmed)) return null;
  const qty = Number(trimmed);
  return qty >= 1 && qty <= MAX_QTY ? qty : null;
}
