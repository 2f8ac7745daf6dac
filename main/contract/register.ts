/**
 * The register integration API (v1): a shop's own cash register (ERP, self-checkout, a web
 * shop's counter) sends orders by amount to this terminal, which takes the payment on its
 * customer display and keeps the order as a ledger sale like any other.
 *
 * HTTP + JSON under REGISTER_API_PREFIX on the host's port (loopback; the shop's LAN only with
 * --remote-registers, HTTPS), events over a WebSocket at REGISTER_EVENTS_PATH, an OpenAPI 3.1
 * document generated from these schemas at REGISTER_OPENAPI_PATH. Versioned by path: a breaking
 * change is /v2, never an edit here (additive changes only).
 *
 * Every request but POST /pair carries `Authorization: Bearer <token>`; without a valid one the
 * answer is 401 with an empty body and nothing else (not even whether the path exists).
 * Errors are `{ error: { code, message, field? } }` with the HTTP status of REGISTER_HTTP_STATUS.
 */
import { z } from 'zod';
import { MAX_AMOUNT_FEN, MAX_LINES } from './money';
import { amountFen, businessDate, id, isoTime, qty } from './domain';
import { pairingCode } from './displays';
import { PAY_CODE_STAGES } from './pay-code';
import type { ErrorCode } from './errors';

export const REGISTER_API_PREFIX = '/v1/register';
export const REGISTER_PAIR_PATH = `${REGISTER_API_PREFIX}/pair`;
export const REGISTER_ORDERS_PATH = `${REGISTER_API_PREFIX}/orders`;
export const REGISTER_EVENTS_PATH = `${REGISTER_API_PREFIX}/events`;
export const REGISTER_OPENAPI_PATH = `${REGISTER_API_PREFIX}/openapi.json`;

/**
 * The events WebSocket: a client that can set headers sends `Authorization: Bearer <token>` on
 * the upgrade; a browser, which cannot, offers the subprotocols REGISTER_WS_PROTOCOL and
 * REGISTER_WS_TOKEN_PREFIX + token (only REGISTER_WS_PROTOCOL is echoed back).
 */
export const REGISTER_WS_PROTOCOL = 'facepay-register.v1';
export const REGISTER_WS_TOKEN_PREFIX = 'token.';

/**
 * Callbacks: POSTed to the order's callbackUrl, body = a registerEvent (JSON), with
 *   X-Pos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(callbackSecret, t + "." + rawBody)>
 *   X-Pos-Event-Id: <event id>
 * The register verifies the signature over the raw body, refuses a t older than
 * CALLBACK_TOLERANCE_S, and drops an event id it has already handled (a retry, or a replay).
 * Any 2xx is an acknowledgement; anything else is retried with backoff (CALLBACK_RETRY_DELAYS_S).
 */
export const CALLBACK_SIGNATURE_HEADER = 'x-pos-signature';
export const CALLBACK_EVENT_ID_HEADER = 'x-pos-event-id';
export const CALLBACK_TOLERANCE_S = 300;
export const CALLBACK_RETRY_DELAYS_S = [1, 5, 30, 120, 600] as const;

/** How long a long-poll may wait at most (GET /orders/:orderNo?waitMs=). */
export const MAX_WAIT_MS = 60_000;

/** The register's own order/refund numbers: printable, path-safe, its idempotency keys. */
const registerKey = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only');
export const orderNo = registerKey;
export const refundNo = registerKey;

/** An amount a register asks for: whole fen, above zero, within the terminal's limit. */
export const orderAmountFen = z
  .number()
  .int('amount must be whole fen')
  .min(1, 'amount must be above zero')
  .max(MAX_AMOUNT_FEN, 'amount exceeds ¥1,000,000');

const registerName = z.string().trim().min(1, 'give a name').max(60);

// ---------------------------------------------------------------- pairing and the manager screen

/** A paired register as the manager's screen lists it. */
export const registerDevice = z.object({
  id,
  name: z.string().max(60),
  createdAt: isoTime,
  lastSeenAt: isoTime.nullable(),
  revokedAt: isoTime.nullable(),
});
export type RegisterDevice = z.infer<typeof registerDevice>;

