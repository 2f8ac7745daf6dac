/**
 * Face-pay wallet credits owed by refunds (migration 6). The refund writes them in its own
 * transaction (addWalletCredits); whoever reaches the cloud first (the core at once, the sync
 * worker later) sends each under its idempotency key and records the cloud's answer once
 * (recordWalletCredit). The key is derived from the ledger's refund and payment, so every
 * sender, retry and restart names the same credit, and the cloud credits it at most once.
 */
import { PosError, type WalletCredit } from '../contract';
import type { Ctx } from './context';

/** The idempotency key the cloud sees for the credit of one refund to one face payment. */
export function walletCreditKey(refundId: string, paymentId: string): string {
  return `rf:${refundId}:${paymentId}`;
}

/** A credit the cloud is owed an attempt at. */
export interface OwedCredit {
  key: string;
  refundId: string;
  paymentId: string;
  /** The sale the face payment paid: the cloud credits only its own debit for that sale. */
  saleId: string;
  /** The cloud's id of the face payment. */
  cloudPaymentId: string;
  amountFen: number;
  reason: string;
  createdAt: string;
}

/** The cloud's final answer for a credit. */
export type CreditResult =
  | { status: 'credited'; cloudRefundId: string }
  | { status: 'declined'; cloudRefundId: string | null; code: string }
  | { status: 'failed'; code: string };

interface CreditRow {
  idempotency_key: string;
  refund_id: string;
  payment_id: string;
  sale_id: string;
  cloud_payment_id: string;
  amount_fen: number;
  reason: string;
  created_at: string;
  status: WalletCredit['status'] | null;
  code: string | null;
}

const SELECT = `
  SELECT c.idempotency_key, c.refund_id, c.payment_id, p.sale_id, c.cloud_payment_id,
         c.amount_fen, c.reason, c.created_at, r.status, r.code
  FROM wallet_credits c
  JOIN payments p ON p.id = c.payment_id
  LEFT JOIN wallet_credit_results r USING (idempotency_key)`;

function owed(row: CreditRow): OwedCredit {
  return {
    key: row.idempotency_key,
    refundId: row.refund_id,
    paymentId: row.payment_id,
    saleId: row.sale_id,
    cloudPaymentId: row.cloud_payment_id,
    amountFen: row.amount_fen,
    reason: row.reason,
    createdAt: row.created_at,
  };
}

/**
 * Inside the refund's transaction: one credit per face payment the refund goes back to. A face
 * payment without the cloud's payment id (not taken through face pay) has no wallet to credit.
 */
export function addWalletCredits(
  ctx: Ctx,
  refundId: string,
  reason: string,
  face: readonly { paymentId: string; amountFen: number; reference: string | null }[],
  createdAt: string,
): void {
  const owed = face.filter(
    (f): f is { paymentId: string; amountFen: number; reference: string } =>
      f.reference !== null && f.amountFen > 0,
  );
  if (owed.length === 0) return; // most refunds: nothing to prepare, nothing to write
  const insert = ctx.stmt(
    `INSERT INTO wallet_credits (idempotency_key, refund_id, payment_id, cloud_payment_id,
                                 amount_fen, reason, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const f of owed) {
    insert.run(
      walletCreditKey(refundId, f.paymentId),
      refundId,
      f.paymentId,
      f.reference,
      f.amountFen,
      reason,
      createdAt,
    );
  }
}

/** The refund's credits with their state, as the cashier's screen shows them. */
export function walletCreditsOf(
  ctx: Ctx,
  refundId: string,
): (WalletCredit & { owed: OwedCredit })[] {
  const rows = ctx
    .stmt(`${SELECT} WHERE c.refund_id = ? ORDER BY c.payment_id`)
    .all(refundId) as CreditRow[];
  return rows.map((r) => ({
    paymentId: r.payment_id,
    amountFen: r.amount_fen,
    status: r.status ?? 'pending',
    code: r.code,
    owed: owed(r),
  }));
}

/** Pending credits written at or before `createdBefore` (ISO), oldest first. */
export function dueWalletCredits(ctx: Ctx, createdBefore: string, limit: number): OwedCredit[] {
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new PosError('VALIDATION', 'limit: expected a whole number 1..10000', 'limit');
  const rows = ctx
    .stmt(
      `${SELECT} WHERE r.idempotency_key IS NULL AND c.created_at <= ?
       ORDER BY c.created_at, c.idempotency_key LIMIT ?`,
    )
    .all(createdBefore, limit) as CreditRow[];
  return rows.map(owed);
}

/** When the oldest pending credit was written (null: none pending). */
export function oldestPendingCredit(ctx: Ctx): string | null {
  const row = ctx
    .stmt(
      `SELECT min(c.created_at) AS at FROM wallet_credits c
       WHERE NOT EXISTS (SELECT 1 FROM wallet_credit_results r
                         WHERE r.idempotency_key = c.idempotency_key)`,
    )
    .get() as { at: string | null };
  return row.at;
}

export function pendingWalletCreditCount(ctx: Ctx): number {
  return (
    ctx
      .stmt(
        `SELECT count(*) AS n FROM wallet_credits c
         WHERE NOT EXISTS (SELECT 1 FROM wallet_credit_results r
                           WHERE r.idempotency_key = c.idempotency_key)`,
      )
      .get() as { n: number }
  ).n;
}

/**
 * Records the cloud's answer for a credit. The first answer stands (two senders may both hear
 * one; the cloud gives the same answer to the same key): false if one was already recorded.
 */
export function recordWalletCredit(
  ctx: Ctx,
  key: string,
  result: CreditResult,
  at: Date = ctx.now(),
): boolean {
  const inserted = ctx
    .stmt(
      `INSERT INTO wallet_credit_results (idempotency_key, status, cloud_refund_id, code, settled_at)
       SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM wallet_credits WHERE idempotency_key = ?)
       ON CONFLICT (idempotency_key) DO NOTHING`,
    )
    .run(
      key,
      result.status,
      result.status === 'failed' ? null : result.cloudRefundId,
      result.status === 'credited' ? null : result.code.slice(0, 64),
      at.toISOString(),
      key,
    );
  return inserted.changes === 1;
}
