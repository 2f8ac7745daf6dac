/**
 * The reference cloud as an acquirer: the chain's stored-value member account (储值卡) is the
 * wallet, and terminals pay by a payer's one-time code (付款码) or show a QR the payer scans (主扫),
 * with the same verbs as Alipay's and WeChat Pay's: pay, query, cancel (close or reverse),
 * refund, refund query, the day's bill.
 *
 * Never two charges for one trade: a trade is keyed by (terminal, outTradeNo) and claimed by
 * inserting its row first, so a retry or a race finds that row (PostgreSQL holds the second
 * insert until the first transaction ends) and answers from it. Money moves only through
 * payers/wallet.ts, in the transaction that records the trade's new state. A refusal moves
 * nothing. Every lookup by a terminal is scoped to that terminal: another's trade is NOT_FOUND.
 */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { AcquireRefund, AcquireTrade } from '../api';
import type { AuthenticatedTerminal } from '../auth/terminals';
import type { Db, Queryable } from '../db';
import { CloudError } from '../errors';
import { hashToken } from '../identify/service';
import { maskName } from '../payers/mask';
import { creditWallet, debitWallet } from '../payers/wallet';

/**
 * The reserved prefix of this acquirer's codes: 99, then 16 digits (18 in all). No wallet's
 * published range starts with 9 (Alipay 25–30, WeChat Pay 10–15, UnionPay 62), and 18 digits are
 * not a retail barcode, so main/contract/payment-code.ts classifies them as `reference` alone.
 */
export const REFERENCE_CODE_PREFIX = '99';
export const REFERENCE_CODE_DIGITS = 18;
/** As long as Alipay's codes live: a code shown on a phone is good for one minute. */
export const PAY_CODE_TTL_MS = 60_000;
/** How long a trade waits for the payer to confirm on the phone before it closes by itself. */
export const CONFIRM_WINDOW_MS = 120_000;

interface TradeRow {
  id: string;
  terminal_id: string;
  store_id: string;
  out_trade_no: string;
  kind: 'code' | 'qr' | 'cancelled';
  amount_fen: number;
  subject: string;
  code_hash: string | null;
  payer_id: string | null;
  payer_name: string | null;
  status: 'pending' | 'waiting' | 'paid' | 'refused' | 'closed' | 'reversed';
  reason_code: string | null;
  reason_message: string | null;
  refunded_fen: number;
  reversed_fen: number;
  expires_at: Date | null;
  paid_at: Date | null;
}

const TRADE_SELECT = `
  SELECT t.id, t.terminal_id, t.store_id, t.out_trade_no, t.kind, t.amount_fen, t.subject,
         t.code_hash, t.payer_id, p.name AS payer_name, t.status, t.reason_code, t.reason_message,
         t.refunded_fen, t.reversed_fen, t.expires_at, t.paid_at
  FROM acquire_trades t LEFT JOIN payers p ON p.id = t.payer_id`;

const REASONS = {
  AUTH_CODE_INVALID: 'The payment code is not valid: ask the customer to refresh it.',
  AUTH_CODE_USED: 'The payment code was already used: ask the customer to refresh it.',
  AUTH_CODE_EXPIRED: 'The payment code has expired: ask the customer to refresh it.',
  BALANCE_NOT_ENOUGH: "The customer's balance is not enough for this amount.",
  OUT_TRADE_NO_USED:
    'This trade number was already used for another amount or code: nothing was charged.',
  TRADE_CLOSED: 'The trade was cancelled: nothing was charged.',
  TRADE_EXPIRED: 'The customer did not pay in time: nothing was charged.',
  TRADE_REVERSED: 'The payment was reversed: the money went back to the customer.',
  TRADE_NOT_PAID: 'Only a paid trade can be refunded.',
  REFUND_AMOUNT_EXCEEDED: 'The refund is more than what is left of the payment.',
  REFUND_NO_USED: 'This refund number was already used for another amount.',
} as const;
export type AcquireReasonCode = keyof typeof REASONS;

