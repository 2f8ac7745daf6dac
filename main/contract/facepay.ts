/**
 * Face pay as the screens see it: whether it is offered, the state of the current attempt, and
 * the small preview the customer display shows while the camera looks for the face.
 *
 *   idle ─start─▶ capturing ─embedding─▶ identifying ─match─▶ confirm ─confirm─▶ authorising ─▶ paid
 *                     │                      │ ambiguous                                 │
 *                     │                      ▼                                           │
 *                     │                  phoneTail ─4 digits─▶ identifying               │
 *                     └── no face, spoof, no match, declined, unreachable, cancel ───────┴─▶ failed
 *
 * A failed attempt leaves the sale open: the cashier takes another tender (QR, cash, card) or
 * starts face pay again. Pixels never travel in these messages except the preview, which is
 * small (at most 160 pixels wide), for the customer display only, and never logged.
 *
 * Also here: the binary format in which a capture page sends camera frames to main (the same
 * layout main/face's PushFrameSource.pushWire reads), so the browser page, the Electron capture
 * preload and main agree on one definition.
 */
import { z } from 'zod';
import { amountFen, id, isoTime } from './domain';

export const FACEPAY_PHASES = [
  'idle',
  'capturing',
  'identifying',
  'confirm',
  'phoneTail',
  'authorising',
  'paid',
  'failed',
] as const;
export type FacePayPhase = (typeof FACEPAY_PHASES)[number];

/** Phases in which an attempt is under way (a new start joins it rather than restarting). */
export const FACEPAY_ACTIVE_PHASES: readonly FacePayPhase[] = [
  'capturing',
  'identifying',
  'confirm',
  'phoneTail',
  'authorising',
];

/** While capturing: what the camera session is doing (the customer's instruction follows it). */
export const FACEPAY_STEPS = ['searching', 'holdStill', 'checkingLiveness'] as const;
export type FacePayStep = (typeof FACEPAY_STEPS)[number];

/** Per frame: what the customer should do now. */
export const FACEPAY_HINTS = [
  'LOOK_AT_CAMERA',
  'ONE_FACE_ONLY',
  'HOLD_STILL',
  'CHECKING',
  'FACE_TOO_SMALL',
  'FACE_TURNED',
  'FACE_TILTED',
  'BLURRY',
  'TOO_DARK',
  'TOO_BRIGHT',
  'EYES_CLOSED',
] as const;
export type FacePayHint = (typeof FACEPAY_HINTS)[number];

/** Why an attempt failed. Every one leaves the sale open for another tender. */
export const FACEPAY_FAILURES = [
  /** No face in front of the camera. */
  'NO_FACE',
  /** A face, but never clear enough (turned, too far, blurred, dark). */
  'FACE_NOT_USABLE',
  /** The liveness check did not pass (a photo or a screen). */
  'NOT_LIVE',
  'TIMEOUT',
  /** The camera failed or sent nothing. */
  'CAMERA_ERROR',
  /** The face matched nobody (or nobody with that phone number). */
  'NO_MATCH',
  /** Over the payer's per-payment or daily face-pay limit. */
  'OVER_LIMIT',
  'INSUFFICIENT_BALANCE',
  /** Declined for another reason (e.g. the match expired before the customer confirmed). */
  'DECLINED',
  /** No answer from the cloud. */
  'CLOUD_UNREACHABLE',
  /** The cart changed (or was paid, held, voided) during the attempt. */
  'SALE_CHANGED',
  /** The customer did not confirm (or type the phone digits) in time. */
  'CONFIRM_TIMEOUT',
  /**
   * The cloud took the payment request but its answer was lost and could not be recovered yet.
   * The terminal keeps asking in the background and records the payment if it went through
   * (or refunds it if the sale was settled another way).
   */
  'PAYMENT_UNCERTAIN',
  /** Face pay is not available here now (offline, no camera, no face models). */
  'UNAVAILABLE',
  'CANCELLED',
] as const;
export type FacePayFailureCode = (typeof FACEPAY_FAILURES)[number];

