/** The Electron transport: the preload's window.pos (shape PosBridge in the contract). */
import type { PosBridge } from '../contract';
import { TransportError, type ConnectionState, type RawReply, type Transport } from './transport';

/** window.pos if the preload exposed a usable bridge, else null. */
export function findBridge(win: Window): PosBridge | null {
  const candidate = (win as unknown as { pos?: unknown }).pos;
  if (typeof candidate !== 'object' || candidate === null) return null;
  const bridge = candidate as Partial<PosBridge>;
  return typeof bridge.invoke === 'function' && typeof bridge.subscribe === 'function'
    ? (bridge as PosBridge)
    : null;
}

function isRawReply(value: unknown): value is RawReply {
  if (typeof value !== 'object' || value === null) return false;
  const ok = (value as { ok?: unknown }).ok;
  return ok === true || ok === false;
}

export function bridgeTransport(bridge: PosBridge): Transport {
  const eventListeners = new Set<(name: string, payload: unknown) => void>();
  const unsubscribe = bridge.subscribe((name, payload) => {
    for (const listener of eventListeners) listener(name, payload);
  });
  return {
    // IPC to main is there for as long as the window lives.
    state: 'connected' satisfies ConnectionState,
    async request(channel, payload) {
      let reply: unknown;
      try {
        reply = await bridge.invoke(channel, payload);
      } catch {
        throw new TransportError('lost', 'the bridge to main failed');
      }
      if (!isRawReply(reply)) return { ok: false, error: null };
      return reply;
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onStateChange() {
      return () => undefined;
    },
    close() {
      unsubscribe();
      eventListeners.clear();
    },
  };
}