export const registerOverview = z.object({
  registers: z.array(registerDevice),
  /** Where registers on the LAN reach the API (https), null unless --remote-registers. */
  remote: z
    .object({
      url: z.string().max(200),
      /** SHA-256 of the host's TLS certificate, to pin in the register. */
      fingerprint: z.string().max(120),
    })
    .nullable(),
  /** The loopback base URL (registers on this machine). */
  localUrl: z.string().max(200),
});
export type RegisterOverview = z.infer<typeof registerOverview>;

/** The manager screen's code: 8 digits, one use, 10 minutes, burnt by 5 wrong tries. */
export const registerPairingCode = pairingCode;
export type RegisterPairingCode = z.infer<typeof registerPairingCode>;

export const pairRequest = z
  .object({ code: z.string().regex(/^\d{8}$/, 'expected the 8-digit code'), name: registerName })
  .strict();
export type PairRequest = z.infer<typeof pairRequest>;

export const pairResponse = z.object({
  registerId: id,
  registerName: z.string().max(60),
  /** The bearer token: shown once, stored only as a SHA-256 hash by the terminal. */
  token: z.string().min(32).max(128),
  /** Keys the HMAC of callbacks (X-Pos-Signature). Shown once; derived from the token. */
  callbackSecret: z.string().min(32).max(128),
});
export type PairResponse = z.infer<typeof pairResponse>;

// ---------------------------------------------------------------------------------- orders

export const orderLineInput = z
  .object({
    /** Free text, as the register's receipt says it. */
    name: z.string().trim().min(1, 'give the line a name').max(60),
    qty,
    unitPriceFen: amountFen,
  })
  .strict();
export type OrderLineInput = z.infer<typeof orderLineInput>;

export const DISCOUNT_KINDS = ['merchant', 'platform'] as const;
export const discountKind = z.enum(DISCOUNT_KINDS);
export type DiscountKind = z.infer<typeof discountKind>;

export const orderDiscountInput = z
  .object({
    /** merchant: the shop's own; platform: a payment platform's or a marketplace's subsidy. */
    kind: discountKind,
    amountFen: orderAmountFen,
    label: z.string().trim().max(60).optional(),
  })
  .strict();
export type OrderDiscountInput = z.infer<typeof orderDiscountInput>;

