/**
 * Customer-presented payment codes (付款码): the digits a scanner reads from the buyer's phone.
 * The renderer's scanner decides with this whether a scan is a product or a payment, so it lives
 * in the contract (pure, no imports).
 *
 * Published prefixes and lengths:
 *   Alipay       25–30, then 14–22 more digits (16–24 digits in all)
 *   WeChat Pay   10–15, then 16 more (18 digits)
 *   UnionPay QR  62, then 17 more (19 digits)
 *   reference    99, then 16 more (18 digits): the reference cloud's stored-value wallet
 *                (cloud/acquire, `npm run cloud -- paycode`). No wallet's published range starts
 *                with 9, so these never shadow a real code, nor a real code these.
 * Retail barcodes (EAN-13 / UPC-A) are 12 or 13 digits, so the two never overlap: a length check
 * alone keeps a product from being charged and a payment code from being looked up as a product.
 */

export const PAYMENT_SCHEMES = ['alipay', 'wechat', 'unionpay', 'reference'] as const;
export type PaymentScheme = (typeof PAYMENT_SCHEMES)[number];

export type PaymentCodeCheck =
  | { ok: true; scheme: PaymentScheme; code: string }
  /**
   * `not_a_payment_code`: not digits of a payment code's length (a product barcode, a typo);
   * `foreign`: payment-code-shaped digits of no scheme this terminal knows (refuse, never guess).
   */
  | { ok: false; reason: 'not_a_payment_code' | 'foreign'; message: string };

const RULES: ReadonlyArray<{ scheme: PaymentScheme; pattern: RegExp }> = [
  { scheme: 'alipay', pattern: /^(2[5-9]|30)\d{14,22}$/ },
  { scheme: 'wechat', pattern: /^1[0-5]\d{16}$/ },
  { scheme: 'unionpay', pattern: /^62\d{17}$/ },
  { scheme: 'reference', pattern: /^99\d{16}$/ },
];

/** Shortest and longest payment code of any scheme: anything else is not one. */
export const PAYMENT_CODE_MIN_DIGITS = 16;
export const PAYMENT_CODE_MAX_DIGITS = 24;

export const PAYMENT_SCHEME_NAMES: Record<PaymentScheme, string> = {
  alipay: 'Alipay',
  wechat: 'WeChat Pay',
  unionpay: 'UnionPay QR',
  reference: 'Reference wallet',
};

/** Classify what the scanner (or the cashier's keyboard) produced. Whitespace around is ignored. */
export function classifyPaymentCode(raw: string): PaymentCodeCheck {
  const code = raw.trim();
  const digits = /^\d+$/.test(code);
  if (!digits || code.length < PAYMENT_CODE_MIN_DIGITS || code.length > PAYMENT_CODE_MAX_DIGITS) {
    return {
      ok: false,
      reason: 'not_a_payment_code',
      message: `Not a payment code: a payment code is ${PAYMENT_CODE_MIN_DIGITS}–${PAYMENT_CODE_MAX_DIGITS} digits.`,
    };
  }
  for (const rule of RULES) {
    if (rule.pattern.test(code)) return { ok: true, scheme: rule.scheme, code };
  }
  return {
    ok: false,
    reason: 'foreign',
    message:
      'This payment code is from no wallet this terminal accepts (Alipay, WeChat Pay, UnionPay QR).',
  };
}

/** Payment codes are bearer credentials for a minute: show and log only the ends. */
export function maskPaymentCode(code: string): string {
  return code.length <= 8 ? '****' : `${code.slice(0, 4)}…${code.slice(-4)}`;
}
