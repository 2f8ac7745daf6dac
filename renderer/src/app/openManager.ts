/**
 * Bringing up the manager's screen from the cashier's. In Electron (the preload's bridge is
 * there) main opens or focuses its manager window when asked over the contract; in the browser
 * host the page opens /manager in a tab of its own (named, so a second press finds it again).
 * Either way the manager's screen asks for a manager's PIN before it shows anything.
 */
import { findBridge } from '../api/bridgeTransport';
import { heldLaunchKey } from '../api/hostKey';
import type { UiError } from '../lib/errors';
import type { Call } from './invoke';

export const MANAGER_TAB = 'pos-manager';

export type ManagerOpening = 'shell' | 'page';

export function managerOpening(win: Window): ManagerOpening {
  return findBridge(win) !== null ? 'shell' : 'page';
}

/**
 * /manager beside the page this runs in (the browser host serves the three screens), with this
 * screen's staff key in the fragment: the new tab is a staff screen because the cashier's is.
 */
export function managerPageUrl(location: { href: string }, key: string | null = null): string {
  const url = new URL('/manager', location.href);
  if (key !== null) url.hash = `k=${key}`;
  return url.href;
}

/** Opens (or brings back) the manager's screen; the refusal, if there is one. */
export async function openManagerScreen(win: Window, call: Call): Promise<UiError | null> {
  if (managerOpening(win) === 'shell') {
    const result = await call('screen.openManager', {});
    return result.ok ? null : result.error;
  }
  const opened = win.open(managerPageUrl(win.location, heldLaunchKey(win)), MANAGER_TAB);
  return opened === null ? { kind: 'pos', code: 'NOT_SUPPORTED' } : null;
}