function reason(code: AcquireReasonCode): { code: string; message: string } {
  return { code, message: REASONS[code] };
}

function iso(at: Date | null): string | null {
  return at === null ? null : new Date(at).toISOString();
}

function tradeView(row: TradeRow): AcquireTrade {
  const base = {
    outTradeNo: row.out_trade_no,
    tradeNo: row.id,
    amountFen: row.amount_fen,
    refundedFen: row.refunded_fen,
    paidAt: iso(row.paid_at),
    buyer: row.payer_name === null ? null : maskName(row.payer_name),
  };
  const why =
    row.reason_code === null ? null : { code: row.reason_code, message: row.reason_message ?? '' };
  switch (row.status) {
    case 'paid':
      return { ...base, status: 'paid', reason: null };
    case 'waiting':
      return { ...base, status: 'waiting', reason: null };
    case 'refused':
      return { ...base, status: 'refused', reason: why };
    case 'reversed':
      return { ...base, status: 'closed', reason: reason('TRADE_REVERSED') };
    case 'closed':
      return { ...base, status: 'closed', reason: why ?? reason('TRADE_CLOSED') };
    case 'pending':
      throw new Error('a pending trade escaped its transaction');
  }
}

/** A one-time code: the reserved prefix and 16 random digits. */
function newPayCode(): string {
  let digits = '';
  while (digits.length < REFERENCE_CODE_DIGITS - REFERENCE_CODE_PREFIX.length) {
    digits += String(randomInt(0, 10));
  }
  return REFERENCE_CODE_PREFIX + digits;
}

export interface PayInput {
  outTradeNo: string;
  amountFen: number;
  code: string;
  subject: string;
}

export interface PrecreateInput {
  outTradeNo: string;
  amountFen: number;
  subject: string;
  expiresInMinutes: number;
}

export interface RefundInput {
  outTradeNo: string;
  refundNo: string;
  amountFen: number;
}

export interface BillLine {
  outTradeNo: string;
  tradeNo: string;
  kind: 'payment' | 'refund';
  amountFen: number;
  at: string;
  refundNo?: string;
  terminalId: string;
}

export class AcquireService {
  constructor(private readonly db: Db) {}

  /** A payer's one-time code (cli paycode). `confirm`: pay waits until the payer confirms. */
  async issueCode(
    payerId: string,
    confirm: boolean,
  ): Promise<{ code: string; expiresAt: string; confirm: boolean }> {
    await this.requirePayer(this.db, payerId);
    const expiresAt = new Date(Date.now() + PAY_CODE_TTL_MS);
    for (;;) {
      const code = newPayCode();
      const inserted = await this.db.query(
        `INSERT INTO acquire_codes (code_hash, payer_id, confirm, expires_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code_hash) DO NOTHING`,
        [hashToken(code), payerId, confirm, expiresAt],
      );
      if (inserted.rowCount === 1) return { code, expiresAt: expiresAt.toISOString(), confirm };
    }
  }

