/**
 * The proof of an acquirer payment: the only thing the ledger will take to record an Alipay,
 * WeChat or UnionPay payment (sale.pay refuses those methods from callers).
 *
 * A `PaidTrade` is minted only here, by the payment flows, after the acquirer itself said "paid"
 * (a verified answer, amount equal to what was asked). Each minted object is remembered in a
 * WeakSet, so `isPaidTrade` tells a genuine one from a look-alike: an object rebuilt from JSON
 * (a renderer, a register, a replayed message) has the same fields but was never minted, and is
 * refused. The objects are frozen so a genuine proof cannot be edited into another sale's.
 */
import type { PaymentScheme } from '../../contract';
import type { AcquirerName, PaidFields } from './types';

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
