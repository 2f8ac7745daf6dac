/**
 * Who may talk to the host. By default it binds to loopback only. When the store turns remote
 * displays on (a customer display on another device), it binds to all interfaces and every
 * request from off the machine must carry the pairing token. WebSocket upgrades must also come
 * from a page this host served (Origin check), so that a web page open in some other tab of a
 * browser on this machine cannot drive the till over ws://127.0.0.1.
 *
 * The pairing token admits a customer display and nothing more: whatever arrives from off the
 * machine is the customer display (it gets only the customer's page, and its WebSocket is a
 * customer caller, which the core lets follow the cart and pay by face, never act for the
 * cashier or the manager). On the machine, a page that says it is the customer display gets
 * the same narrow caller; the cashier's and manager's pages get staff callers.
 */
import type { CallerKind } from '../core';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AccessPolicy {
  remoteDisplays: boolean;
  pairingToken: string | null;
}

export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

/** The pairing token is made once per data directory and kept there (mode 0600). */
export function loadOrCreatePairingToken(dataDir: string): string {
  const file = join(dataDir, 'pairing-token');
  if (existsSync(file)) {
    const token = readFileSync(file, 'utf8').trim();
    if (/^[A-Za-z0-9_-]{20,}$/.test(token)) return token;
  }
  const token = randomBytes(18).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

function tokensEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export type AccessDecision = { allowed: true } | { allowed: false; status: 403; reason: string };

export function checkAccess(
  policy: AccessPolicy,
  request: { remoteAddress: string | undefined; token: string | undefined },
): AccessDecision {
  if (isLoopback(request.remoteAddress)) return { allowed: true };
  if (!policy.remoteDisplays || policy.pairingToken === null) {
    return { allowed: false, status: 403, reason: 'remote displays are turned off' };
  }
  if (request.token === undefined || !tokensEqual(request.token, policy.pairingToken)) {
    return { allowed: false, status: 403, reason: 'pairing token missing or wrong' };
  }
  return { allowed: true };
}

/** A WebSocket upgrade is allowed without Origin (a local non-browser client) or same-origin. */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
  } catch {
    return false;
  }
}

/** What a WebSocket connection is to the core. Only ever narrowed by what the page says. */
export function callerKindFor(request: {
  remoteAddress: string | undefined;
  screen: string | undefined;
}): CallerKind {
  if (!isLoopback(request.remoteAddress)) return 'customer';
  return request.screen === 'customer' ? 'customer' : 'staff';
}

/** The screens a device off the machine may load: the customer display's, nothing else. */
export const REMOTE_SCREEN_PATHS: ReadonlySet<string> = new Set(['/customer']);

export function screenAllowed(path: string, remoteAddress: string | undefined): boolean {
  return isLoopback(remoteAddress) || REMOTE_SCREEN_PATHS.has(path);
}
