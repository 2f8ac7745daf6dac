/**
 * The cloud's HTTP API: every request and response body as a zod schema. The server parses
 * requests with these and the terminal-side client (cloud/client) parses responses with them, so
 * both ends agree by construction. Money is integer fen, as everywhere in the product.
 *
 * This module imports only zod and the terminal's contract (for the product and payment-method
 * shapes), so the client can use it under plain Node.
 */
import { z } from 'zod';
import {
  PAYMENT_METHODS,
  amountFen,
  businessDate,
  faceDebit,
  fen,
  id,
  product,
} from '../main/contract';

export const CLOUD_ERROR_CODES = [
  'VALIDATION',
  'DECRYPTION_FAILED',
  'UNAUTHENTICATED',
  'SIGNATURE_INVALID',
  'TIMESTAMP_OUT_OF_WINDOW',
  'REPLAYED',
  'PAIRING_CODE_INVALID',
  'FORBIDDEN',
  'NOT_FOUND',
  'IDEMPOTENCY_KEY_REUSED',
  'PAYMENT_NOT_REFUNDABLE',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  /** 429: too many calls from this address, this terminal or on this payer; see Retry-After. */
  'RATE_LIMITED',
  /** The terminal's key was revoked in the back office: pair the terminal again. */
  'TERMINAL_REVOKED',
  'LIVENESS_REQUIRED',
  'UNAVAILABLE',
  'INTERNAL',
] as const;
export type CloudErrorCode = (typeof CLOUD_ERROR_CODES)[number];

export const errorBody = z.object({
  error: z.object({
    code: z.enum(CLOUD_ERROR_CODES),
    message: z.string(),
    field: z.string().optional(),
  }),
});

/**
 * Why an authorisation was declined. A decline is a result, stored under the idempotency key
 * like an approval: asking again with the same key gives the same answer.
 */
export const DECLINE_CODES = [
  'TOKEN_INVALID',
  'TOKEN_AMOUNT_MISMATCH',
  'OVER_TRANSACTION_LIMIT',
  'OVER_DAILY_LIMIT',
  'INSUFFICIENT_BALANCE',
  'REFUND_EXCEEDS_PAID',
] as const;
export type DeclineCode = (typeof DECLINE_CODES)[number];

const b64url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'expected base64url');
const isoTime = z.iso.datetime({ offset: true });
const positiveFen = amountFen.refine((v) => v > 0, 'amount must be positive');
/** Chosen by the terminal, unique per terminal; a UUID is the usual choice. */
const idempotencyKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,100}$/, 'expected 8-100 key chars');
const phoneTail = z.string().regex(/^\d{4}$/, 'expected the last 4 digits of the phone');
const phone = z.string().regex(/^\+?\d{7,15}$/, 'expected 7-15 digits');

// ---------------------------------------------------------------------------------------------
// Encryption and pairing

/** An embedding sealed to the cloud's X25519 key (see cloud/crypto/seal.ts). */
export const sealedBox = z
  .object({
    v: z.literal(1),
    epk: b64url.length(43),
    iv: b64url.length(16),
    ct: b64url.max(8192),
  })
  .strict();
export type SealedBox = z.infer<typeof sealedBox>;

export const publicKeyResponse = z.object({
  alg: z.literal('X25519-HKDF-SHA256-A256GCM'),
  publicKey: b64url,
});
export const paymentKeyResponse = z.object({
  alg: z.literal('Ed25519'),
  publicKey: b64url.length(43),
});

export const pairRequest = z
  .object({
    code: z.string().min(4).max(32),
    terminalName: z.string().min(1).max(64).optional(),
  })
  .strict();
export const pairResponse = z.object({
  terminalId: id,
  storeId: id,
  /** The HMAC key for signing every later request; shown once, keep it in the terminal's data. */
  secret: b64url,
  identifyPublicKey: b64url,
  /** The cloud's Ed25519 key that signs every approved face payment (paymentRecord.authorisation). */
  paymentPublicKey: b64url.length(43),
  serverTime: isoTime,
});
export type PairResponse = z.infer<typeof pairResponse>;

// ---------------------------------------------------------------------------------------------
// Identify

/** Milliseconds since the epoch on the terminal's clock (the clock it signs requests with). */
const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);

/**
 * What the terminal's face session measured, sent inside the signed identify request: the cloud
 * weighs it itself (cloud/identify/liveness-policy.ts) rather than taking a verdict.
 */
