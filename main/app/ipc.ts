/**
 * Carries the contract over Electron IPC. Requests are accepted only from the main frame of our
 * own windows showing our bundle (app://pos/index.html); any other sender gets FORBIDDEN. The
 * core validates every payload and decides what each window may do. Each window is one caller
 * of the core, of the kind main gave it when it opened the window (never what the page says of
 * itself): the customer display's window is a customer caller, the cashier's and the manager's
 * are staff callers, and a manager session opened in one window stays in that window. Events go
 * to every window that may hear them.
 */
import { ipcMain } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../contract';
import { eventVisibleTo, type Caller, type PosCore } from '../core';
import { RENDERER_INDEX_URL } from './protocol';
import { callerKindOfScreen, isTrustedSender } from './sender';
import type { ScreenWindow } from './windows';

export function registerIpc(core: PosCore, windows: () => ScreenWindow[]): () => void {
  /** webContents id -> its caller, opened on the window's first request. */
  const callers = new Map<number, Caller>();

  function callerOf({ window, screen }: ScreenWindow): Caller {
    const contents = window.webContents;
    let caller = callers.get(contents.id);
    if (caller === undefined) {
      const opened = core.openCaller(callerKindOfScreen(screen));
      callers.set(contents.id, opened);
      contents.once('destroyed', () => {
        callers.delete(contents.id);
        core.closeCaller(opened);
      });
      caller = opened;
    }
    return caller;
  }

  ipcMain.handle(IPC_INVOKE, (event, channel: unknown, payload: unknown) => {
    const live = windows().filter((w) => !w.window.isDestroyed());
    const own = new Set(live.map((w) => w.window.webContents.id));
    const frame = event.senderFrame;
    const trusted = isTrustedSender(
      {
        webContentsId: event.sender.id,
        frameUrl: frame?.url ?? null,
        isMainFrame: frame !== null && frame === event.sender.mainFrame,
      },
      own,
      RENDERER_INDEX_URL,
    );
    const sender = live.find((w) => w.window.webContents.id === event.sender.id);
    if (!trusted || sender === undefined) {
      return { ok: false, error: { code: 'FORBIDDEN', message: 'sender not allowed' } };
    }
    return core.dispatch(channel, payload, callerOf(sender));
  });

  const unsubscribe = core.onEvent((name, payload) => {
    for (const w of windows()) {
      if (w.window.isDestroyed()) continue;
      if (eventVisibleTo(callerKindOfScreen(w.screen), name))
        w.window.webContents.send(IPC_EVENT, name, payload);
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE);
    for (const caller of callers.values()) core.closeCaller(caller);
    callers.clear();
  };
}
