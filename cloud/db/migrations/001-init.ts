import type { Migration } from './index';

/**
 * The first schema. Money columns are bigint fen. Ids are text chosen by the service (random
 * UUID-based, so replicas never coordinate to mint one) or by the terminal (event ids).
 */
export const m001: Migration = {
  version: 1,
  name: 'init',
  sql: `
-- The cloud's long-lived keys (the X25519 key terminals encrypt embeddings to). In the database
-- rather than on one replica's disk, so that every replica can open what any terminal sealed.
CREATE TABLE cloud_keys (
  name text PRIMARY KEY,
  private_key_pem text NOT NULL,
  public_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stores (
  id text PRIMARY KEY,
  name text NOT NULL,
  timezone text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE terminals (
  id text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (id),
  name text NOT NULL,
  -- The HMAC key. The server must hold it to verify signatures.
  secret bytea NOT NULL,
  paired_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- Only a hash of a pairing code is kept; a code is used once and expires.
CREATE TABLE pairing_codes (
  code_hash text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (id),
  terminal_name text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  terminal_id text
);

-- Nonces seen within the timestamp window: a second request with one of them is a replay.
CREATE TABLE request_nonces (
  terminal_id text NOT NULL,
  nonce text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (terminal_id, nonce)
);
CREATE INDEX request_nonces_expiry ON request_nonces (expires_at);

CREATE TABLE payers (
  id text PRIMARY KEY,
  name text NOT NULL,
  phone text NOT NULL,
  phone_tail text NOT NULL,
  balance_fen bigint NOT NULL CHECK (balance_fen >= 0),
  per_tx_limit_fen bigint NOT NULL CHECK (per_tx_limit_fen >= 0),
  daily_limit_fen bigint NOT NULL CHECK (daily_limit_fen >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Every movement of a wallet, append-only; balance_fen is their running sum.
CREATE TABLE wallet_entries (
  id bigserial PRIMARY KEY,
  payer_id text NOT NULL REFERENCES payers (id),
  kind text NOT NULL CHECK (kind IN ('topup', 'payment', 'refund')),
  amount_fen bigint NOT NULL,
  reference text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (payer_id, kind, reference)
);

-- What a payer agreed to, when, and who recorded it.
CREATE TABLE consents (
  id bigserial PRIMARY KEY,
  payer_id text NOT NULL REFERENCES payers (id),
  purpose text NOT NULL,
  text_version text NOT NULL,
  recorded_by text NOT NULL,
  source text NOT NULL,
  accepted_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);

-- change_seq orders every insert and revocation. Writers take an advisory lock, so the numbers
-- commit in order and a replica can follow the table by "change_seq > last seen".
CREATE SEQUENCE template_change_seq;
CREATE TABLE face_templates (
  id bigserial PRIMARY KEY,
  payer_id text NOT NULL REFERENCES payers (id),
  -- 512 float32, little-endian, L2-normalised.
  embedding bytea NOT NULL,
  consent_id bigint NOT NULL REFERENCES consents (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  change_seq bigint NOT NULL
);
CREATE INDEX face_templates_change ON face_templates (change_seq);
CREATE INDEX face_templates_payer ON face_templates (payer_id);

-- Issued by a unique match; good once, for one terminal and one amount, for a short time.
CREATE TABLE payer_tokens (
  token_hash text PRIMARY KEY,
  payer_id text NOT NULL REFERENCES payers (id),
  terminal_id text NOT NULL REFERENCES terminals (id),
  amount_fen bigint NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- One row per idempotency key. 'pending' exists only inside the authorising transaction.
CREATE TABLE payments (
  id text PRIMARY KEY,
  terminal_id text NOT NULL REFERENCES terminals (id),
  store_id text NOT NULL REFERENCES stores (id),
  idempotency_key text NOT NULL,
  sale_id text NOT NULL,
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  payer_id text REFERENCES payers (id),
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
  decline_code text,
  refunded_fen bigint NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen),
  pay_date date NOT NULL,
  created_at timestamptz NOT NULL,
  UNIQUE (terminal_id, idempotency_key)
);
CREATE INDEX payments_payer_day ON payments (payer_id, pay_date);

CREATE TABLE refunds (
  id text PRIMARY KEY,
  terminal_id text NOT NULL REFERENCES terminals (id),
  idempotency_key text NOT NULL,
  payment_id text NOT NULL REFERENCES payments (id),
  amount_fen bigint NOT NULL CHECK (amount_fen > 0),
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
  decline_code text,
  reason text,
  created_at timestamptz NOT NULL,
  UNIQUE (terminal_id, idempotency_key)
);

-- The terminals' outbox events, as sent. Reports read the known types; others wait here.
CREATE TABLE events (
  terminal_id text NOT NULL,
  id text NOT NULL,
  store_id text NOT NULL,
  type text NOT NULL,
  created_at timestamptz NOT NULL,
  business_date date,
  payload jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, id)
);
CREATE INDEX events_report ON events (store_id, business_date, type);

CREATE TABLE members (
  id text PRIMARY KEY,
  store_id text NOT NULL REFERENCES stores (id),
  payer_id text NOT NULL REFERENCES payers (id),
  points bigint NOT NULL DEFAULT 0 CHECK (points >= 0),
  consent_text_version text NOT NULL,
  consent_accepted_at timestamptz NOT NULL,
  consent_terminal_id text NOT NULL,
  joined_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (store_id, payer_id)
);

CREATE TABLE coupons (
  id text PRIMARY KEY,
  member_id text NOT NULL REFERENCES members (id),
  title text NOT NULL,
  discount_fen bigint NOT NULL CHECK (discount_fen > 0),
  min_spend_fen bigint NOT NULL DEFAULT 0,
  expires_at timestamptz,
  redeemed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX coupons_member ON coupons (member_id);

-- Same ordering device as the templates: upserts take an advisory lock and a new version.
CREATE SEQUENCE catalog_version_seq;
CREATE TABLE products (
  sku text PRIMARY KEY,
  barcode text NOT NULL,
  name_zh text NOT NULL,
  name_en text NOT NULL,
  category text NOT NULL,
  price_fen bigint NOT NULL CHECK (price_fen >= 0),
  tax_rate_bp integer NOT NULL,
  active boolean NOT NULL,
  version bigint NOT NULL
);
CREATE INDEX products_version ON products (version);
`,
};