export const livenessEvidence = z
  .object({
    /** Good frames the scores come from. */
    frames: z.number().int().min(1).max(100),
    /** fr_liveness's live probability for each of those frames, oldest first. */
    scores: z.array(z.number().min(0).max(1)).min(1).max(100),
    /** Their mean, as the terminal computed it (the cloud checks it against the scores). */
    meanScore: z.number().min(0).max(1),
    firstFrameAt: epochMs,
    lastFrameAt: epochMs,
    /** The frames carried depth and the face had relief (a flat photo or screen has none). */
    depth: z.boolean().optional(),
  })
  .strict();
export type LivenessEvidence = z.infer<typeof livenessEvidence>;

export const identifyRequest = z
  .object({
    sealedEmbedding: sealedBox,
    liveness: livenessEvidence,
    /** The amount the customer is about to confirm; the token is good for exactly this. */
    amountFen: positiveFen,
    /** Set on the second attempt, after an "ambiguous" answer. */
    phoneTail: phoneTail.optional(),
  })
  .strict();

export const coupon = z.object({
  couponId: id,
  title: z.string(),
  discountFen: fen,
  minSpendFen: fen,
  expiresAt: isoTime.nullable(),
});
export type Coupon = z.infer<typeof coupon>;

export const memberGreeting = z.object({
  memberId: id,
  points: z.number().int(),
  coupons: z.array(coupon),
});
export type MemberGreeting = z.infer<typeof memberGreeting>;

export const identifyResponse = z.discriminatedUnion('result', [
  z.object({
    result: z.literal('match'),
    /** Single use, for this terminal and this amount, for a couple of minutes. */
    token: b64url,
    tokenExpiresAt: isoTime,
    /** What the confirmation shows ("Pay ¥12.50 as 张*丰?"); no phone digits. */
    payer: z.object({ maskedName: z.string() }),
  }),
  /** Two payers are too close to tell apart: ask the customer for the last 4 phone digits. */
  z.object({ result: z.literal('ambiguous'), ask: z.literal('phone_tail') }),
  z.object({ result: z.literal('no_match') }),
]);
export type IdentifyResponse = z.infer<typeof identifyResponse>;

// ---------------------------------------------------------------------------------------------
// Payments

export const authoriseRequest = z
  .object({
    token: b64url.min(20).max(100),
    amountFen: positiveFen,
    saleId: id,
    idempotencyKey,
  })
  .strict();

export const paymentRecord = z.object({
  paymentId: id,
  idempotencyKey,
  saleId: id,
  amountFen: fen,
  status: z.enum(['approved', 'declined']),
  declineCode: z.enum(DECLINE_CODES).nullable(),
  refundedFen: fen,
  maskedName: z.string().nullable(),
  createdAt: isoTime,
  /**
   * On an approved payment's answer (authorise, status by key): the payer's membership of this
   * store, to greet them; null for a non-member. Never sent before the payment is authorised.
   */
  member: memberGreeting.nullable().optional(),
  /**
   * Approved only: the cloud's signed word that it debited the payer for this terminal's sale;
   * the terminal records the face payment only if it verifies (main/ledger/face-debit.ts).
   */
  authorisation: faceDebit.nullable(),
});
export type PaymentRecord = z.infer<typeof paymentRecord>;

/**
 * A refund names the sale and the cloud's payment it goes back to; the cloud credits only a
 * debit of ITS OWN for that sale of that terminal (never a payment the terminal merely names).
 */
export const refundRequest = z
  .object({
    saleId: id,
    paymentId: id,
    amountFen: positiveFen,
    idempotencyKey,
    reason: z.string().max(200).optional(),
  })
  .strict();

export const refundRecord = z.object({
  refundId: id,
  idempotencyKey,
  paymentId: id,
  amountFen: fen,
  status: z.enum(['approved', 'declined']),
  declineCode: z.enum(DECLINE_CODES).nullable(),
  createdAt: isoTime,
});
export type RefundRecord = z.infer<typeof refundRecord>;

export const byKeyParams = z.object({ key: idempotencyKey }).strict();

// ---------------------------------------------------------------------------------------------
// Event ingestion and reports

export const MAX_EVENTS_PER_BATCH = 1000;
/**
 * The body limit of an event batch: 1,000 events of a few hundred bytes each are well under a
 * megabyte; the terminal cuts batches at 4 MiB (main/sync maxBatchBytes) and the cloud takes 8.
 */
