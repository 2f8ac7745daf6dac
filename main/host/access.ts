/**
 * Who may talk to the host, decided before anything is read.
 *
 * 1. The Host header must name this host: on the loopback listener 127.0.0.1, localhost or
 *    [::1] with its port; on the remote-display listener one of the LAN names it serves. A
 *    DNS-rebound page (Host: evil.example:5180) is refused before any route runs, whatever its
 *    Origin says, because its Origin would equal its own Host.
 * 2. A WebSocket's Origin, when a browser sends one, must be exactly one of this host's own
 *    origins (scheme and allowed Host), not merely equal to the request's Host.
 * 3. A WebSocket must present a key (subprotocol `pos-key.<key>`, see wsKeyProtocol): the
 *    per-launch staff secret (the cashier's and manager's screens the terminal opened or
 *    printed), the per-launch display secret (the local customer display) or a paired device's
 *    token (a remote display, only on the TLS listener). Without one the socket is refused:
 *    a local program or page that merely reaches the port is nobody. Keys travel in the
 *    Sec-WebSocket-Protocol header, never in a URL, so they stay out of request lines, logs and
 *    Referers; in the page's URL they sit in the fragment, which browsers never send.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { WS_KEY_PREFIX as KEY_PREFIX, WS_SUBPROTOCOL, wsKeyProtocols } from '../contract';
import type { CallerKind } from '../core';

/** The subprotocol every contract and capture socket speaks (the server echoes it). */
export const WS_PROTOCOL = WS_SUBPROTOCOL;

/** The subprotocols a client offers: the protocol, then its key. */
export const wsProtocolsFor = wsKeyProtocols;

/** The key a WebSocket upgrade presents in Sec-WebSocket-Protocol, if any. */
export function keyFromProtocols(header: string | string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text === undefined) return undefined;
  for (const item of text.split(',')) {
    const value = item.trim();
    if (value.startsWith(KEY_PREFIX) && value.length > KEY_PREFIX.length)
      return value.slice(KEY_PREFIX.length);
  }
  return undefined;
}

/** Secrets made at each start of the host and never written anywhere. */
export interface LaunchSecrets {
  /** Makes a connection a staff screen (cashier, manager). */
  staff: string;
  /** Makes a connection the local customer display. */
  display: string;
}

export function newLaunchSecrets(): LaunchSecrets {
  return {
    staff: randomBytes(32).toString('base64url'),
    display: randomBytes(32).toString('base64url'),
  };
}

export function secretsEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Who a key makes a connection: the core's caller kind, and for a display which one. */
export type Identity = { kind: CallerKind; display?: string };

/**
 * The identity of a key on the loopback listener: the staff secret or the display secret.
 * Device tokens are not accepted here; remote displays come in over TLS (remote.ts).
 */
export function identifyLocal(key: string | undefined, secrets: LaunchSecrets): Identity | null {
  if (key === undefined) return null;
  if (secretsEqual(key, secrets.staff)) return { kind: 'staff' };
  if (secretsEqual(key, secrets.display)) return { kind: 'customer', display: LOCAL_DISPLAY };
  return null;
}

/** The display id of the customer display the terminal itself shows (window or local page). */
export const LOCAL_DISPLAY = 'local';

/** host:port names the loopback listener answers to. */
export function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** host:port names for a list of names or addresses (IPv6 addresses in brackets). */
export function hostsFor(names: readonly string[], port: number): Set<string> {
  const out = new Set<string>();
  for (const name of names) {
    const bare = name.toLowerCase();
    out.add(bare.includes(':') && !bare.startsWith('[') ? `[${bare}]:${port}` : `${bare}:${port}`);
  }
  return out;
}

export function hostAllowed(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  return host !== undefined && allowed.has(host.toLowerCase());
}

/**
 * A WebSocket's Origin: absent (a program, not a browser page: it still needs a key) or
 * exactly `<scheme>://<an allowed host>`.
 */
export function originAllowed(
  origin: string | undefined,
  scheme: 'http' | 'https',
  allowed: ReadonlySet<string>,
): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // The URL parser drops a default port (:80, :443); the allow-list always names the port.
  const port = url.port !== '' ? url.port : scheme === 'https' ? '443' : '80';
  return (
    url.protocol === `${scheme}:` &&
    origin === `${url.protocol}//${url.host}` &&
    allowed.has(`${url.hostname}:${port}`)
  );
}

/** The screens a device off the machine may load: the customer display's, nothing else. */
export const REMOTE_SCREEN_PATHS: ReadonlySet<string> = new Set(['/customer']);
