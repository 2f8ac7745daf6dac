/**
 * The proof of an acquirer payment: the only thing the ledger will take to record an Alipay,
 * WeChat, UnionPay or stored-value payment (sale.pay refuses those methods from callers).
 *
 * A `PaidTrade` is minted only by the payment flows (main/core/payments), after the acquirer
 * itself said "paid" (a verified answer, amount equal to what was asked). Each minted object is
 * remembered in a WeakSet, so `isPaidTrade` tells a genuine one from a look-alike: an object
 * rebuilt from JSON (a renderer, a register, a replayed message) has the same fields but was
 * never minted, and is refused. The objects are frozen so a genuine proof cannot be edited into
 * another sale's.
 *
 * It lives in main/shared (not main/core/payments, where it was first written) because the
 * ledger checks it and the ledger may not import main/core; the proof is a capability of this
 * process, not a wire shape, so it is not in main/contract either (a renderer never holds one).
 */
import type { PaymentScheme } from '../contract';

export type AcquirerName = 'alipay' | 'wechatpay' | 'reference';

export interface PaidFields {
  /** The acquirer's own trade number (Alipay trade_no, WeChat transaction_id). */
  acquirerTradeNo: string;
  /** What the acquirer says it charged, in fen; the flow checks it equals what was asked. */
  amountFen: number;
  /** When the acquirer says it was paid (ISO 8601), or when the terminal learnt it. */
  paidAt: string;
  /** The buyer as the acquirer shows it (already masked by the acquirer), if it says. */
  buyer?: string;
}

export interface PaidTrade extends Readonly<PaidFields> {
  readonly acquirer: AcquirerName;
  readonly scheme: PaymentScheme;
  readonly saleId: string;
  readonly outTradeNo: string;
}

const minted = new WeakSet<object>();

/** For the payment flows only (pay-by-code, QR): the acquirer has said paid, verified. */
export function mintPaidTrade(fields: PaidTrade): PaidTrade {
  const trade: PaidTrade = Object.freeze({
    acquirer: fields.acquirer,
    scheme: fields.scheme,
    saleId: fields.saleId,
    outTradeNo: fields.outTradeNo,
    acquirerTradeNo: fields.acquirerTradeNo,
    amountFen: fields.amountFen,
    paidAt: fields.paidAt,
    ...(fields.buyer === undefined ? {} : { buyer: fields.buyer }),
  });
  minted.add(trade);
  return trade;
}

/** True only for a proof minted in this process by a payment flow. */
export function isPaidTrade(value: unknown): value is PaidTrade {
  return typeof value === 'object' && value !== null && minted.has(value);
}
