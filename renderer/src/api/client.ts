/**
 * The renderer's one client of main. It does not care which transport carries it (the Electron
 * preload bridge or the browser host's WebSocket). It validates what it sends against the
 * contract, validates every response and event on arrival, and turns failures into PosError
 * (an answer from main) or TransportError (no answer).
 */
import {
  channels,
  errorFromWire,
  parseEvent,
  parseResponse,
  toPosError,
  type Channel,
  type EventName,
  type EventPayload,
  type RequestInput,
  type Response,
} from '../contract';
import { bridgeTransport, findBridge } from './bridgeTransport';
import type { ConnectionState, Transport } from './transport';
import { keyProtocols, takeHostKey } from './hostKey';
import { wsTransport, wsUrlFor } from './wsTransport';

type AnyEventHandler = (payload: never) => void;

export class PosClient {
  private readonly transport: Transport;
  private readonly handlers = new Map<EventName, Set<AnyEventHandler>>();
  private readonly unsubscribeTransport: () => void;

  constructor(transport: Transport) {
    this.transport = transport;
    this.unsubscribeTransport = transport.onEvent((name, payload) => this.deliver(name, payload));
  }

  get connection(): ConnectionState {
    return this.transport.state;
  }

  onConnectionChange(listener: (state: ConnectionState) => void): () => void {
    return this.transport.onStateChange(listener);
  }

  /**
   * Make one request. Rejects with PosError (main refused it, or it or its answer broke the
   * contract) or TransportError (no answer).
   */
  async invoke<C extends Channel>(channel: C, payload: RequestInput<C>): Promise<Response<C>> {
    const request = channels[channel].request.safeParse(payload);
    if (!request.success) throw toPosError(request.error, 'payload');
    const reply = await this.transport.request(channel, request.data);
    if (!reply.ok) throw errorFromWire(reply.error);
    try {
      return parseResponse(channel, reply.result);
    } catch (error) {
      console.error(`pos: invalid response on ${channel}`, error);
      throw error;
    }
  }

  /** Handle one kind of event; returns the unsubscribe function. */
  subscribe<E extends EventName>(name: E, handler: (payload: EventPayload<E>) => void): () => void {
    let set = this.handlers.get(name);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(name, set);
    }
    const entry = handler as AnyEventHandler;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** Resolves true once connected, or false after `timeoutMs`. */
  whenConnected(timeoutMs: number): Promise<boolean> {
    if (this.transport.state === 'connected') return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        off();
        resolve(false);
      }, timeoutMs);
      const off = this.transport.onStateChange((state) => {
        if (state !== 'connected') return;
        clearTimeout(timer);
        off();
        resolve(true);
      });
    });
  }

  close(): void {
    this.unsubscribeTransport();
    this.handlers.clear();
    this.transport.close();
  }

  private deliver(name: string, payload: unknown): void {
    let event: { name: EventName; payload: unknown };
    try {
      event = parseEvent(name, payload);
    } catch (error) {
      console.warn('pos: dropped an invalid event', error);
      return;
    }
    const set = this.handlers.get(event.name);
    if (set === undefined) return;
    for (const handler of [...set]) {
      try {
        (handler as (payload: unknown) => void)(event.payload);
      } catch (error) {
        console.error(`pos: handler for ${event.name} failed`, error);
      }
    }
  }
}

/** The client for this page: the preload bridge in Electron, else the host's WebSocket. */
export function createClient(win: Window): PosClient {
  const bridge = findBridge(win);
  return new PosClient(
    bridge !== null
      ? bridgeTransport(bridge)
      : wsTransport({ url: wsUrlFor(win.location), protocols: keyProtocols(takeHostKey(win)) }),
  );
}
