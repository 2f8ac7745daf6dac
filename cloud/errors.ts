/**
 * The one error type of the cloud's HTTP API. Every refusal a terminal can act on has a code;
 * the body is always {"error": {code, message, field?}} and never carries a stack trace.
 */
import type { CloudErrorCode } from './api';

const STATUS: Record<CloudErrorCode, number> = {
  VALIDATION: 400,
  DECRYPTION_FAILED: 400,
  UNAUTHENTICATED: 401,
  SIGNATURE_INVALID: 401,
  TIMESTAMP_OUT_OF_WINDOW: 401,
  REPLAYED: 401,
  PAIRING_CODE_INVALID: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_KEY_REUSED: 409,
  PAYMENT_NOT_REFUNDABLE: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  TERMINAL_REVOKED: 401,
  LIVENESS_REQUIRED: 422,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export class CloudError extends Error {
  readonly code: CloudErrorCode;
  readonly status: number;
  readonly field?: string;
  /** RATE_LIMITED: seconds until a retry can succeed (sent as Retry-After). */
  retryAfterS?: number;

  constructor(code: CloudErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'CloudError';
    this.code = code;
    this.status = STATUS[code];
    if (field !== undefined) this.field = field;
  }

  withRetryAfter(seconds: number): this {
    this.retryAfterS = seconds;
    return this;
  }

  toJSON(): { code: CloudErrorCode; message: string; field?: string } {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}
