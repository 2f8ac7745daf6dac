/**
 * The payer's wallet (the chain's stored-value member account, 储值卡): the one place money is
 * added to or taken from `payers.balance_fen`, always with its `wallet_entries` row in the same
 * transaction. Face pay (payments/), the reference acquirer (acquire/) and top-ups all move money
 * through these two functions, so there is one ledger of balances.
 */
import type { Queryable } from '../db';

/**
 * Takes `amountFen` from the wallet, or nothing when the balance does not cover it (false). The
 * balance check and the debit are one statement, so two debits racing cannot overdraw.
 */
export async function debitWallet(
  tx: Queryable,
  payerId: string,
  amountFen: number,
  reference: string,
): Promise<boolean> {
  const debited = await tx.query(
    'UPDATE payers SET balance_fen = balance_fen - $2 WHERE id = $1 AND balance_fen >= $2',
    [payerId, amountFen],
  );
  if (debited.rowCount === 0) return false;
  await tx.query(
    `INSERT INTO wallet_entries (payer_id, kind, amount_fen, reference)
     VALUES ($1, 'payment', -$2::bigint, $3)`,
    [payerId, amountFen, reference],
  );
  return true;
}

/**
 * Adds `amountFen` to the wallet with its entry. Idempotent by (kind, reference): a repeated
 * reference changes nothing and answers false.
 */
export async function creditWallet(
  tx: Queryable,
  payerId: string,
  amountFen: number,
  kind: 'topup' | 'refund',
  reference: string,
): Promise<boolean> {
  const entry = await tx.query(
    `INSERT INTO wallet_entries (payer_id, kind, amount_fen, reference) VALUES ($1, $2, $3, $4)
     ON CONFLICT (payer_id, kind, reference) DO NOTHING`,
    [payerId, kind, amountFen, reference],
  );
  if (entry.rowCount === 0) return false;
  await tx.query('UPDATE payers SET balance_fen = balance_fen + $2 WHERE id = $1', [
    payerId,
    amountFen,
  ]);
  return true;
}