export const INGEST_BODY_LIMIT = 8 * 1024 * 1024;

export const eventEnvelope = z
  .object({
    /** The outbox id given at write time; unique per terminal. */
    id,
    type: z.string().min(1).max(64),
    terminalId: id,
    createdAt: isoTime,
    payload: z.record(z.string(), z.unknown()),
  })
  .strict();
export type EventEnvelope = z.infer<typeof eventEnvelope>;

export const ingestRequest = z
  .object({ events: z.array(eventEnvelope).min(1).max(MAX_EVENTS_PER_BATCH) })
  .strict();
export const ingestResponse = z.object({
  /** Every id of the batch: stored now or already stored. The terminal may mark them sent. */
  acknowledged: z.array(id),
  /** How many were new. */
  inserted: z.number().int(),
});
export type IngestResponse = z.infer<typeof ingestResponse>;

/**
 * The terminal's audit chain head at sync (cloud/audit/service.ts): `head` is its newest link;
 * `check` its MAC at the seq the cloud said it holds (null until the terminal knows that seq).
 */
const chainLink = z
  .object({
    seq: z.number().int().min(1),
    mac: z.string().regex(/^[0-9a-f]{0,64}$/, 'expected a hex MAC'),
  })
  .strict();
export const anchorRequest = z.object({ head: chainLink, check: chainLink.nullable() }).strict();
export type AnchorRequest = z.infer<typeof anchorRequest>;
export const anchorResponse = z.object({
  /**
   * ok: the head is anchored; check: send again with `check` at heldSeq; mismatch: the chain
   * differs from what the cloud holds at `seq` (the terminal is flagged).
   */
  status: z.enum(['ok', 'check', 'mismatch']),
  heldSeq: z.number().int().min(0),
  seq: z.number().int().optional(),
  reason: z.string().optional(),
});
export type AnchorResponse = z.infer<typeof anchorResponse>;
export const auditAlert = z.object({
  id: z.number().int(),
  terminalId: z.string(),
  storeId: z.string(),
  seq: z.number().int(),
  kind: z.enum(['rewritten', 'truncated']),
  detail: z.string(),
  raisedAt: z.string(),
});
export type AuditAlert = z.infer<typeof auditAlert>;
export const auditAlertsResponse = z.object({ alerts: z.array(auditAlert) });

const methodAmount = z.object({ method: z.enum(PAYMENT_METHODS), amountFen: fen });
/** A sale's payment as reported: face payments name the cloud's debit (checked on arrival). */
const salePayment = methodAmount.extend({ reference: z.string().max(128).nullable().optional() });

/** Payloads of the event types the reports read. Extra fields are kept and ignored. */
/** Where a sale came from when not the till itself: a paired register's order. */
export const saleOrigin = z
  .object({
    kind: z.literal('register'),
    registerId: id,
    registerName: z.string().max(60),
    orderNo: z.string().max(64),
  })
  .strict();
export type SaleOrigin = z.infer<typeof saleOrigin>;

export const saleCompletedPayload = z.looseObject({
  origin: saleOrigin.optional(),
  saleId: id,
  receiptNo: z.string().max(64).nullable(),
  businessDate,
  totalFen: fen,
  taxFen: fen,
  payments: z.array(salePayment).max(50),
});
export const refundCreatedPayload = z.looseObject({
  refundId: id,
  saleId: id,
  businessDate,
  amountFen: fen,
  /** The tax contained in amountFen: the store report nets it from the sales' tax. */
  taxFen: fen,
  byMethod: z.array(methodAmount).max(50),
});
export type SaleCompletedPayload = z.infer<typeof saleCompletedPayload>;
export type RefundCreatedPayload = z.infer<typeof refundCreatedPayload>;

export const dailyReportQuery = z.object({ date: businessDate }).strict();
export const storeParams = z.object({ storeId: id }).strict();

const totals = {
  salesCount: z.number().int(),
  salesFen: fen,
  refundsCount: z.number().int(),
  refundsFen: fen,
  /** salesFen - refundsFen */
  netFen: fen,
};

export const storeDailyReport = z.object({
  storeId: id,
  businessDate,
  ...totals,
  taxFen: fen,
  byMethod: z.array(
    z.object({
      method: z.string(),
      paymentsCount: z.number().int(),
      salesFen: fen,
      refundsFen: fen,
      netFen: fen,
    }),
  ),
  byTerminal: z.array(z.object({ terminalId: id, ...totals })),
  /**
   * The store's terminals whose audit chain no longer matches the anchors the cloud holds
   * (cloud/audit; a flag stays): their figures above may not be the truth.
   */
  auditAlerts: z.array(auditAlert).optional(),
});
export type StoreDailyReport = z.infer<typeof storeDailyReport>;

