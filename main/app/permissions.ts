/**
 * Which web permissions a page of ours gets: the camera ('media', video only) for the hidden
 * capture window's own app:// page, nothing else for anyone. Both of Electron's hooks are set
 * (the request handler answers prompts, the check handler answers the silent checks pages and
 * Chromium make first, e.g. before enumerating devices or for HID/serial/USB); with only a
 * request handler, checks fall back to Chromium's defaults. Kept free of Electron imports: the
 * decision is a plain function, tested under plain Node; main/app wires it into the sessions.
 */
import type { Session, WebContents } from 'electron';
import { isAppUrl } from './protocol';

export interface PermissionAsk {
  permission: string;
  /** The asking frame's URL or origin (requestingUrl / requestingOrigin). */
  origin: string | null | undefined;
  /** Whether the asking webContents is the capture window's. */
  fromCaptureWindow: boolean;
  /** Whether the asking frame is its page's main frame (no iframe gets the camera). */
  isMainFrame: boolean;
  /** For 'media': what is asked for (the check handler gives one type, the request a list). */
  mediaTypes?: readonly string[];
}

export function permissionAllowed(ask: PermissionAsk): boolean {
  if (ask.permission !== 'media' || !ask.fromCaptureWindow || !ask.isMainFrame) return false;
  if (!isAppUrl(ask.origin)) return false;
  // Video only: the terminal never records sound.
  const types = ask.mediaTypes ?? [];
  return types.length > 0 && types.every((type) => type === 'video');
}

/**
 * Sets both handlers on a session. `captureContents` says which webContents is the capture
 * window's (none, for the session the staff and customer screens use).
 */
export function guardPermissions(
  session: Session,
  captureContents: () => WebContents | null = () => null,
): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const capture = captureContents();
    const mediaTypes = 'mediaTypes' in details ? details.mediaTypes : undefined;
    callback(
      permissionAllowed({
        permission,
        origin: details.requestingUrl,
        fromCaptureWindow: capture !== null && contents === capture,
        isMainFrame: details.isMainFrame,
        mediaTypes: mediaTypes ?? [],
      }),
    );
  });
  session.setPermissionCheckHandler((contents, permission, requestingOrigin, details) => {
    const capture = captureContents();
    return permissionAllowed({
      permission,
      origin: requestingOrigin,
      fromCaptureWindow: capture !== null && contents === capture,
      isMainFrame: details.isMainFrame,
      mediaTypes: details.mediaType === undefined ? [] : [details.mediaType],
    });
  });
}
