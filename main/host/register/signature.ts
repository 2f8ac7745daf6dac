/**
 * Callback signatures (Stripe-style), for the terminal that signs and the register that checks:
 *   X-Pos-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, `${t}.${rawBody}`)>
 * The timestamp is inside the MAC, so an old callback cannot be replayed with a fresh t; within
 * the tolerance a replay carries an event id the register has already seen (drop it).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CALLBACK_TOLERANCE_S } from '../../contract';

export function signCallback(secret: string, unixSeconds: number, rawBody: string): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

export type SignatureCheck = { ok: true; t: number } | { ok: false; reason: string };

/** Checks a callback's header against its raw body, at `nowSeconds`. */
export function verifyCallback(
  secret: string,
  header: string | undefined,
  rawBody: string,
  nowSeconds: number,
  toleranceS: number = CALLBACK_TOLERANCE_S,
): SignatureCheck {
  if (header === undefined) return { ok: false, reason: 'no signature header' };
  const parts = new Map(
    header.split(',').map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
    }),
  );
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(v1))
    return { ok: false, reason: 'malformed signature header' };
  const expected = Buffer.from(signCallback(secret, t, rawBody).split('v1=')[1] ?? '', 'hex');
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex')))
    return { ok: false, reason: 'signature does not match' };
  if (Math.abs(nowSeconds - t) > toleranceS) return { ok: false, reason: 'timestamp too old' };
  return { ok: true, t };
}
