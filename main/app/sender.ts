import type { Screen } from '../contract';
import type { CallerKind } from '../core';

/**
 * Which IPC senders main trusts: the main frame of one of its own windows, showing the
 * renderer bundle it loaded. Kept free of Electron imports so it is tested under plain Node.
 */
export interface SenderFacts {
  /** webContents id of the sender */
  webContentsId: number;
  /** event.senderFrame?.url, or null when the frame is gone */
  frameUrl: string | null;
  /** whether the sending frame is its webContents' main frame (no iframes) */
  isMainFrame: boolean;
}

export function isTrustedSender(
  sender: SenderFacts,
  ownWebContentsIds: ReadonlySet<number>,
  rendererIndexUrl: string,
): boolean {
  if (!ownWebContentsIds.has(sender.webContentsId)) return false;
  if (!sender.isMainFrame || sender.frameUrl === null) return false;
  let url: URL;
  try {
    url = new URL(sender.frameUrl);
  } catch {
    return false;
  }
  const expected = new URL(rendererIndexUrl);
  return (
    url.protocol === expected.protocol &&
    url.pathname === expected.pathname &&
    url.host === expected.host
  );
}

/**
 * What a window is to the core, from the screen main loaded into it (never from what the page
 * says of itself): the customer display is a customer caller, the others staff callers.
 */
export function callerKindOfScreen(screen: Screen): CallerKind {
  return screen === 'customer' ? 'customer' : 'staff';
}
