import type { Migration } from './index';

/**
 * The reference cloud as an acquirer (cloud/acquire): payers' one-time payment codes, trades by
 * code or QR keyed by the terminal's outTradeNo, and refunds keyed by refundNo. Money itself
 * moves only in payers.balance_fen / wallet_entries (payers/wallet.ts), like face pay.
 */
export const m014: Migration = {
  version: 14,
  name: 'acquire',
  sql: `
-- A payer's one-time payment code (付款码), as their phone would show it. Only the hash is kept:
-- the code is a bearer credential for its minute. confirm: the payer confirms on the phone
-- (the trade waits until cli confirm), so the WAIT_BUYER_PAY path can be played.
CREATE TABLE acquire_codes (
  code_hash text PRIMARY KEY,
  payer_id text NOT NULL REFERENCES payers (id),
  confirm boolean NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX acquire_codes_expiry ON acquire_codes (expires_at);

-- One trade per (terminal, outTradeNo): the terminal's idempotency key. 'pending' exists only
-- inside the transaction that claims the number. A cancel of a number never seen leaves a
-- 'closed' row (amount 0), so a pay that arrives late under that number is refused.
CREATE TABLE acquire_trades (
  id text PRIMARY KEY,
  terminal_id text NOT NULL REFERENCES terminals (id),
  store_id text NOT NULL REFERENCES stores (id),
  out_trade_no text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('code', 'qr', 'cancelled')),
  amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
  subject text NOT NULL,
  code_hash text,
  qr_token_hash text UNIQUE,
  payer_id text REFERENCES payers (id),
  status text NOT NULL
    CHECK (status IN ('pending', 'waiting', 'paid', 'refused', 'closed', 'reversed')),
  reason_code text,
  reason_message text,
  refunded_fen bigint NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0),
  -- What a cancel of the paid trade sent back (the part not refunded before).
  reversed_fen bigint NOT NULL DEFAULT 0 CHECK (reversed_fen >= 0),
  expires_at timestamptz,
  paid_at timestamptz,
  reversed_at timestamptz,
  created_at timestamptz NOT NULL,
  UNIQUE (terminal_id, out_trade_no),
  CHECK (refunded_fen + reversed_fen <= amount_fen)
);
CREATE INDEX acquire_trades_waiting ON acquire_trades (payer_id) WHERE status = 'waiting';
CREATE INDEX acquire_trades_store_paid ON acquire_trades (store_id, paid_at);

-- Refunds that moved money, keyed by the terminal's refundNo per trade (a refusal is not stored:
-- it moved nothing, and the same refundNo may be sent again).
CREATE TABLE acquire_refunds (
  id text PRIMARY KEY,
  trade_id text NOT NULL REFERENCES acquire_trades (id),
  refund_no text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  store_id text NOT NULL REFERENCES stores (id),
  created_at timestamptz NOT NULL,
  UNIQUE (trade_id, refund_no)
);
CREATE INDEX acquire_refunds_store_day ON acquire_refunds (store_id, created_at);
`,
};
