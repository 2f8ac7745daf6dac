/**
 * The acquirer interface: one shape for every provider (Alipay, WeChat Pay, later the reference
 * cloud), so the pay-by-code flow, the QR screen and the reports never learn which one answers.
 *
 * Every operation answers with an outcome, never throws for the acquirer's own answers: a refusal
 * is data (code + words), and anything the terminal cannot be sure of (timeout, lost answer, 5xx,
 * a system error, an answer whose signature does not verify) is `unknown`, which the flow resolves
 * by asking again (query) and then cancelling. Adapters never decide "paid" from a hunch.
 *
 * Amounts are integer fen. `outTradeNo` is the idempotency key (see trade-no.ts): the acquirer
 * refuses a second charge under the same number, which is what makes retries safe.
 *
 * Face pay settles through `FaceSettlement` (at the end), in the same words.
 */
import type { MemberGreeting, PaymentRecord } from '../../../cloud/api';
import type { PaymentScheme } from '../../contract';
import type { AcquirerName, PaidFields } from '../../shared/paid-trade';
import type { VerifiedFaceDebit } from '../../ledger';

export type { AcquirerName, PaidFields };

/** The acquirer's words for a refusal or an uncertainty: its own code, and a sentence in English. */
export interface AcquirerReason {
  /** The acquirer's code (e.g. ACQ.BUYER_BALANCE_NOT_ENOUGH, NOTENOUGH) or one of ours (TIMEOUT). */
  code: string;
  /** A sentence a cashier understands (English; the renderer translates by code later). */
  message: string;
}

export type TradeOutcome =
  | ({ kind: 'paid' } & PaidFields)
  /** The buyer is confirming on the phone (Alipay WAIT_BUYER_PAY / 10003, WeChat USERPAYING). */
  | { kind: 'waiting' }
  /** Definitely not charged: declined, expired code, not enough balance... */
  | ({ kind: 'refused' } & AcquirerReason)
  /** (query) The trade exists but is closed, reversed or failed: no money is held by it. */
  | ({ kind: 'closed' } & AcquirerReason)
  /** (query) The acquirer has no trade under this number. */
  | { kind: 'not_found' }
  | ({ kind: 'unknown' } & AcquirerReason);

export type PrecreateOutcome =
  | { kind: 'qr'; qrCode: string }
  | ({ kind: 'refused' } & AcquirerReason)
  | ({ kind: 'unknown' } & AcquirerReason);

export type CancelOutcome =
  /** Closed before payment, or reversed (`refunded`: money had moved and was sent back). */
  | { kind: 'cancelled'; refunded: boolean }
  /** The acquirer asks for the cancel to be sent again (Alipay retry_flag=Y, WeChat recall=Y). */
  | ({ kind: 'retry' } & AcquirerReason)
  | ({ kind: 'refused' } & AcquirerReason)
  | ({ kind: 'unknown' } & AcquirerReason);

export type RefundOutcome =
  | { kind: 'refunded'; amountFen: number; refundedAt: string }
  /** Accepted, not yet done (WeChat PROCESSING): ask refundQuery later. */
  | { kind: 'processing' }
  | ({ kind: 'refused' } & AcquirerReason)
  | { kind: 'not_found' }
  | ({ kind: 'unknown' } & AcquirerReason);

export interface PayByCodeRequest {
  outTradeNo: string;
  amountFen: number;
  /** The buyer's payment code, already classified (contract/payment-code.ts). */
  code: string;
  /** The line the buyer sees on the phone ("Shop name – sale"). */
  subject: string;
}

export interface PrecreateRequest {
  outTradeNo: string;
  amountFen: number;
  subject: string;
  /** How long the QR may be paid (the acquirer closes the trade after). */
  expiresInMinutes: number;
}

export interface RefundRequest {
  outTradeNo: string;
  /** Idempotency key of this refund (the ledger's refund id): the same number never refunds twice. */
  refundNo: string;
  amountFen: number;
  /** The original trade's total (WeChat requires it). */
  totalFen: number;
  reason?: string;
}

/** One line of the acquirer's own list of a day's transactions, to set against the ledger. */
export interface SettlementLine {
  outTradeNo: string;
  acquirerTradeNo: string;
  kind: 'payment' | 'refund';
  amountFen: number;
  at: string;
  refundNo?: string;
}

