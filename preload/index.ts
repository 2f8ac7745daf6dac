/**
 * The preload exposes exactly one thing to the sandboxed renderer: window.pos, with invoke and
 * subscribe. No Node, no Electron objects, no ipcRenderer. Main validates every request and
 * checks the sender; the renderer's client validates every response and event.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../main/contract/ipc';
import type { PosBridge } from '../main/contract/wire';

const bridge: PosBridge = {
  invoke: (channel, payload) => {
    if (typeof channel !== 'string' || channel.length > 64) {
      return Promise.resolve({
        ok: false,
        error: {
          code: 'UNKNOWN_CHANNEL',
          message: 'channel must be a short string',
          field: 'channel',
        },
      });
    }
    return ipcRenderer.invoke(IPC_INVOKE, channel, payload) as ReturnType<PosBridge['invoke']>;
  },
  subscribe: (listener) => {
    const relay = (_event: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (typeof name === 'string') listener(name, payload);
    };
    ipcRenderer.on(IPC_EVENT, relay);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, relay);
    };
  },
};

contextBridge.exposeInMainWorld('pos', bridge);