  async pay(terminal: AuthenticatedTerminal, input: PayInput): Promise<AcquireTrade> {
    const now = new Date();
    const codeHash = hashToken(input.code);
    return this.db.transaction(async (tx) => {
      const tradeId = `acq_${randomUUID()}`;
      const claimed = await tx.query(
        `INSERT INTO acquire_trades (id, terminal_id, store_id, out_trade_no, kind, amount_fen,
                                     subject, code_hash, status, created_at)
         VALUES ($1, $2, $3, $4, 'code', $5, $6, $7, 'pending', $8)
         ON CONFLICT (terminal_id, out_trade_no) DO NOTHING`,
        [
          tradeId,
          terminal.id,
          terminal.storeId,
          input.outTradeNo,
          input.amountFen,
          input.subject,
          codeHash,
          now,
        ],
      );
      if (claimed.rowCount === 0) {
        // The number was used before: the same request gets that trade's answer, never a charge.
        const existing = await this.settledTrade(tx, terminal, input.outTradeNo, now);
        if (existing === null) throw new Error('outTradeNo conflict without a stored trade');
        const same =
          existing.kind === 'code' &&
          existing.amount_fen === input.amountFen &&
          existing.code_hash === codeHash;
        if (same || existing.kind === 'cancelled') return tradeView(existing);
        return {
          ...tradeView(existing),
          status: 'refused',
          reason: reason('OUT_TRADE_NO_USED'),
        };
      }
      const spent = await this.spendCode(tx, input.code, codeHash, now);
      if ('refused' in spent) {
        await this.setStatus(tx, tradeId, 'refused', spent.refused);
      } else if (spent.confirm) {
        await tx.query(
          `UPDATE acquire_trades SET status = 'waiting', payer_id = $2, expires_at = $3 WHERE id = $1`,
          [tradeId, spent.payerId, new Date(now.getTime() + CONFIRM_WINDOW_MS)],
        );
      } else {
        await this.charge(tx, tradeId, spent.payerId, input.amountFen, now);
      }
      return tradeView(await this.tradeById(tx, tradeId));
    });
  }

  /** The trade under this terminal's number, a waiting one closed first if its time ran out. */
  async query(terminal: AuthenticatedTerminal, outTradeNo: string): Promise<AcquireTrade | null> {
    const row = await this.settledTrade(this.db, terminal, outTradeNo, new Date());
    return row === null ? null : tradeView(row);
  }

  /**
   * Closes an unpaid trade, or reverses a paid one (what was not refunded goes back to the
   * wallet). A number never seen is closed too, so a pay that arrives after its cancel finds
   * the number used and charges nothing. Cancelling twice changes nothing.
   */
  async cancel(
    terminal: AuthenticatedTerminal,
    outTradeNo: string,
  ): Promise<{ outTradeNo: string; action: 'closed' | 'reversed' | 'none' }> {
    const now = new Date();
    return this.db.transaction(async (tx) => {
      const tombstone = await tx.query(
        `INSERT INTO acquire_trades (id, terminal_id, store_id, out_trade_no, kind, amount_fen,
                                     subject, status, reason_code, reason_message, created_at)
         VALUES ($1, $2, $3, $4, 'cancelled', 0, '', 'closed', 'TRADE_CLOSED', $5, $6)
         ON CONFLICT (terminal_id, out_trade_no) DO NOTHING`,
        [
          `acq_${randomUUID()}`,
          terminal.id,
          terminal.storeId,
          outTradeNo,
          REASONS.TRADE_CLOSED,
          now,
        ],
      );
      if (tombstone.rowCount === 1) return { outTradeNo, action: 'closed' };
      const row = await this.lockTrade(tx, terminal, outTradeNo);
      if (row === null) throw new Error('outTradeNo conflict without a stored trade');
      if (row.status === 'waiting') {
        await this.setStatus(tx, row.id, 'closed', reason('TRADE_CLOSED'));
        return { outTradeNo, action: 'closed' };
      }
      if (row.status === 'reversed') return { outTradeNo, action: 'reversed' };
      if (row.status !== 'paid' || row.payer_id === null) return { outTradeNo, action: 'none' };
      const back = row.amount_fen - row.refunded_fen;
      if (back > 0) await creditWallet(tx, row.payer_id, back, 'refund', `${row.id}:reversal`);
      await tx.query(
        `UPDATE acquire_trades SET status = 'reversed', reversed_fen = $2, reversed_at = $3
         WHERE id = $1`,
        [row.id, back, now],
      );
      return { outTradeNo, action: 'reversed' };
    });
  }