export interface Acquirer {
  readonly name: AcquirerName;
  /** The payment-code schemes this acquirer takes. */
  readonly schemes: readonly PaymentScheme[];
  payByCode(request: PayByCodeRequest): Promise<TradeOutcome>;
  /** Merchant-presented QR (主扫): a code for the buyer to scan; paid is learnt by query. */
  precreate(request: PrecreateRequest): Promise<PrecreateOutcome>;
  query(outTradeNo: string): Promise<TradeOutcome>;
  /** Cancel an unpaid trade, or reverse a paid one (撤销): never leaves the buyer charged. */
  cancel(outTradeNo: string): Promise<CancelOutcome>;
  refund(request: RefundRequest): Promise<RefundOutcome>;
  refundQuery(outTradeNo: string, refundNo: string): Promise<RefundOutcome>;
  /** The acquirer's list of the day's transactions (day: YYYY-MM-DD in the shop's zone). */
  settlementList(day: string): Promise<SettlementLine[]>;
}

// ---------------------------------------------------------------------------------------------
// Face pay's settlement: the same vocabulary, for the wallet a face payment is debited from

/** A debit for a payer the wallet identified: `token` names them, for this sale and amount. */
export interface FaceDebitRequest {
  token: string;
  amountFen: number;
  saleId: string;
  /** `fp:<saleId>:<attempt>`: the wallet never debits twice under one key. */
  idempotencyKey: string;
}

/** The wallet says it debited the payer. Not yet a proof: `verify` makes one the ledger takes. */
export interface FacePaid {
  paymentId: string;
  saleId: string;
  idempotencyKey: string;
  amountFen: number;
  paidAt: string;
  /** The payer's membership of this store, told only with an authorised payment. */
  member: MemberGreeting | null;
  /** The wallet's signed word that it debited the payer (checked by `verify`). */
  authorisation: PaymentRecord['authorisation'];
}

export type FaceDebitOutcome =
  | ({ kind: 'paid' } & FacePaid)
  /** Nothing debited: the wallet declined (INSUFFICIENT_BALANCE…) or refused the request (RATE_LIMITED…). */
  | ({ kind: 'refused' } & AcquirerReason)
  /** No answer, a timeout, a 5xx: the debit may have happened; ask `query`. */
  | ({ kind: 'unknown' } & AcquirerReason);

/** `query`: what became of a debit, by its key (TradeOutcome's words, without `waiting`). */
export type FaceQueryOutcome =
  | ({ kind: 'paid' } & FacePaid)
  /** The debit was received and declined: no money is held by it. */
  | ({ kind: 'closed' } & AcquirerReason)
  /** The wallet never received a debit under this key: sending it again is safe. */
  | { kind: 'not_found' }
  /** The wallet would not answer the question (RATE_LIMITED, TERMINAL_REVOKED…). */
  | ({ kind: 'refused' } & AcquirerReason)
  | ({ kind: 'unknown' } & AcquirerReason);

export interface FaceRefundRequest {
  saleId: string;
  paymentId: string;
  amountFen: number;
  /** The same key never credits twice. */
  idempotencyKey: string;
  reason?: string;
}

export type FaceRefundOutcome =
  | { kind: 'refunded'; amountFen: number; refundedAt: string }
  | ({ kind: 'refused' } & AcquirerReason)
  | ({ kind: 'unknown' } & AcquirerReason);

/**
 * Where face payments settle: the reference cloud's stored-value wallet (储值卡, the chain's own
 * member account; payments/face/wallet.ts). Like an `Acquirer`, answers are outcomes, never
 * exceptions, and "paid" is never guessed: a lost answer is `unknown` until `query` says.
 */
export interface FaceSettlement {
  /** Learns what `verify` checks against (the wallet's signing key) before anything is debited. */
  prepare(): Promise<{ kind: 'ready' } | ({ kind: 'unknown' } & AcquirerReason)>;
  debit(request: FaceDebitRequest): Promise<FaceDebitOutcome>;
  query(idempotencyKey: string): Promise<FaceQueryOutcome>;
  /**
   * The proof the ledger records (ledger.payFace): the wallet's signature over this terminal,
   * this sale and the amount. Throws (PosError FORBIDDEN) when it does not verify.
   */
  verify(paid: FacePaid, saleId: string): VerifiedFaceDebit;
  /** Credits a debit back to the payer's wallet. */
  refund(request: FaceRefundRequest): Promise<FaceRefundOutcome>;
}
