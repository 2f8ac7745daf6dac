/**
 * For a register that receives the terminal's callbacks: checks the `X-Pos-Signature` header
 * (Stripe-style, `t=<unix seconds>,v1=<hex HMAC-SHA256(callbackSecret, t + "." + raw body)>`)
 * before the body is believed, and drops replays.
 *
 * - The HMAC is compared in constant time (timingSafeEqual), so a forger learns nothing from
 *   how long a refusal takes.
 * - The timestamp must be within `toleranceSec` of the register's clock (default 5 minutes):
 *   a captured callback cannot be replayed later.
 * - Within that window a duplicate (the terminal retries with backoff, and a replayer resends)
 *   is recognised by its event id: `ReplayGuard` remembers the ids it accepted for the window.
 * Sign and verify over the RAW body bytes as received: re-serialised JSON would not match.
 */
import { timingSafeEqual } from 'node:crypto';
import { CALLBACK_TOLERANCE_S } from '../contract';
import { signCallback } from '../host/register/signature';

export type CallbackVerdict =
  | { ok: true; timestamp: number; eventId: string | null; body: unknown }
  | { ok: false; reason: string };

export interface VerifyOptions {
  /** Seconds the timestamp may differ from now (default 300). */
  toleranceSec?: number;
  /** The register's clock, unix seconds (tests pass their own). */
  nowSec?: number;
  /** Remembers accepted event ids; without one, duplicates are not detected. */
  replayGuard?: ReplayGuard;
}

/** The header for a body, as the terminal signs it (one signer: the host's). */
export { signCallback };

/** The hex HMAC the terminal would have put in v1 for this timestamp and body. */
function expectedMac(secret: string, timestampSec: number, body: string | Buffer): Buffer {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  return Buffer.from(signCallback(secret, timestampSec, text).split('v1=')[1] ?? '', 'hex');
}

function parseHeader(header: string): { t: number; v1: string[] } | null {
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) return null;
      t = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) return null;
      v1.push(value);
    }
    // Other schemes (a future v2) are ignored, as Stripe's verifiers do.
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

/**
 * Verifies a callback. `body` is the raw request body (string or Buffer). A verdict rather than
 * a throw: a register's webhook handler answers 400 with the reason and moves on.
 */
export function verifyCallback(
  secret: string,
  header: string | undefined | null,
  body: string | Buffer,
  options: VerifyOptions = {},
): CallbackVerdict {
  if (secret.length === 0) return { ok: false, reason: 'no callback secret configured' };
  if (header == null || header === '') return { ok: false, reason: 'no X-Pos-Signature header' };
  const parsed = parseHeader(header);
  if (parsed === null) return { ok: false, reason: 'malformed X-Pos-Signature header' };
  const now = options.nowSec ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSec ?? CALLBACK_TOLERANCE_S;
  if (Math.abs(now - parsed.t) > tolerance)
    return { ok: false, reason: `timestamp outside the ${tolerance} s tolerance` };
  const expected = expectedMac(secret, parsed.t, body);
  const matches = parsed.v1.some((candidate) =>
    timingSafeEqual(expected, Buffer.from(candidate, 'hex')),
  );
  if (!matches) return { ok: false, reason: 'signature does not match' };

  let parsedBody: unknown;
  try {
    parsedBody = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
  } catch {
    return { ok: false, reason: 'body is not JSON' };
  }
  const eventId = eventIdOf(parsedBody);
  if (options.replayGuard !== undefined) {
    if (eventId === null) return { ok: false, reason: 'no event id to check for replays' };
    if (!options.replayGuard.accept(eventId, parsed.t, now))
      return { ok: false, reason: `duplicate event ${eventId}` };
  }
  return { ok: true, timestamp: parsed.t, eventId, body: parsedBody };
}

function eventIdOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const record = body as Record<string, unknown>;
  for (const key of ['eventId', 'id']) {
    const value = record[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return null;
}

/**
 * The event ids accepted within the tolerance window. Older ones are forgotten: a callback that
 * old fails the timestamp check anyway, so memory stays bounded by the window's traffic.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly toleranceSec: number = CALLBACK_TOLERANCE_S) {}

  /** True the first time an id is seen within the window; false for a duplicate. */
  accept(eventId: string, timestampSec: number, nowSec: number): boolean {
    for (const [id, t] of this.seen) if (nowSec - t > 2 * this.toleranceSec) this.seen.delete(id);
    if (this.seen.has(eventId)) return false;
    this.seen.set(eventId, timestampSec);
    return true;
  }
}
