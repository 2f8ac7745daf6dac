/**
 * Authorise and refund face payments against payer wallets.
 *
 * Idempotency: each terminal names every attempt with a key. An authorisation's first act is to
 * insert the row for that key (a refund's, once it holds the payment's lock); a second request
 * with the key (a retry, or the same request racing itself) finds the row instead, waits for the
 * first transaction to finish if it is still running (PostgreSQL blocks the conflicting insert
 * until then), and answers with its stored result. The wallet debit, the limit checks and that
 * row commit together or not at all. Declines are results too: a key always gets one answer.
 */
import { randomUUID } from 'node:crypto';
import type { DeclineCode, PaymentRecord, RefundRecord } from '../api';
import type { AuthenticatedTerminal } from '../auth/terminals';
import type { Db, Queryable } from '../db';
import type { PaymentSigner } from '../crypto/payment-key';
import { CloudError } from '../errors';
import { hashToken } from '../identify/service';
import { adjustPoints, pointsFor } from '../membership/service';
import { maskName } from '../payers/mask';
import { creditWallet, debitWallet } from '../payers/wallet';

export interface AuthoriseInput {
  token: string;
  amountFen: number;
  saleId: string;
  idempotencyKey: string;
}

export interface RefundInput {
  /** The sale the face payment paid (the terminal's id): the cloud's own debit is looked up by it. */
  saleId: string;
  paymentId: string;
  amountFen: number;
  idempotencyKey: string;
  reason?: string | undefined;
}

interface PaymentRow {
  id: string;
  terminal_id: string;
  idempotency_key: string;
  sale_id: string;
  amount_fen: number;
  status: 'pending' | 'approved' | 'declined';
  decline_code: DeclineCode | null;
  refunded_fen: number;
  payer_name: string | null;
  created_at: Date;
}

interface RefundRow {
  id: string;
  idempotency_key: string;
  payment_id: string;
  amount_fen: number;
  status: 'pending' | 'approved' | 'declined';
  decline_code: DeclineCode | null;
  created_at: Date;
}

const PAYMENT_SELECT = `
  SELECT p.id, p.terminal_id, p.idempotency_key, p.sale_id, p.amount_fen, p.status, p.decline_code,
         p.refunded_fen, y.name AS payer_name, p.created_at
  FROM payments p LEFT JOIN payers y ON y.id = p.payer_id`;

function paymentRecord(row: PaymentRow, signer: PaymentSigner): PaymentRecord {
  if (row.status === 'pending') throw new Error('a pending payment escaped its transaction');
  const at = new Date(row.created_at).toISOString();
  return {
    paymentId: row.id,
    idempotencyKey: row.idempotency_key,
    saleId: row.sale_id,
    amountFen: row.amount_fen,
    status: row.status,
    declineCode: row.decline_code,
    refundedFen: row.refunded_fen,
    maskedName: row.payer_name === null ? null : maskName(row.payer_name),
    createdAt: at,
    authorisation: authorisationOf(signer, row.status, {
      paymentId: row.id,
      terminalId: row.terminal_id,
      saleId: row.sale_id,
      amountFen: Number(row.amount_fen),
      at,
    }),
  };
}

/**
 * An approved payment's answer carries the cloud's signature over what it debited (Ed25519 is
 * deterministic: a status query signs the same bytes again); a decline carries none.
 */
function authorisationOf(
  signer: PaymentSigner,
  status: 'approved' | 'declined',
  fields: Parameters<PaymentSigner['sign']>[0],
): PaymentRecord['authorisation'] {
  return status === 'approved' ? signer.sign(fields) : null;
}