/** Why face pay is not offered right now. */
export const FACEPAY_UNAVAILABLE_REASONS = [
  /** This terminal has no cloud link (not paired / not configured). */
  'NO_CLOUD',
  /** The cloud does not answer. */
  'OFFLINE',
  /** No capture page or window with a camera is connected. */
  'NO_CAMERA',
  /** The face models are missing or failed to load. */
  'NO_FACE_ENGINE',
  /** The face models are loading. */
  'STARTING',
] as const;
export type FacePayUnavailableReason = (typeof FACEPAY_UNAVAILABLE_REASONS)[number];

export const facePayAvailability = z.object({
  available: z.boolean(),
  reason: z.enum(FACEPAY_UNAVAILABLE_REASONS).nullable(),
});
export type FacePayAvailability = z.infer<typeof facePayAvailability>;

/** A member's coupon as the customer display shows it: the coupon itself, not a count. */
export const facePayCoupon = z.object({
  couponId: id,
  title: z.string().max(100),
  discountFen: amountFen,
  /** Spend at least this for the coupon to apply (0: any amount). */
  minSpendFen: amountFen,
  expiresAt: z.string().max(40).nullable(),
});
export type FacePayCoupon = z.infer<typeof facePayCoupon>;

/** The most coupons one greeting shows. */
export const MAX_GREETING_COUPONS = 10;

/**
 * The member's greeting (a recognised member, from the confirm step on: status 'member'), or,
 * after paying, the offer to join and how it went.
 */
export const facePayMembership = z.object({
  status: z.enum(['offer', 'joining', 'joined', 'member', 'declined', 'failed']),
  points: z.number().int().nullable(),
  coupons: z.array(facePayCoupon).max(MAX_GREETING_COUPONS),
});
export type FacePayMembership = z.infer<typeof facePayMembership>;

export const facePayState = z.object({
  /** The sale this attempt is for; null when idle with nothing to show. */
  saleId: id.nullable(),
  phase: z.enum(FACEPAY_PHASES),
  /** 1, 2, ... per sale: each start is a new attempt (and a new payment idempotency key). */
  attempt: z.number().int().min(0),
  step: z.enum(FACEPAY_STEPS).nullable(),
  /** What the customer is asked to pay (fixed when the face is identified). */
  amountFen: amountFen.nullable(),
  /** The payer's name as the cloud masks it, e.g. 张*三. */
  maskedName: z.string().max(64).nullable(),
  /** Phone-tail tries left (phoneTail phase). */
  phoneTailTriesLeft: z.number().int().min(0).nullable(),
  /** The last phone tail matched nobody: the keypad asks again. */
  phoneTailRejected: z.boolean(),
  failure: z
    .object({
      code: z.enum(FACEPAY_FAILURES),
      /** English, for logs and tests; the screens translate the code. */
      message: z.string().max(300),
    })
    .nullable(),
  /** The cloud's payment id once paid (the ledger payment's reference). */
  paymentId: id.nullable(),
  receiptNo: z.string().max(64).nullable(),
  membership: facePayMembership.nullable(),
});
export type FacePayState = z.infer<typeof facePayState>;

export const IDLE_FACEPAY_STATE: FacePayState = {
  saleId: null,
  phase: 'idle',
  attempt: 0,
  step: null,
  amountFen: null,
  maskedName: null,
  phoneTailTriesLeft: null,
  phoneTailRejected: false,
  failure: null,
  paymentId: null,
  receiptNo: null,
  membership: null,
};

export const facePayStatus = z.object({
  availability: facePayAvailability,
  state: facePayState,
});
export type FacePayStatus = z.infer<typeof facePayStatus>;

/** A box in 0-1 of the frame. */
export const relativeBox = z.object({
  x: z.number().min(-1).max(2),
  y: z.number().min(-1).max(2),
  width: z.number().min(0).max(2),
  height: z.number().min(0).max(2),
});
export type RelativeBox = z.infer<typeof relativeBox>;

/** Largest preview data URL accepted (a 160-pixel JPEG is a few kilobytes). */
export const MAX_PREVIEW_CHARS = 64_000;

