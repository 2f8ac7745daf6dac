/**
 * What the cloud's answer to a refund means for the terminal that owes a wallet credit: a
 * final result to record (credited, declined, or refused for good), or nothing yet (no answer,
 * or an answer that may change: try again later with the same key). Shared by the core, which
 * sends a refund's credits at once, and the sync worker, which retries them.
 */
import type { RefundRecord } from '../api';
import { CloudRequestError } from './index';

export type RefundOutcome =
  | { status: 'credited'; cloudRefundId: string }
  | { status: 'declined'; cloudRefundId: string; code: string }
  | { status: 'failed'; code: string };

export function outcomeOfRecord(record: RefundRecord): RefundOutcome {
  return record.status === 'approved'
    ? { status: 'credited', cloudRefundId: record.refundId }
    : {
        status: 'declined',
        cloudRefundId: record.refundId,
        code: record.declineCode ?? 'DECLINED',
      };
}

/**
 * Refusals that the same request will always meet: no such payment at this store, a payment
 * that cannot be refunded, the key already used for something else, a malformed request.
 * Anything else (no answer, 5xx, an authentication hiccup such as a clock out of the window)
 * may pass next time.
 */
const FINAL_REFUSALS = new Set([
  'NOT_FOUND',
  'PAYMENT_NOT_REFUNDABLE',
  'IDEMPOTENCY_KEY_REUSED',
  'VALIDATION',
]);

/** The outcome an error settles, or null when the credit should be tried again later. */
export function outcomeOfError(error: unknown): RefundOutcome | null {
  if (error instanceof CloudRequestError && FINAL_REFUSALS.has(error.code)) {
    return { status: 'failed', code: error.code };
  }
  return null;
}
