/**
 * The key this page presents to the browser host (Electron windows use IPC and need none).
 *
 * - A staff screen or the local customer display: the terminal opens or prints its URL with a
 *   per-launch secret in the fragment (`/#k=…`), which browsers never send to a server. The
 *   page moves it to sessionStorage (this tab only, gone with it) and takes it out of the
 *   address bar, so a reload keeps working and a copied address carries no secret.
 * - A remote customer display (a device on the shop's network, over https): the token it got
 *   by pairing (pairThisDevice), kept in localStorage so it survives restarts of the device.
 *   The manager's screen revokes it.
 */
import { WS_KEY_PATTERN, wsKeyProtocols } from '../contract';

const SESSION_KEY = 'pos.hostKey';
const DEVICE_KEY = 'pos.deviceToken';

type KeyWindow = Pick<Window, 'location' | 'history' | 'sessionStorage' | 'localStorage'>;

/** Takes a secret from the fragment into sessionStorage; returns the key the page presents. */
export function takeHostKey(win: KeyWindow): string | null {
  const fragment = new URLSearchParams(win.location.hash.slice(1));
  const fromUrl = fragment.get('k');
  if (fromUrl !== null) {
    if (WS_KEY_PATTERN.test(fromUrl)) win.sessionStorage.setItem(SESSION_KEY, fromUrl);
    fragment.delete('k');
    const rest = fragment.toString();
    win.history.replaceState(
      win.history.state,
      '',
      `${win.location.pathname}${win.location.search}${rest === '' ? '' : `#${rest}`}`,
    );
  }
  const key =
    win.sessionStorage.getItem(SESSION_KEY) ??
    (win.location.protocol === 'https:' ? win.localStorage.getItem(DEVICE_KEY) : null);
  return key !== null && WS_KEY_PATTERN.test(key) ? key : null;
}

/** The launch secret this tab holds (taken from its URL earlier), if any. */
export function heldLaunchKey(win: Pick<Window, 'sessionStorage'>): string | null {
  const key = win.sessionStorage.getItem(SESSION_KEY);
  return key !== null && WS_KEY_PATTERN.test(key) ? key : null;
}

/** The WebSocket subprotocols that present the key (none without a key: the host refuses). */
export function keyProtocols(key: string | null): string[] {
  return key === null ? [] : wsKeyProtocols(key);
}

/** A remote device without a token shows the pairing form instead of the display. */
export function needsPairing(win: KeyWindow, key: string | null): boolean {
  return key === null && win.location.protocol === 'https:';
}

/** Exchanges the code the till shows for this device's token (kept in localStorage). */
export async function pairThisDevice(
  win: KeyWindow & { fetch: typeof fetch },
  code: string,
  name: string,
): Promise<'paired' | 'refused' | 'unreachable'> {
  let reply: Response;
  try {
    reply = await win.fetch('/pair', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, name }),
    });
  } catch {
    return 'unreachable';
  }
  if (!reply.ok) return 'refused';
  const body = (await reply.json()) as { token?: unknown };
  if (typeof body.token !== 'string' || !WS_KEY_PATTERN.test(body.token)) return 'refused';
  win.localStorage.setItem(DEVICE_KEY, body.token);
  return 'paired';
}

/** Forget this device's token (the till revoked it, or the person wants to pair again). */
export function forgetDevice(win: KeyWindow): void {
  win.localStorage.removeItem(DEVICE_KEY);
}