  /**
   * Refunds part or all of a paid trade, once per refundNo, never beyond what is left of it. A
   * refusal moves nothing and is not stored (the same refundNo may come again, e.g. smaller).
   */
  async refund(terminal: AuthenticatedTerminal, input: RefundInput): Promise<AcquireRefund> {
    const now = new Date();
    const { outTradeNo, refundNo } = input;
    return this.db.transaction(async (tx): Promise<AcquireRefund> => {
      // The trade's row lock serialises its refunds: the total checked is the total written.
      const trade = await this.lockTrade(tx, terminal, outTradeNo);
      if (trade === null || trade.kind === 'cancelled') {
        throw new CloudError(
          'NOT_FOUND',
          'no trade with that number for this terminal',
          'outTradeNo',
        );
      }
      const refused = (code: AcquireReasonCode): AcquireRefund => ({
        status: 'refused',
        outTradeNo,
        refundNo,
        reason: reason(code),
      });
      const earlier = (
        await tx.query<{ amount_fen: number; created_at: Date }>(
          'SELECT amount_fen, created_at FROM acquire_refunds WHERE trade_id = $1 AND refund_no = $2',
          [trade.id, refundNo],
        )
      ).rows[0];
      if (earlier !== undefined) {
        if (earlier.amount_fen !== input.amountFen) return refused('REFUND_NO_USED');
        return refundedView(outTradeNo, refundNo, earlier.amount_fen, earlier.created_at);
      }
      if (trade.status === 'reversed') return refused('TRADE_REVERSED');
      if (trade.status !== 'paid' || trade.payer_id === null) return refused('TRADE_NOT_PAID');
      if (trade.refunded_fen + input.amountFen > trade.amount_fen) {
        return refused('REFUND_AMOUNT_EXCEEDED');
      }
      const refundId = `acr_${randomUUID()}`;
      await tx.query(
        `INSERT INTO acquire_refunds (id, trade_id, refund_no, amount_fen, store_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [refundId, trade.id, refundNo, input.amountFen, trade.store_id, now],
      );
      await tx.query('UPDATE acquire_trades SET refunded_fen = refunded_fen + $2 WHERE id = $1', [
        trade.id,
        input.amountFen,
      ]);
      await creditWallet(tx, trade.payer_id, input.amountFen, 'refund', refundId);
      return refundedView(outTradeNo, refundNo, input.amountFen, now);
    });
  }

  async refundQuery(
    terminal: AuthenticatedTerminal,
    outTradeNo: string,
    refundNo: string,
  ): Promise<AcquireRefund | null> {
    const row = (
      await this.db.query<{ amount_fen: number; created_at: Date }>(
        `SELECT r.amount_fen, r.created_at FROM acquire_refunds r
         JOIN acquire_trades t ON t.id = r.trade_id
         WHERE t.terminal_id = $1 AND t.out_trade_no = $2 AND r.refund_no = $3`,
        [terminal.id, outTradeNo, refundNo],
      )
    ).rows[0];
    return row === undefined
      ? null
      : refundedView(outTradeNo, refundNo, row.amount_fen, row.created_at);
  }

  /**
   * A trade the payer pays by scanning a QR: its URL holds a random token (only its hash is
   * kept). Precreating the same number again (same amount) issues a fresh URL for the same trade.
   */
  async precreate(
    terminal: AuthenticatedTerminal,
    input: PrecreateInput,
    baseUrl: string,
  ): Promise<{ outTradeNo: string; tradeNo: string; qrCode: string; expiresAt: string }> {
    const now = new Date();
    const token = randomBytes(24).toString('base64url');
    const tokenHash = hashToken(token);
    const expiresAt = new Date(now.getTime() + input.expiresInMinutes * 60_000);
    const tradeNo = await this.db.transaction(async (tx) => {
      const tradeId = `acq_${randomUUID()}`;
      const claimed = await tx.query(
        `INSERT INTO acquire_trades (id, terminal_id, store_id, out_trade_no, kind, amount_fen,
                                     subject, qr_token_hash, status, expires_at, created_at)
         VALUES ($1, $2, $3, $4, 'qr', $5, $6, $7, 'waiting', $8, $9)
         ON CONFLICT (terminal_id, out_trade_no) DO NOTHING`,
        [
          tradeId,
          terminal.id,
          terminal.storeId,
          input.outTradeNo,
          input.amountFen,
          input.subject,
          tokenHash,
          expiresAt,
          now,
        ],
      );
      if (claimed.rowCount === 1) return { id: tradeId, expiresAt };
      const existing = await this.settledTrade(tx, terminal, input.outTradeNo, now);
      if (
        existing === null ||
        existing.kind !== 'qr' ||
        existing.amount_fen !== input.amountFen ||
        existing.status !== 'waiting'
      ) {
        throw new CloudError('CONFLICT', REASONS.OUT_TRADE_NO_USED, 'outTradeNo');
      }
      await tx.query('UPDATE acquire_trades SET qr_token_hash = $2 WHERE id = $1', [
        existing.id,
        tokenHash,
      ]);
      return { id: existing.id, expiresAt: existing.expires_at ?? expiresAt };
    });
    return {
      outTradeNo: input.outTradeNo,
      tradeNo: tradeNo.id,
      qrCode: `${baseUrl}/v1/acquire/qr/${token}`,
      expiresAt: new Date(tradeNo.expiresAt).toISOString(),
    };
  }

  /** What a phone sees at the QR's URL before paying. */
  async qrView(token: string): Promise<{
    amountFen: number;
    subject: string;
    status: 'waiting' | 'paid' | 'closed';
    expiresAt: string;
  } | null> {
    const row = (
      await this.db.query<TradeRow>(`${TRADE_SELECT} WHERE t.qr_token_hash = $1`, [
        hashToken(token),
      ])
    ).rows[0];
    if (row === undefined) return null;
    const expired =
      row.status === 'waiting' && row.expires_at !== null && row.expires_at <= new Date();
    const status =
      row.status === 'paid' ? 'paid' : row.status === 'waiting' && !expired ? 'waiting' : 'closed';
    return {
      amountFen: row.amount_fen,
      subject: row.subject,
      status,
      expiresAt: iso(row.expires_at) ?? new Date(0).toISOString(),
    };
  }

  /** The payer's phone pays a scanned QR (cli scan): once; an expired or closed one is refused. */
  async scan(
    token: string,
    payerId: string,
  ): Promise<{
    result: 'paid' | 'already_paid' | 'expired' | 'refused';
    amountFen: number;
    subject: string;
    reason: { code: string; message: string } | null;
  }> {
    const now = new Date();
    return this.db.transaction(async (tx) => {
      await this.requirePayer(tx, payerId);
      const row = (
        await tx.query<TradeRow>(`${TRADE_SELECT} WHERE t.qr_token_hash = $1 FOR UPDATE OF t`, [
          hashToken(token),
        ])
      ).rows[0];
      if (row === undefined) throw new CloudError('NOT_FOUND', 'no such QR code', 'token');
      const answer = (
        result: 'paid' | 'already_paid' | 'expired' | 'refused',
        why: { code: string; message: string } | null = null,
      ) => ({ result, amountFen: row.amount_fen, subject: row.subject, reason: why });
      if (row.status === 'paid' || row.status === 'reversed') return answer('already_paid');
      if (row.status === 'waiting' && row.expires_at !== null && row.expires_at <= now) {
        await this.setStatus(tx, row.id, 'closed', reason('TRADE_EXPIRED'));
        return answer('expired', reason('TRADE_EXPIRED'));
      }
      if (row.status !== 'waiting') return answer('expired', reason('TRADE_CLOSED'));
      // Not enough money leaves the trade waiting: the payer may top up and scan again.
      if (!(await debitWallet(tx, payerId, row.amount_fen, row.id))) {
        return answer('refused', reason('BALANCE_NOT_ENOUGH'));
      }
      await tx.query(
        `UPDATE acquire_trades SET status = 'paid', payer_id = $2, paid_at = $3 WHERE id = $1`,
        [row.id, payerId, now],
      );
      return answer('paid');
    });
  }

  /** The payer confirms on the phone (cli confirm): every trade of theirs that waits is settled. */
  async confirm(payerId: string): Promise<AcquireTrade[]> {
    const now = new Date();
    return this.db.transaction(async (tx) => {
      await this.requirePayer(tx, payerId);
      const waiting = (
        await tx.query<TradeRow>(
          `${TRADE_SELECT} WHERE t.payer_id = $1 AND t.kind = 'code' AND t.status = 'waiting'
           ORDER BY t.created_at FOR UPDATE OF t`,
          [payerId],
        )
      ).rows;
      const out: AcquireTrade[] = [];
      for (const row of waiting) {
        if (row.expires_at !== null && row.expires_at <= now) {
          await this.setStatus(tx, row.id, 'closed', reason('TRADE_EXPIRED'));
        } else {
          await this.charge(tx, row.id, payerId, row.amount_fen, now);
        }
        out.push(tradeView(await this.tradeById(tx, row.id)));
      }
      return out;
    });
  }

  /** The store's money movements of a day (in the store's zone): payments, refunds, reversals. */
  async bill(terminal: AuthenticatedTerminal, day: string): Promise<BillLine[]> {
    const { rows } = await this.db.query<{
      out_trade_no: string;
      trade_no: string;
      kind: 'payment' | 'refund';
      amount_fen: number;
      at: Date;
      refund_no: string | null;
      terminal_id: string;
    }>(
      `WITH zone AS (SELECT timezone FROM stores WHERE id = $1)
       SELECT t.out_trade_no, t.id AS trade_no, 'payment' AS kind, t.amount_fen, t.paid_at AS at,
              NULL AS refund_no, t.terminal_id
       FROM acquire_trades t, zone
       WHERE t.store_id = $1 AND t.paid_at IS NOT NULL
         AND (t.paid_at AT TIME ZONE zone.timezone)::date = $2::date
       UNION ALL
       SELECT t.out_trade_no, t.id, 'refund', r.amount_fen, r.created_at, r.refund_no, t.terminal_id
       FROM acquire_refunds r JOIN acquire_trades t ON t.id = r.trade_id, zone
       WHERE r.store_id = $1 AND (r.created_at AT TIME ZONE zone.timezone)::date = $2::date
       UNION ALL
       SELECT t.out_trade_no, t.id, 'refund', t.reversed_fen, t.reversed_at, 'reversal', t.terminal_id
       FROM acquire_trades t, zone
       WHERE t.store_id = $1 AND t.reversed_at IS NOT NULL AND t.reversed_fen > 0
         AND (t.reversed_at AT TIME ZONE zone.timezone)::date = $2::date
       ORDER BY at, trade_no`,
      [terminal.storeId, day],
    );
    return rows.map((r) => ({
      outTradeNo: r.out_trade_no,
      tradeNo: r.trade_no,
      kind: r.kind,
      amountFen: r.amount_fen,
      at: new Date(r.at).toISOString(),
      ...(r.refund_no === null ? {} : { refundNo: r.refund_no }),
      terminalId: r.terminal_id,
    }));
  }

  // -------------------------------------------------------------------------------------------

  /** Marks the code used and names its payer, or says why it cannot pay. */
  private async spendCode(
    tx: Queryable,
    code: string,
    codeHash: string,
    now: Date,
  ): Promise<
    { payerId: string; confirm: boolean } | { refused: { code: string; message: string } }
  > {
    if (!code.startsWith(REFERENCE_CODE_PREFIX) || code.length !== REFERENCE_CODE_DIGITS) {
      return { refused: reason('AUTH_CODE_INVALID') };
    }
    const spent = (
      await tx.query<{ payer_id: string; confirm: boolean }>(
        `UPDATE acquire_codes SET used_at = $2
         WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2
         RETURNING payer_id, confirm`,
        [codeHash, now],
      )
    ).rows[0];
    if (spent !== undefined) return { payerId: spent.payer_id, confirm: spent.confirm };
    const known = (
      await tx.query<{ used_at: Date | null }>(
        'SELECT used_at FROM acquire_codes WHERE code_hash = $1',
        [codeHash],
      )
    ).rows[0];
    if (known === undefined) return { refused: reason('AUTH_CODE_INVALID') };
    return { refused: reason(known.used_at === null ? 'AUTH_CODE_EXPIRED' : 'AUTH_CODE_USED') };
  }

  /** Debits the wallet and marks the trade paid, or refuses it for the balance. */
  private async charge(
    tx: Queryable,
    tradeId: string,
    payerId: string,
    amountFen: number,
    now: Date,
  ): Promise<void> {
    if (await debitWallet(tx, payerId, amountFen, tradeId)) {
      await tx.query(
        `UPDATE acquire_trades SET status = 'paid', payer_id = $2, paid_at = $3 WHERE id = $1`,
        [tradeId, payerId, now],
      );
    } else {
      await tx.query('UPDATE acquire_trades SET payer_id = $2 WHERE id = $1', [tradeId, payerId]);
      await this.setStatus(tx, tradeId, 'refused', reason('BALANCE_NOT_ENOUGH'));
    }
  }

  private async setStatus(
    tx: Queryable,
    tradeId: string,
    status: 'refused' | 'closed',
    why: { code: string; message: string },
  ): Promise<void> {
    await tx.query(
      'UPDATE acquire_trades SET status = $2, reason_code = $3, reason_message = $4 WHERE id = $1',
      [tradeId, status, why.code, why.message],
    );
  }

  /** This terminal's trade under the number; a waiting one whose time ran out is closed first. */
  private async settledTrade(
    q: Queryable,
    terminal: AuthenticatedTerminal,
    outTradeNo: string,
    now: Date,
  ): Promise<TradeRow | null> {
    await q.query(
      `UPDATE acquire_trades SET status = 'closed', reason_code = 'TRADE_EXPIRED', reason_message = $4
       WHERE terminal_id = $1 AND out_trade_no = $2 AND status = 'waiting' AND expires_at <= $3`,
      [terminal.id, outTradeNo, now, REASONS.TRADE_EXPIRED],
    );
    const row = (
      await q.query<TradeRow>(`${TRADE_SELECT} WHERE t.terminal_id = $1 AND t.out_trade_no = $2`, [
        terminal.id,
        outTradeNo,
      ])
    ).rows[0];
    return row ?? null;
  }

  private async lockTrade(
    tx: Queryable,
    terminal: AuthenticatedTerminal,
    outTradeNo: string,
  ): Promise<TradeRow | null> {
    const row = await this.settledTrade(tx, terminal, outTradeNo, new Date());
    if (row === null) return null;
    await tx.query('SELECT 1 FROM acquire_trades WHERE id = $1 FOR UPDATE', [row.id]);
    return this.tradeById(tx, row.id);
  }

  private async tradeById(q: Queryable, id: string): Promise<TradeRow> {
    const row = (await q.query<TradeRow>(`${TRADE_SELECT} WHERE t.id = $1`, [id])).rows[0];
    if (row === undefined) throw new Error('trade vanished');
    return row;
  }

  private async requirePayer(q: Queryable, payerId: string): Promise<void> {
    const found = await q.query('SELECT 1 FROM payers WHERE id = $1', [payerId]);
    if (found.rowCount === 0) throw new CloudError('NOT_FOUND', `no payer ${payerId}`, 'payerId');
  }
}

function refundedView(
  outTradeNo: string,
  refundNo: string,
  amountFen: number,
  at: Date,
): AcquireRefund {
  return {
    status: 'refunded',
    outTradeNo,
    refundNo,
    amountFen,
    refundedAt: new Date(at).toISOString(),
  };
}