export const createOrderRequest = z
  .object({
    /** The register's own order number: the idempotency key (per register). */
    orderNo,
    /** What the customer pays. With lines: must equal sum(lines) - sum(discounts). */
    amountFen: orderAmountFen,
    lines: z.array(orderLineInput).max(MAX_LINES).optional(),
    discounts: z.array(orderDiscountInput).max(20).optional(),
    /** Where to POST this order's events (signed); http(s) only. */
    callbackUrl: z
      .string()
      .max(500)
      .url()
      .regex(/^https?:\/\//i, 'callbackUrl must be http(s)')
      .optional(),
  })
  .strict();
export type CreateOrderRequest = z.infer<typeof createOrderRequest>;

export const ORDER_STATUSES = ['open', 'paid', 'cancelled'] as const;
export const orderStatus = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatus>;

/** How a register order may be paid. */
export const ORDER_PAY_METHODS = ['cash', 'card', 'face', 'paycode', 'qr'] as const;
export const orderPayMethod = z.enum(ORDER_PAY_METHODS);
export type OrderPayMethod = z.infer<typeof orderPayMethod>;

export const orderLine = z.object({
  lineNo: z.number().int().min(1),
  name: z.string(),
  qty: z.number().int(),
  unitPriceFen: z.number().int(),
  grossFen: z.number().int(),
  /** This line's share of the order's discounts (largest remainder: shares sum to them). */
  discountFen: z.number().int(),
  /** gross - discount; the lines' nets sum to the order's amount. */
  netFen: z.number().int(),
});
export type OrderLine = z.infer<typeof orderLine>;

export const orderDiscount = z.object({
  kind: discountKind,
  label: z.string().nullable(),
  amountFen: z.number().int(),
});

export const orderPayment = z.object({
  id,
  /** As the ledger records it ('qr' for a payment code or QR payment). */
  method: z.enum(['cash', 'card', 'face', 'qr']),
  amountFen: z.number().int(),
  tenderedFen: z.number().int().nullable(),
  changeFen: z.number().int(),
  reference: z.string().nullable(),
  createdAt: isoTime,
});

export const orderRefund = z.object({
  refundNo,
  /** The ledger's refund id. */
  refundId: id,
  amountFen: z.number().int(),
  reason: z.string(),
  lines: z.array(
    z.object({ lineNo: z.number().int(), qty: z.number().int(), amountFen: z.number().int() }),
  ),
  byMethod: z.array(
    z.object({ method: z.enum(['cash', 'card', 'face', 'qr']), amountFen: z.number().int() }),
  ),
  createdAt: isoTime,
});
export type OrderRefund = z.infer<typeof orderRefund>;

/**
 * A payment code's charge for the order (method paycode): the till's stages while it runs
 * (charging, waiting_for_buyer with the seconds the buyer has left, checking, cancelling), then
 * how it ended: paid; refused (nothing charged, the acquirer's code and words); unknown (the
 * acquirer would not say and would not cancel: the terminal keeps asking, the order stays open).
 */
export const CODE_PAYMENT_STAGES = [...PAY_CODE_STAGES, 'paid', 'refused', 'unknown'] as const;
export const orderCodePayment = z.object({
  stage: z.enum(CODE_PAYMENT_STAGES),
  secondsLeft: z.number().int().min(0).nullable(),
  /** The code's ends only (a payment code is a bearer credential). */
  masked: z.string().max(16),
  /** refused / unknown: the acquirer's code and words; otherwise null. */
  code: z.string().max(100).nullable(),
  message: z.string().max(500).nullable(),
});
export type OrderCodePayment = z.infer<typeof orderCodePayment>;

export const registerOrder = z.object({
  orderNo,
  registerId: id,
  registerName: z.string(),
  /** The ledger sale this order is. */
  saleId: id,
  /** Set once paid. */
  receiptNo: z.string().nullable(),
  status: orderStatus,
  businessDate,
  amountFen: z.number().int(),
  paidFen: z.number().int(),
  dueFen: z.number().int(),
  changeFen: z.number().int(),
  refundedFen: z.number().int(),
  lines: z.array(orderLine),
  discounts: z.array(orderDiscount),
  payments: z.array(orderPayment),
  refunds: z.array(orderRefund),
  /** What the order waits on now: face pay under way on the customer display, or nothing. */
  awaiting: z.enum(['face', 'paycode', 'qr']).nullable(),
  /** The last payment code charged for this order, as it stands (null: none since start-up). */
  codePayment: orderCodePayment.nullable(),
  callbackUrl: z.string().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  /**
   * Goes up by one at every change: a long-poll with `version` returns as soon as the order's
   * version differs from it.
   */
  version: z.number().int().min(1),
});
export type RegisterOrder = z.infer<typeof registerOrder>;

/** GET /orders/:orderNo query: a long-poll when waitMs is given. */
export const getOrderQuery = z
  .object({
    waitMs: z.coerce.number().int().min(0).max(MAX_WAIT_MS).optional(),
    /** The version the register already has; default: the current one (wait for any change). */
    version: z.coerce.number().int().min(0).optional(),
  })
  .strict();
export type GetOrderQuery = z.infer<typeof getOrderQuery>;

/** POST /orders/:orderNo/pay */
export const payRequest = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal('cash'),
      /** Default: all that is due. */
      amountFen: orderAmountFen.optional(),
      /** What the customer handed over (default: the amount); change = tendered - amount. */
      tenderedFen: orderAmountFen.optional(),
    })
    .strict(),
  z
    .object({
      method: z.literal('card'),
      amountFen: orderAmountFen.optional(),
      /** The card terminal's reference (auth code, slip number). */
      reference: z.string().max(128).optional(),
    })
    .strict(),
  /** The customer display offers face pay for the order; the result comes as an event. */
  z.object({ method: z.literal('face') }).strict(),
  /** The customer's payment code (scanned by the register). */
  z.object({ method: z.literal('paycode'), code: z.string().min(10).max(64) }).strict(),
  /** A QR code for the customer to scan (qrContent in the answer). */
  z.object({ method: z.literal('qr') }).strict(),
]);
export type PayRequest = z.infer<typeof payRequest>;

export const payResponse = z.object({
  order: registerOrder,
  /** method qr: what the customer display shows as a QR code (the register may show it too). */
  qrContent: z.string().nullable(),
});
export type PayResponse = z.infer<typeof payResponse>;

