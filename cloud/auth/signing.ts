/**
 * Request signing, shared by the terminal (client) and the cloud (server). Every request after
 * pairing carries four headers; the signature is
 *
 *   base64url(HMAC-SHA256(secret, METHOD \n path?query \n timestamp \n nonce \n hex(SHA-256(body))))
 *
 * The path (with its query string, exactly as sent) and the body hash cover what the request
 * does; the timestamp bounds how long it stays valid; the nonce makes each request unique within
 * that window, so the server can refuse a replay by remembering nonces for the window only.
 * node:crypto only: this runs in the terminal under plain Node.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADERS = {
  terminal: 'x-pos-terminal',
  timestamp: 'x-pos-timestamp',
  nonce: 'x-pos-nonce',
  signature: 'x-pos-signature',
} as const;

/** Requests whose timestamp is further than this from the server's clock are refused. */
export const DEFAULT_SKEW_MS = 5 * 60 * 1000;

export function bodyHash(body: Uint8Array | string): string {
  return createHash('sha256').update(body).digest('hex');
}

export function canonicalRequest(
  method: string,
  pathAndQuery: string,
  timestamp: string,
  nonce: string,
  body: Uint8Array | string,
): string {
  return [method.toUpperCase(), pathAndQuery, timestamp, nonce, bodyHash(body)].join('\n');
}

export function computeSignature(secret: Uint8Array, canonical: string): string {
  return createHmac('sha256', secret).update(canonical).digest('base64url');
}

/** Constant-time: the time taken says nothing about how much of the signature was right. */
export function signatureMatches(secret: Uint8Array, canonical: string, given: string): boolean {
  const expected = createHmac('sha256', secret).update(canonical).digest();
  const actual = Buffer.from(given, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export interface SignInput {
  terminalId: string;
  secret: Uint8Array;
  method: string;
  pathAndQuery: string;
  body: Uint8Array | string;
  now?: number;
}

export function signRequest(input: SignInput): Record<string, string> {
  const timestamp = String(input.now ?? Date.now());
  const nonce = randomBytes(16).toString('base64url');
  const canonical = canonicalRequest(
    input.method,
    input.pathAndQuery,
    timestamp,
    nonce,
    input.body,
  );
  return {
    [SIGNATURE_HEADERS.terminal]: input.terminalId,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: computeSignature(input.secret, canonical),
  };
}