export const chainDailyReport = z.object({
  businessDate,
  stores: z.array(z.object({ storeId: id, ...totals })),
});
export type ChainDailyReport = z.infer<typeof chainDailyReport>;

// ---------------------------------------------------------------------------------------------
// Membership

export const joinRequest = z
  .object({
    /** The approved face payment the customer has just made at this store. */
    paymentId: id,
    consent: z.object({ textVersion: z.string().min(1).max(64), acceptedAt: isoTime }).strict(),
  })
  .strict();
export const joinResponse = z.object({
  memberId: id,
  storeId: id,
  /** False when the payer was already a member (nothing changed). */
  joined: z.boolean(),
  maskedName: z.string(),
  maskedPhone: z.string(),
  points: z.number().int(),
  coupons: z.array(coupon),
});
export type JoinResponse = z.infer<typeof joinResponse>;

// ---------------------------------------------------------------------------------------------
// Catalog

export const catalogProduct = product.extend({
  /** False: withdrawn from sale; the terminal hides it. */
  active: z.boolean().default(true),
});
export type CatalogProductInput = z.input<typeof catalogProduct>;

export const catalogQuery = z
  .object({
    since: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(500),
  })
  .strict();
export const catalogResponse = z.object({
  products: z.array(catalogProduct.extend({ version: z.number().int() })),
  /** Pass as `since` next time. */
  version: z.number().int(),
  hasMore: z.boolean(),
});
export type CatalogResponse = z.infer<typeof catalogResponse>;

// ---------------------------------------------------------------------------------------------
// Admin (the shop's back office; bearer admin token)

export const createStoreRequest = z
  .object({
    storeId: id,
    name: z.string().min(1).max(100),
    timezone: z.string().max(64).default('Asia/Shanghai'),
  })
  .strict();

export const pairingCodeRequest = z
  .object({ storeId: id, terminalName: z.string().min(1).max(64).default('terminal') })
  .strict();
export const pairingCodeResponse = z.object({ code: z.string(), expiresAt: isoTime });

export const createPayerRequest = z
  .object({
    name: z.string().min(1).max(100),
    phone,
    balanceFen: amountFen.default(0),
    perTxLimitFen: amountFen.optional(),
    dailyLimitFen: amountFen.optional(),
  })
  .strict();
export const payerView = z.object({
  payerId: id,
  name: z.string(),
  phone: z.string(),
  balanceFen: fen,
  perTxLimitFen: fen,
  dailyLimitFen: fen,
  templates: z.number().int(),
});
export type PayerView = z.infer<typeof payerView>;
export const payerParams = z.object({ payerId: id }).strict();

export const limitsRequest = z
  .object({ perTxLimitFen: amountFen.optional(), dailyLimitFen: amountFen.optional() })
  .strict();
export const topupRequest = z
  .object({ amountFen: positiveFen, reference: z.string().min(1).max(100) })
  .strict();

export const ENROL_SOURCES = ['images', 'camera', 'vectors'] as const;

const enrolConsent = z
  .object({
    textVersion: z.string().min(1).max(64),
    /** Who took the consent (staff id, "cli", a terminal id). */
    recordedBy: z.string().min(1).max(100),
    acceptedAt: isoTime.optional(),
  })
  .strict();

export const enrolRequest = z
  .object({
    /** Plain vectors (back office on a trusted network) or sealed ones (from a terminal camera). */
    embeddings: z.array(z.array(z.number()).min(1).max(4096)).min(1).max(20).optional(),
    sealedEmbeddings: z.array(sealedBox).min(1).max(20).optional(),
    source: z.enum(ENROL_SOURCES),
    consent: enrolConsent,
  })
  .strict()
  .refine((r) => (r.embeddings === undefined) !== (r.sealedEmbeddings === undefined), {
    message: 'give exactly one of embeddings or sealedEmbeddings',
    path: ['embeddings'],
  });
/** Photos per enrolment request, and the largest photo taken (a phone's JPEG fits). */
export const MAX_ENROL_PHOTOS = 8;
export const MAX_ENROL_PHOTO_BYTES = 4 * 1024 * 1024;
const base64Of = (bytes: number) =>
  z
    .string()
    .min(4)
    .max(Math.ceil(bytes / 3) * 4)
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64');

