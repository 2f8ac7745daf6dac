/**
 * The register client's one HTTP exchange: JSON in, JSON out, the bearer token on every request,
 * the answer validated against the contract's schema before anyone believes it. node:http(s)
 * rather than fetch so that a register on the shop's LAN (`--remote-registers`, HTTPS with the
 * terminal's self-signed certificate) can pin the certificate by the SHA-256 fingerprint the
 * manager's screen shows, with no CA to install.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { z } from 'zod';
import { pinnedCertificate } from '../host/ws-client';

/** A refusal from the terminal, or no answer at all (status 0). */
export class RegisterApiError extends Error {
  constructor(
    /** HTTP status; 0 when the terminal could not be reached. */
    readonly status: number,
    /** The contract's error code (VALIDATION, BUSY, CONFLICT, APPROVAL_REQUIRED…) if given. */
    readonly code: string,
    message: string,
    /** The whole error body, for the fields a code carries (what differs, the figures). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RegisterApiError';
  }
}

export interface Connection {
  /** http://127.0.0.1:5180 or https://shop-pc.local:5182 */
  baseUrl: string;
  token?: string;
  /** https only: the certificate's SHA-256 fingerprint (AA:BB:…) the manager's screen shows. */
  fingerprint?: string;
  /** Per request (default 30 s; a long-poll adds its wait). */
  timeoutMs?: number;
}

export interface Exchange {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  extraTimeoutMs?: number;
}

function errorFrom(status: number, body: unknown): RegisterApiError {
  // The host answers { error: { code, message, ... } } or { code, message } (401 says nothing).
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const inner = (
    typeof record.error === 'object' && record.error !== null ? record.error : record
  ) as Record<string, unknown>;
  const code =
    typeof inner.code === 'string'
      ? inner.code
      : status === 401
        ? 'UNAUTHORIZED'
        : `HTTP_${status}`;
  const message =
    typeof inner.message === 'string'
      ? inner.message
      : typeof record.error === 'string'
        ? record.error
        : status === 401
          ? 'the terminal does not know this token (unpaired or revoked): pair again'
          : `HTTP ${status}`;
  return new RegisterApiError(status, code, message, inner);
}

/** "aa:bb…", "AABB…" → "AA:BB:…", the form Node (and the manager's screen) print. */
export function normaliseFingerprint(value: string): string {
  const hex = value.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return (hex.match(/.{2}/g) ?? []).join(':');
}

/**
 * The terminal's self-signed certificate, when its SHA-256 fingerprint is the pinned one (the
 * handshake is made and the certificate compared before a byte of the request is sent; a
 * mismatch is UNREACHABLE with the fingerprint seen, so a person can compare).
 */
export async function trustedCertificate(url: URL, fingerprint: string): Promise<string> {
  try {
    return await pinnedCertificate(url.origin, normaliseFingerprint(fingerprint));
  } catch (error) {
    throw new RegisterApiError(
      0,
      'UNREACHABLE',
      `refusing ${url.origin}: ${(error as Error).message} (compare it with the manager's screen)`,
    );
  }
}

export async function exchange<S extends z.ZodType>(
  connection: Connection,
  what: Exchange,
  schema: S,
): Promise<z.infer<S>> {
  const url = new URL(what.path, connection.baseUrl);
  for (const [key, value] of Object.entries(what.query ?? {}))
    if (value !== undefined) url.searchParams.set(key, String(value));
  const payload = what.body === undefined ? undefined : Buffer.from(JSON.stringify(what.body));
  const headers: Record<string, string> = { accept: 'application/json' };
  if (connection.token !== undefined) headers.authorization = `Bearer ${connection.token}`;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  const https = url.protocol === 'https:';
  // The pinned certificate, fetched and compared before anything is sent; then trusted alone.
  const ca =
    https && connection.fingerprint !== undefined
      ? await trustedCertificate(url, connection.fingerprint)
      : undefined;
  const timeout = (connection.timeoutMs ?? 30_000) + (what.extraTimeoutMs ?? 0);

  const { status, text } = await new Promise<{ status: number; text: string }>(
    (resolve, reject) => {
      const options = {
        method: what.method,
        headers,
        timeout,
        ...(ca === undefined ? {} : { ca }),
      };
      const onResponse = (res: IncomingMessage): void => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      };
      const req = https
        ? httpsRequest(url, options, onResponse)
        : httpRequest(url, options, onResponse);
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeout} ms`)));
      req.on('error', reject);
      req.end(payload);
    },
  ).catch((error: unknown) => {
    if (error instanceof RegisterApiError) throw error;
    throw new RegisterApiError(
      0,
      'UNREACHABLE',
      `cannot reach the terminal at ${connection.baseUrl}: ${(error as Error).message}`,
    );
  });

  let body: unknown = null;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      throw new RegisterApiError(
        status,
        'BAD_RESPONSE',
        `the terminal answered non-JSON (${status})`,
      );
    }
  }
  if (status < 200 || status >= 300) throw errorFrom(status, body);
  const parsed = schema.safeParse(body);
  if (!parsed.success)
    throw new RegisterApiError(
      status,
      'BAD_RESPONSE',
      `the terminal's answer to ${what.method} ${what.path} does not match the contract: ${parsed.error.message}`,
    );
  return parsed.data;
}
