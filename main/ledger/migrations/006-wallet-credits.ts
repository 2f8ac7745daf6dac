/**
 * Version 6: the face-pay wallet credits that refunds owe, and what the cloud answered.
 *
 * A refund of a face-paid sale gives money back in two books: the ledger's refund (at once, in
 * the refund's own transaction) and the payer's wallet in the cloud (when the cloud can be
 * reached). `wallet_credits` is written in the refund's transaction, one row per face payment
 * the refund goes back to, under the idempotency key the cloud will see
 * (`rf:<refundId>:<paymentId>`): a crash cannot lose a credit, and sending it again can never
 * credit twice. `wallet_credit_results` holds the cloud's final answer, written once. A credit
 * without a result is pending: the core sends it at once when the cloud answers, the sync worker
 * retries it otherwise.
 *
 * Both tables are append-only, like the money tables they follow; a pending credit is found by
 * the absence of its result (face refunds are few, so the scan that costs is small).
 */
import type { Migration } from './types';

function appendOnly(table: string): string {
  const message = `${table} is append-only: wallet credits are never changed or deleted`;
  return `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, '${message}'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, '${message}'); END;`;
}

const sql = `
CREATE TABLE wallet_credits (
  idempotency_key TEXT PRIMARY KEY,
  refund_id TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  -- The cloud's id of the face payment (the ledger payment's reference).
  cloud_payment_id TEXT NOT NULL,
  amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
  reason TEXT NOT NULL,
  created_at TEXT NOT NULL,
  FOREIGN KEY (refund_id, payment_id) REFERENCES refund_payments (refund_id, payment_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX wallet_credits_by_refund ON wallet_credits (refund_id);

CREATE TABLE wallet_credit_results (
  idempotency_key TEXT PRIMARY KEY REFERENCES wallet_credits (idempotency_key),
  status TEXT NOT NULL CHECK (status IN ('credited', 'declined', 'failed')),
  -- The cloud's refund record (credited or declined); none when the cloud refused the request.
  cloud_refund_id TEXT,
  -- Why not credited: the cloud's decline or error code.
  code TEXT,
  settled_at TEXT NOT NULL,
  CHECK (status <> 'credited' OR (cloud_refund_id IS NOT NULL AND code IS NULL)),
  CHECK (status = 'credited' OR code IS NOT NULL)
) STRICT, WITHOUT ROWID;
${appendOnly('wallet_credits')}
${appendOnly('wallet_credit_results')}
`;

export const migration006: Migration = { version: 6, name: 'wallet credits', sql };
