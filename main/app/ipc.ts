/**
 * Carries the contract over Electron IPC. Requests are accepted only from the main frame of our
 * own windows showing our bundle; the core validates every payload. Events go to every window.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import { pathToFileURL } from 'node:url';
import { IPC_EVENT, IPC_INVOKE } from '../contract';
import type { PosCore } from '../core';
import { isTrustedSender } from './sender';

export function registerIpc(
  core: PosCore,
  windows: () => BrowserWindow[],
  rendererIndex: string,
): () => void {
  const rendererUrl = pathToFileURL(rendererIndex).href;

  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, payload: unknown) => {
    const own = new Set(windows().map((w) => w.webContents.id));
    const frame = event.senderFrame;
    const trusted = isTrustedSender(
      {
        webContentsId: event.sender.id,
        frameUrl: frame?.url ?? null,
        isMainFrame: frame !== null && frame === event.sender.mainFrame,
      },
      own,
      rendererUrl,
    );
    if (!trusted) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'sender not allowed' } };
    }
    return core.dispatch(channel, payload);
  });

  const unsubscribe = core.onEvent((name, payload) => {
    for (const window of windows()) {
      if (!window.isDestroyed()) window.webContents.send(IPC_EVENT, name, payload);
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE);
  };
}