/**
 * Enrolment from photos (JPEG, PNG, WebP or AVIF, base64): embedded by the cloud and never
 * stored, only the templates are. Each photo must show the payer's face (others may be behind,
 * smaller); a bad photo is left out with its reason when enough good ones remain.
 */
export const enrolPhotosRequest = z
  .object({
    images: z.array(base64Of(MAX_ENROL_PHOTO_BYTES)).min(1).max(MAX_ENROL_PHOTOS),
    consent: enrolConsent,
  })
  .strict();
/** The body limit of a photo enrolment (every photo at its largest, base64, and the rest). */
export const ENROL_PHOTOS_BODY_LIMIT =
  MAX_ENROL_PHOTOS * Math.ceil(MAX_ENROL_PHOTO_BYTES / 3) * 4 + 64 * 1024;

/** 20 plain embeddings of up to 4,096 numbers as JSON text, with room to spare. */
export const ENROL_BODY_LIMIT = 2 * 1024 * 1024;

export const enrolResponse = z.object({
  templateIds: z.array(z.number().int()),
  templates: z.number().int(),
  /** Photos left out of a photo enrolment, by field, with the reason (the others enrolled). */
  refused: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});

/** 1,000 products of about a kilobyte each at most. */
export const PRODUCTS_BODY_LIMIT = 2 * 1024 * 1024;
export const upsertProductsRequest = z
  .object({ products: z.array(catalogProduct).min(1).max(1000) })
  .strict();
export const upsertProductsResponse = z.object({
  version: z.number().int(),
  upserted: z.number().int(),
});

export const memberParams = z.object({ memberId: id }).strict();
export const couponRequest = z
  .object({
    title: z.string().min(1).max(100),
    discountFen: positiveFen,
    minSpendFen: amountFen.default(0),
    expiresAt: isoTime.optional(),
  })
  .strict();

/** Public, so it says only that the service is up: no counts, versions or storage. */
export const healthResponse = z.object({ ok: z.literal(true) }).strict();

// ---------------------------------------------------------------------------------------------
// Terminals and alerts (admin)

export const terminalView = z.object({
  terminalId: id,
  storeId: id,
  name: z.string(),
  pairedAt: isoTime,
  /** Set once revoked: every request signed with its key is refused from then on. */
  revokedAt: isoTime.nullable(),
});
export type TerminalView = z.infer<typeof terminalView>;
export const terminalList = z.object({ terminals: z.array(terminalView) });
export const terminalParams = z.object({ terminalId: id }).strict();