/** One analysed frame for the customer display (at most 160 pixels wide). */
export const facePayPreview = z.object({
  saleId: id,
  /** data:image/jpeg;base64,… */
  image: z
    .string()
    .max(MAX_PREVIEW_CHARS)
    .regex(/^data:image\/jpeg;base64,[A-Za-z0-9+/=]+$/, 'expected a JPEG data URL'),
  box: relativeBox.nullable(),
  hint: z.enum(FACEPAY_HINTS),
});
export type FacePayPreview = z.infer<typeof facePayPreview>;

/** The version of the membership consent text the customer display shows. */
export const MEMBERSHIP_CONSENT_VERSION = 'membership-face-v1';

// ---------------------------------------------------------------------------------------------
// Camera frames from a capture page to main (binary WebSocket message or MessagePort buffer)

export const CAPTURE_FRAME_MAGIC = 'FPF1';
export const CAPTURE_FRAME_HEADER_BYTES = 24;
export const CAPTURE_FORMAT_RGBA = 1;
/** What a capture page sends at most: main asks for frames no larger. */
export const CAPTURE_MAX_WIDTH = 640;
export const CAPTURE_MAX_HEIGHT = 480;
export const CAPTURE_FPS = 10;
export const CAPTURE_MAX_FRAME_BYTES =
  CAPTURE_FRAME_HEADER_BYTES + CAPTURE_MAX_WIDTH * CAPTURE_MAX_HEIGHT * 4;

/**
 * One RGBA frame in the wire format (little-endian): "FPF1", width u16, height u16, format u8
 * (1 = RGBA), flags u8 (0: no depth), depth width u16 (0), depth height u16 (0), reserved u16,
 * timestamp f64 (ms), then width*height*4 bytes of pixels, rows top to bottom.
 */
export function encodeCaptureFrame(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  timestampMs: number,
): Uint8Array<ArrayBuffer> {
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`${width}x${height} RGBA needs ${width * height * 4} bytes`);
  }
  const out = new Uint8Array(CAPTURE_FRAME_HEADER_BYTES + rgba.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = CAPTURE_FRAME_MAGIC.charCodeAt(i);
  view.setUint16(4, width, true);
  view.setUint16(6, height, true);
  view.setUint8(8, CAPTURE_FORMAT_RGBA);
  view.setUint8(9, 0);
  view.setFloat64(16, timestampMs, true);
  out.set(rgba, CAPTURE_FRAME_HEADER_BYTES);
  return out;
}

/** Control messages (JSON text) between main and a capture page. */
export const captureControl = z.discriminatedUnion('type', [
  /** Main: send frames no larger than this, about this often. */
  z.object({
    type: z.literal('start'),
    maxWidth: z.number().int().min(1).max(4096),
    maxHeight: z.number().int().min(1).max(4096),
    fps: z.number().min(1).max(60),
  }),
  /** Main: stop the camera. */
  z.object({ type: z.literal('stop') }),
  /** Page: who it is (only the customer display captures). */
  z.object({ type: z.literal('hello'), role: z.literal('customer-display') }),
  /** Page: the camera could not start or stopped (the error's name, e.g. NotAllowedError). */
  z.object({ type: z.literal('error'), name: z.string().max(64) }),
]);
export type CaptureControl = z.infer<typeof captureControl>;

/**
 * The cloud's signed word that it debited a payer's wallet for one sale of one terminal: the only
 * thing a face payment is recorded on (main/ledger/face-debit.ts verifies it; the cloud signs it
 * with its Ed25519 payment key, whose public half the terminal gets at pairing). `terminalId` is
 * the cloud's id of the terminal (trm_...), `at` the debit's time.
 */
export const faceDebit = z
  .object({
    paymentId: id,
    terminalId: id,
    saleId: id,
    amountFen: amountFen.refine((v) => v > 0, 'amount must be positive'),
    at: isoTime,
    /** Ed25519 over faceDebitMessage(...), base64url. */
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'expected an Ed25519 signature'),
  })
  .strict();
export type FaceDebit = z.infer<typeof faceDebit>;

/** The exact bytes the cloud signs (and the terminal verifies): one field a line, versioned. */
export function faceDebitMessage(d: Omit<FaceDebit, 'signature'>): string {
  return ['pos.face-debit.v1', d.paymentId, d.terminalId, d.saleId, d.amountFen, d.at].join('\n');
}