/** POST /orders/:orderNo/cancel: only an order with no payment. */
export const cancelRequest = z.object({ reason: z.string().trim().max(200).optional() }).strict();
export type CancelRequest = z.infer<typeof cancelRequest>;

/**
 * POST /orders/:orderNo/refunds: full (neither amountFen nor lines), partial by amount, or by
 * lines. Keyed by refundNo: the same refundNo again with the same content returns the same
 * refund; with other content, 409. The till's approval policy applies: APPROVAL_REQUIRED means
 * "send it again with a manager's PIN" (managerPin).
 */
export const refundRequest = z
  .object({
    refundNo,
    amountFen: orderAmountFen.optional(),
    lines: z
      .array(z.object({ lineNo: z.number().int().min(1), qty }).strict())
      .min(1)
      .max(MAX_LINES)
      .optional(),
    reason: z.string().trim().min(1, 'give a reason').max(200),
    managerPin: z
      .string()
      .regex(/^\d{4,12}$/)
      .optional(),
  })
  .strict()
  .refine((r) => r.amountFen === undefined || r.lines === undefined, {
    message: 'give amountFen or lines, not both',
    path: ['amountFen'],
  });
export type RefundRequest = z.infer<typeof refundRequest>;

export const refundResponse = z.object({ refund: orderRefund, order: registerOrder });
export type RefundResponse = z.infer<typeof refundResponse>;

/** GET /orders?date=YYYY-MM-DD (default: today's business day): this register's day. */
export const dayListQuery = z.object({ date: businessDate.optional() }).strict();
export type DayListQuery = z.infer<typeof dayListQuery>;

export const methodAmount = z.object({
  method: z.enum(['cash', 'card', 'face', 'qr']),
  amountFen: z.number().int(),
});

export const dayList = z.object({
  registerId: id,
  registerName: z.string(),
  businessDate,
  orders: z.array(registerOrder),
  totals: z.object({
    /** Orders paid (cancelled and open ones are listed but not counted). */
    paidCount: z.number().int(),
    paidFen: z.number().int(),
    refundedFen: z.number().int(),
    /** paid - refunded */
    netFen: z.number().int(),
    byMethod: z.array(methodAmount),
  }),
});
export type DayList = z.infer<typeof dayList>;

// ---------------------------------------------------------------------------------- events

export const REGISTER_EVENT_TYPES = [
  'order.created',
  /** Any change that is none of the others (a part payment, face pay started or stopped). */
  'order.updated',
  'order.paid',
  'order.cancelled',
  'order.refunded',
] as const;
export const registerEventType = z.enum(REGISTER_EVENT_TYPES);
export type RegisterEventType = z.infer<typeof registerEventType>;

/** One event: on the WebSocket (a text frame each), and as a callback's body. */
export const registerEvent = z.object({
  /** Unique; a retried callback carries the same id. */
  id,
  type: registerEventType,
  createdAt: isoTime,
  registerId: id,
  order: registerOrder,
});
export type RegisterEvent = z.infer<typeof registerEvent>;

// ---------------------------------------------------------------------------------- errors

/** The body of every error answer but 401 (which has none). */
export const registerErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});

/** HTTP status per error code; unlisted codes are 400. */
export const REGISTER_HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  VALIDATION: 400,
  AMOUNT_OUT_OF_RANGE: 400,
  FORBIDDEN: 403,
  APPROVAL_REQUIRED: 403,
  PIN_REQUIRED: 403,
  PIN_WRONG: 403,
  PIN_LOCKED: 429,
  NOT_FOUND: 404,
  ORDER_CONFLICT: 409,
  BUSY: 409,
  SALE_NOT_OPEN: 409,
  SALE_HAS_PAYMENTS: 409,
  OVERPAYMENT: 409,
  REFUND_EXCEEDS_PAID: 409,
  NO_OPEN_SHIFT: 409,
  SIGN_IN_REQUIRED: 409,
  NOT_SUPPORTED: 501,
  INTERNAL: 500,
};

export function registerHttpStatus(code: ErrorCode): number {
  return REGISTER_HTTP_STATUS[code] ?? 400;
}

/** The manager screen's core channels (request/response schemas are in channels.ts). */
export const REGISTER_CHANNELS = [
  'registers.list',
  'registers.pairingCode',
  'registers.rename',
  'registers.revoke',
] as const;
