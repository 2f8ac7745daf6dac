/**
 * The acquirer's refusal codes the cashier meets most, put into the screen's words. Alipay and
 * WeChat Pay name the same situations differently (ACQ.BUYER_BALANCE_NOT_ENOUGH / NOTENOUGH);
 * the cashier needs one sentence for each situation. Anything else shows the acquirer's sentence.
 */
type ReasonKey =
  | 'paycode.reasons.BUYER_TIMEOUT'
  | 'paycode.reasons.BALANCE'
  | 'paycode.reasons.CODE_INVALID'
  | 'paycode.reasons.NOT_CONFIRMED'
  | 'paycode.reasons.SALE_CHANGED'
  | 'paycode.reasons.RISK';

const BY_CODE: Readonly<Record<string, ReasonKey>> = {
  BUYER_TIMEOUT: 'paycode.reasons.BUYER_TIMEOUT',
  SALE_CHANGED: 'paycode.reasons.SALE_CHANGED',
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': 'paycode.reasons.BALANCE',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH': 'paycode.reasons.BALANCE',
  NOTENOUGH: 'paycode.reasons.BALANCE',
  'ACQ.PAYMENT_AUTH_CODE_INVALID': 'paycode.reasons.CODE_INVALID',
  AUTHCODEEXPIRE: 'paycode.reasons.CODE_INVALID',
  AUTH_CODE_INVALID: 'paycode.reasons.CODE_INVALID',
  AUTH_CODE_ERROR: 'paycode.reasons.CODE_INVALID',
  'ACQ.PAYMENT_REQUEST_HAS_RISK': 'paycode.reasons.RISK',
  'ACQ.PAYMENT_FAIL': 'paycode.reasons.RISK',
  // No answer, a lost answer, a system error: the flow asked, then cancelled (nothing charged).
  TIMEOUT: 'paycode.reasons.NOT_CONFIRMED',
  NETWORK: 'paycode.reasons.NOT_CONFIRMED',
  ACQUIRER_ERROR: 'paycode.reasons.NOT_CONFIRMED',
  BAD_SIGNATURE: 'paycode.reasons.NOT_CONFIRMED',
  MALFORMED_ANSWER: 'paycode.reasons.NOT_CONFIRMED',
  TRADE_NOT_FOUND: 'paycode.reasons.NOT_CONFIRMED',
  'ACQ.SYSTEM_ERROR': 'paycode.reasons.NOT_CONFIRMED',
  SYSTEMERROR: 'paycode.reasons.NOT_CONFIRMED',
  BANKERROR: 'paycode.reasons.NOT_CONFIRMED',
};

export function reasonKey(code: string): ReasonKey | null {
  return Object.prototype.hasOwnProperty.call(BY_CODE, code) ? (BY_CODE[code] ?? null) : null;
}