export const alertView = z.object({
  id: z.number().int(),
  at: isoTime,
  /** e.g. rate_limit.identifyPerTerminal */
  kind: z.string(),
  /** The terminal or payer id the alert is about. */
  subject: z.string(),
  detail: z.string(),
});
export const alertList = z.object({ alerts: z.array(alertView) });
export const alertsQuery = z
  .object({ limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();

// ---------------------------------------------------------------------------------------------
// Reconciliation

export const RECONCILIATION_KINDS = ['UNKNOWN_DEBIT', 'AMOUNT_MISMATCH'] as const;
/** A face payment a terminal reported that matches no debit of the cloud's own. */
export const reconciliationException = z.object({
  terminalId: id,
  eventId: id,
  saleId: id,
  /** The cloud payment id the terminal named (null: it named none). */
  paymentRef: z.string().nullable(),
  amountFen: fen,
  kind: z.enum(RECONCILIATION_KINDS),
  /** What the cloud debited for that payment, when it has one (AMOUNT_MISMATCH). */
  debitedFen: fen.nullable(),
  detectedAt: isoTime,
});
export type ReconciliationException = z.infer<typeof reconciliationException>;
export const reconciliationQuery = z.object({ storeId: id }).strict();
export const reconciliationExceptions = z.object({
  exceptions: z.array(reconciliationException),
});

// ---------------------------------------------------------------------------------------------
// The reference cloud as an acquirer (cloud/acquire): pay by a payer's one-time code, or by a QR
// the payer scans; query, cancel (close or reverse), refund, the day's settlement lines.

/** The terminal's idempotency key of a trade (main/core/payments/trade-no.ts: base 36 + _n). */
const outTradeNo = z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'expected 1-64 letters, digits or _');
const refundNo = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected 1-64 key chars');
/** A payer's one-time code as the phone shows it (digits; the prefix is checked by the service). */
const payCode = z.string().regex(/^\d{16,24}$/, 'expected the 16-24 digits of a payment code');
const subject = z.string().min(1).max(128);

export const acquirePayRequest = z
  .object({ outTradeNo, amountFen: positiveFen, code: payCode, subject })
  .strict();
export const acquirePrecreateRequest = z
  .object({
    outTradeNo,
    amountFen: positiveFen,
    subject,
    expiresInMinutes: z.number().int().min(1).max(120),
  })
  .strict();
export const acquireRefundRequest = z
  .object({ outTradeNo, refundNo, amountFen: positiveFen })
  .strict();
export const acquireTradeParams = z.object({ outTradeNo }).strict();
export const acquireRefundParams = z.object({ outTradeNo, refundNo }).strict();
/** A day that exists (2026-02-30 matches the pattern but is no day: the database would choke). */
const calendarDay = businessDate.refine((day) => {
  const at = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === day;
}, 'expected a real calendar day');
export const acquireBillQuery = z.object({ day: calendarDay }).strict();
export const acquireQrParams = z.object({ token: b64url.min(16).max(64) }).strict();

/** An acquirer's words for a refusal or a closed trade (codes like Alipay's, in English). */
const acquireReason = z.object({ code: z.string(), message: z.string() });

/**
 * A trade as the acquirer sees it. paid: money moved (refundedFen of it went back); waiting: the
 * buyer confirms on the phone, or the QR is not scanned yet; refused: nothing charged, with the
 * reason; closed: cancelled unpaid, expired, or reversed (`reason.code` TRADE_REVERSED).
 */
export const acquireTrade = z.object({
  outTradeNo,
  tradeNo: id,
  status: z.enum(['paid', 'waiting', 'refused', 'closed']),
  amountFen: fen,
  refundedFen: fen,
  paidAt: isoTime.nullable(),
  /** The payer's masked name, once the trade has one. */
  buyer: z.string().nullable(),
  reason: acquireReason.nullable(),
});
export type AcquireTrade = z.infer<typeof acquireTrade>;

export const acquireCancelResponse = z.object({
  outTradeNo,
  /** closed: nothing had been charged; reversed: the charge was credited back to the wallet. */
  action: z.enum(['closed', 'reversed', 'none']),
});
export const acquirePrecreateResponse = z.object({
  outTradeNo,
  tradeNo: id,
  /** What the QR encodes: `<cloud>/v1/acquire/qr/<token>` (cli `scan` pays it). */
  qrCode: z.string(),
  expiresAt: isoTime,
});
export const acquireRefund = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('refunded'),
    outTradeNo,
    refundNo,
    amountFen: fen,
    refundedAt: isoTime,
  }),
  z.object({ status: z.literal('refused'), outTradeNo, refundNo, reason: acquireReason }),
]);
export type AcquireRefund = z.infer<typeof acquireRefund>;

export const acquireBillLine = z.object({
  outTradeNo,
  tradeNo: id,
  kind: z.enum(['payment', 'refund']),
  amountFen: fen,
  at: isoTime,
  /** Refund lines: the terminal's refundNo, or "reversal" for a cancelled paid trade. */
  refundNo: z.string().optional(),
  terminalId: id,
});
export const acquireBill = z.object({
  storeId: id,
  day: businessDate,
  lines: z.array(acquireBillLine),
});

// The back office plays the payer's phone (cli paycode, confirm, scan).
export const paycodeRequest = z
  .object({ payerId: id, confirm: z.boolean().default(false) })
  .strict();
export const paycodeResponse = z.object({
  code: payCode,
  expiresAt: isoTime,
  confirm: z.boolean(),
});
export const confirmRequest = z.object({ payerId: id }).strict();
export const confirmResponse = z.object({ trades: z.array(acquireTrade) });
export const scanRequest = z.object({ payerId: id }).strict();
export const scanResponse = z.object({
  result: z.enum(['paid', 'already_paid', 'expired', 'refused']),
  amountFen: fen,
  subject: z.string(),
  reason: acquireReason.nullable(),
});
/** What a phone sees at the QR's URL before paying (public: the token is the capability). */
export const qrView = z.object({
  amountFen: fen,
  subject: z.string(),
  status: z.enum(['waiting', 'paid', 'closed']),
  expiresAt: isoTime,
});