function refundRecord(row: RefundRow): RefundRecord {
  if (row.status === 'pending') throw new Error('a pending refund escaped its transaction');
  return {
    refundId: row.id,
    idempotencyKey: row.idempotency_key,
    paymentId: row.payment_id,
    amountFen: row.amount_fen,
    status: row.status,
    declineCode: row.decline_code,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** YYYY-MM-DD of `at` in the given zone: the day a daily limit counts in. */
export function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export class PaymentService {
  constructor(
    private readonly db: Db,
    /** The zone whose calendar day the daily limit resets on. */
    private readonly timezone: string,
    /** Signs each approved payment's answer (crypto/payment-key.ts). */
    private readonly signer: PaymentSigner,
  ) {}

  async authorise(terminal: AuthenticatedTerminal, input: AuthoriseInput): Promise<PaymentRecord> {
    const now = new Date();
    const fresh = await this.db.transaction(async (tx): Promise<PaymentRecord | null> => {
      const paymentId = `pay_${randomUUID()}`;
      const claimed = await tx.query(
        `INSERT INTO payments (id, terminal_id, store_id, idempotency_key, sale_id, amount_fen,
                               status, pay_date, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8)
         ON CONFLICT (terminal_id, idempotency_key) DO NOTHING`,
        [
          paymentId,
          terminal.id,
          terminal.storeId,
          input.idempotencyKey,
          input.saleId,
          input.amountFen,
          dayIn(this.timezone, now),
          now,
        ],
      );
      if (claimed.rowCount === 0) return null; // the key was used before: answer with that
      const outcome = await this.decide(tx, terminal, input, now);
      if (outcome.decline === null) {
        // The balance was checked under the payer's row lock (decide); the debit checks it again.
        const payerId = outcome.payerId;
        if (payerId === null || !(await debitWallet(tx, payerId, input.amountFen, paymentId))) {
          throw new Error('the balance changed under the payer lock');
        }
        await tx.query(
          `WITH points AS (
             UPDATE members SET points = points + $4 WHERE store_id = $3 AND payer_id = $2
           )
           UPDATE payments SET status = 'approved', payer_id = $2 WHERE id = $1`,
          [paymentId, payerId, terminal.storeId, pointsFor(input.amountFen)],
        );
      } else {
        await tx.query(
          "UPDATE payments SET status = 'declined', decline_code = $2, payer_id = $3 WHERE id = $1",
          [paymentId, outcome.decline, outcome.payerId],
        );
      }
      const status = outcome.decline === null ? 'approved' : 'declined';
      return {
        paymentId,
        idempotencyKey: input.idempotencyKey,
        saleId: input.saleId,
        amountFen: input.amountFen,
        status,
        declineCode: outcome.decline,
        refundedFen: 0,
        maskedName: outcome.payerName === null ? null : maskName(outcome.payerName),
        createdAt: now.toISOString(),
        authorisation: authorisationOf(this.signer, status, {
          paymentId,
          terminalId: terminal.id,
          saleId: input.saleId,
          amountFen: input.amountFen,
          at: now.toISOString(),
        }),
      };
    });
    if (fresh !== null) return fresh;
    const earlier = await this.statusByKey(terminal, input.idempotencyKey);
    if (earlier === null) throw new Error('idempotency key conflict without a stored payment');
    if (earlier.saleId !== input.saleId || earlier.amountFen !== input.amountFen) {
      throw new CloudError(
        'IDEMPOTENCY_KEY_REUSED',
        'this idempotency key was used for a different sale or amount',
        'idempotencyKey',
      );
    }
    return earlier;
  }

  /**
   * Spends the token, locks the payer's wallet, and checks limits and balance, inside the
   * caller's transaction. Writes nothing but the token's use.
   */
  private async decide(
    tx: Queryable,
    terminal: AuthenticatedTerminal,
    input: AuthoriseInput,
    now: Date,
  ): Promise<{ decline: DeclineCode | null; payerId: string | null; payerName: string | null }> {
    // The row lock on the payer serialises every payment of theirs, so the daily sum read next
    // (a new statement, hence a snapshot taken after the lock) cannot be raced.
    const found = (
      await tx.query<{
        payer_id: string;
        amount_fen: number;
        name: string;
        balance_fen: number;
        per_tx_limit_fen: number;
        daily_limit_fen: number;
      }>(
        `WITH spent AS (
           UPDATE payer_tokens SET used_at = $3
           WHERE token_hash = $1 AND terminal_id = $2 AND used_at IS NULL AND expires_at > $3
           RETURNING payer_id, amount_fen
         )
         SELECT spent.payer_id, spent.amount_fen, p.name, p.balance_fen, p.per_tx_limit_fen,
                p.daily_limit_fen
         FROM spent JOIN payers p ON p.id = spent.payer_id
         FOR UPDATE OF p`,
        [hashToken(input.token), terminal.id, now],
      )
    ).rows[0];
    if (found === undefined) return { decline: 'TOKEN_INVALID', payerId: null, payerName: null };
    const payer = { payerId: found.payer_id, payerName: found.name };
    if (found.amount_fen !== input.amountFen) return { decline: 'TOKEN_AMOUNT_MISMATCH', ...payer };
    if (input.amountFen > found.per_tx_limit_fen)
      return { decline: 'OVER_TRANSACTION_LIMIT', ...payer };
    const spentToday =
      (
        await tx.query<{ spent: number }>(
          `SELECT COALESCE(sum(amount_fen), 0) AS spent FROM payments
           WHERE payer_id = $1 AND pay_date = $2 AND status = 'approved'`,
          [found.payer_id, dayIn(this.timezone, now)],
        )
      ).rows[0]?.spent ?? 0;
    if (spentToday + input.amountFen > found.daily_limit_fen)
      return { decline: 'OVER_DAILY_LIMIT', ...payer };
    if (found.balance_fen < input.amountFen) return { decline: 'INSUFFICIENT_BALANCE', ...payer };
    return { decline: null, ...payer };
  }

  /** What happened to the attempt with this key, for a terminal that lost the answer. */
  async statusByKey(terminal: AuthenticatedTerminal, key: string): Promise<PaymentRecord | null> {
    const { rows } = await this.db.query<PaymentRow>(
      `${PAYMENT_SELECT} WHERE p.terminal_id = $1 AND p.idempotency_key = $2`,
      [terminal.id, key],
    );
    return rows[0] === undefined ? null : paymentRecord(rows[0], this.signer);
  }

  /**
   * Credits a face payment back to the wallet. Only a debit of the cloud's own: the payment is
   * looked up by its id AND the sale AND the terminal that took it, so a terminal cannot point a
   * refund of one sale at another sale's payment (issue 9: a face payment recorded at the till
   * with a typed reference, then refunded, credited a real payer). Never beyond what was debited:
   * the payment row is locked while its refunded total is checked.
   */
  async refund(terminal: AuthenticatedTerminal, input: RefundInput): Promise<RefundRecord> {
    const now = new Date();
    const id = await this.db.transaction(async (tx) => {
      const refundId = `rfd_${randomUUID()}`;
      // Lock the payment before writing anything that references it: inserting the refund row
      // first would take a key-share lock on the payment, and two refunds both holding one while
      // waiting to lock it for update would deadlock.
      const payment = (
        await tx.query<{
          status: string;
          amount_fen: number;
          refunded_fen: number;
          payer_id: string;
        }>(
          `SELECT status, amount_fen, refunded_fen, payer_id FROM payments
           WHERE id = $1 AND sale_id = $2 AND terminal_id = $3 FOR UPDATE`,
          [input.paymentId, input.saleId, terminal.id],
        )
      ).rows[0];
      const claimed =
        payment === undefined
          ? { rowCount: 0 }
          : await tx.query(
              `INSERT INTO refunds (id, terminal_id, idempotency_key, payment_id, amount_fen, status,
                                    reason, created_at)
               VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)
               ON CONFLICT (terminal_id, idempotency_key) DO NOTHING`,
              [
                refundId,
                terminal.id,
                input.idempotencyKey,
                input.paymentId,
                input.amountFen,
                input.reason ?? null,
                now,
              ],
            );
      if (claimed.rowCount === 0) {
        const known = await tx.query(
          'SELECT 1 FROM refunds WHERE terminal_id = $1 AND idempotency_key = $2',
          [terminal.id, input.idempotencyKey],
        );
        if (known.rowCount === 0) {
          throw new CloudError(
            'NOT_FOUND',
            'the cloud debited no face payment with that id for this sale of this terminal',
            'paymentId',
          );
        }
        return null; // the key was used before: answer with that
      }
      if (payment === undefined || payment.status !== 'approved') {
        throw new CloudError(
          'PAYMENT_NOT_REFUNDABLE',
          'only an approved payment can be refunded',
          'paymentId',
        );
      }
      let decline: DeclineCode | null = null;
      if (payment.refunded_fen + input.amountFen > payment.amount_fen) {
        decline = 'REFUND_EXCEEDS_PAID';
      } else {
        await tx.query('UPDATE payments SET refunded_fen = refunded_fen + $2 WHERE id = $1', [
          input.paymentId,
          input.amountFen,
        ]);
        await creditWallet(tx, payment.payer_id, input.amountFen, 'refund', refundId);
        await adjustPoints(tx, terminal.storeId, payment.payer_id, -pointsFor(input.amountFen));
      }
      await tx.query('UPDATE refunds SET status = $2, decline_code = $3 WHERE id = $1', [
        refundId,
        decline === null ? 'approved' : 'declined',
        decline,
      ]);
      return refundId;
    });
    const record =
      id !== null
        ? await this.refundWhere('id = $1', [id])
        : await this.refundStatusByKey(terminal, input.idempotencyKey);
    if (record === null) throw new Error('refund vanished');
    if (
      id === null &&
      (record.paymentId !== input.paymentId || record.amountFen !== input.amountFen)
    ) {
      throw new CloudError(
        'IDEMPOTENCY_KEY_REUSED',
        'this idempotency key was used for a different payment or amount',
        'idempotencyKey',
      );
    }
    return record;
  }

  async refundStatusByKey(
    terminal: AuthenticatedTerminal,
    key: string,
  ): Promise<RefundRecord | null> {
    return this.refundWhere('terminal_id = $1 AND idempotency_key = $2', [terminal.id, key]);
  }

  private async refundWhere(where: string, params: unknown[]): Promise<RefundRecord | null> {
    const { rows } = await this.db.query<RefundRow>(
      `SELECT id, idempotency_key, payment_id, amount_fen, status, decline_code, created_at
       FROM refunds WHERE ${where}`,
      params,
    );
    return rows[0] === undefined ? null : refundRecord(rows[0]);
  }
}
