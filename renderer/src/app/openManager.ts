/**
 * Bringing up the manager's screen from the cashier's. In Electron (the preload's bridge is
 * there) main opens or focuses its manager window when asked over the contract; in the browser
 * host the page opens /manager in a tab of its own (named, so a second press finds it again).
 * Either way the manager's screen asks for a manager's PIN before it shows anything.
 */
import { findBridge } from '../api/bridgeTransport';
import type { UiError } from '../lib/errors';
import type { Call } from './invoke';

export const MANAGER_TAB = 'pos-manager';

export type ManagerOpening = 'shell' | 'page';

export function managerOpening(win: Window): ManagerOpening {
  return findBridge(win) !== null ? 'shell' : 'page';
}

/** /manager beside the page this runs in (the browser host serves the three screens). */
export function managerPageUrl(location: { href: string }): string {
  return new URL('/manager', location.href).href;
}

/** Opens (or brings back) the manager's screen; the refusal, if there is one. */
export async function openManagerScreen(win: Window, call: Call): Promise<UiError | null> {
  if (managerOpening(win) === 'shell') {
    const result = await call('screen.openManager', {});
    return result.ok ? null : result.error;
  }
  const opened = win.open(managerPageUrl(win.location), MANAGER_TAB);
  return opened === null ? { kind: 'pos', code: 'NOT_SUPPORTED' } : null;
}
