/**
 * The browser transport: a WebSocket to the host's /ws. Frames: the client sends
 * `{id, channel, payload}`; the host answers `{kind:'response', id, ok, result|error}` and
 * broadcasts `{kind:'event', name, payload}`. When the socket drops, requests in flight fail
 * with 'lost' (their outcome is unknown), and the transport reconnects with capped, jittered
 * exponential backoff. Requests made while disconnected wait briefly for the connection.
 */
import { MAX_MESSAGE_BYTES } from '../contract';
import { TransportError, type ConnectionState, type RawReply, type Transport } from './transport';

/** The part of the WebSocket API the transport uses (a fake stands in for it in tests). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WsTransportOptions {
  url: string;
  /** Subprotocols offered on every connection: they carry the page's key (hostKey.ts). */
  protocols?: string[];
  createSocket?: (url: string, protocols: string[]) => SocketLike;
  /** How long a request made while disconnected waits for the connection. */
  connectWaitMs?: number;
  /** How long a sent request waits for its answer. */
  requestTimeoutMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
}

/**
 * ws(s)://<same host>/ws. Nothing in the URL: who the page is comes from the key it offers as
 * a subprotocol (the host makes it staff or a customer display by that key alone).
 */
export function wsUrlFor(location: { protocol: string; host: string }): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/ws`;
}

/** Delay before reconnect attempt `attempt` (0-based): doubling, capped, 50–100 % jitter. */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number,
): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
  return Math.round(base * (0.5 + random() / 2));
}

/**
 * Requests that answer only when a third party has settled (a payment code: the buyer may take
 * 30 s to confirm on the phone, then the acquirer is asked and the charge cancelled; a refund
 * that goes back through the acquirer): their own, longer wait, so the screen never gives up on
 * money main is still settling.
 */
const SLOW_CHANNEL_TIMEOUT_MS: Readonly<Record<string, number>> = {
  'sale.payByCode': 120_000,
  // A QR's precreate, and its cancel (which asks again when the acquirer will not cancel).
  'sale.showQr': 60_000,
  'sale.cancelQr': 60_000,
  // A refund of a code-paid sale waits for the acquirer's refund (and its queries).
  'refund.create': 60_000,
  'sale.voidCompleted': 60_000,
};

interface Pending {
  frame: string;
  /** How long this request waits for its answer once sent. */
  timeoutMs: number;
  sent: boolean;
  resolve(reply: RawReply): void;
  reject(error: TransportError): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const OPEN = 1;

export function wsTransport(options: WsTransportOptions): Transport {
  const createSocket =
    options.createSocket ??
    ((url: string, protocols: string[]) => new WebSocket(url, protocols) as unknown as SocketLike);
  const protocols = options.protocols ?? [];
  const connectWaitMs = options.connectWaitMs ?? 5_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const initialBackoffMs = options.initialBackoffMs ?? 250;
  const maxBackoffMs = options.maxBackoffMs ?? 5_000;
  const random = options.random ?? Math.random;

  let state: ConnectionState = 'connecting';
  let socket: SocketLike | null = null;
  let attempt = 0;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const eventListeners = new Set<(name: string, payload: unknown) => void>();
  const stateListeners = new Set<(state: ConnectionState) => void>();

  function setState(next: ConnectionState): void {
    if (next === state) return;
    state = next;
    for (const listener of stateListeners) listener(next);
  }

  function fail(id: number, error: TransportError): void {
    const entry = pending.get(id);
    if (entry === undefined) return;
    pending.delete(id);
    clearTimeout(entry.timer);
    entry.reject(error);
  }

  function transmit(id: number, entry: Pending): void {
    if (socket === null || socket.readyState !== OPEN) return;
    try {
      socket.send(entry.frame);
    } catch {
      fail(id, new TransportError('lost', 'could not send the request'));
      return;
    }
    entry.sent = true;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(
      () => fail(id, new TransportError('timeout', 'no answer from the terminal')),
      entry.timeoutMs,
    );
  }

  function onMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn('pos: ignored a frame that is not JSON');
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    const f = frame as Record<string, unknown>;
    if (f.kind === 'response' && typeof f.id === 'number') {
      const entry = pending.get(f.id);
      if (entry === undefined) return;
      pending.delete(f.id);
      clearTimeout(entry.timer);
      entry.resolve(f.ok === true ? { ok: true, result: f.result } : { ok: false, error: f.error });
    } else if (f.kind === 'event' && typeof f.name === 'string') {
      for (const listener of eventListeners) listener(f.name, f.payload);
    }
  }

  function scheduleReconnect(): void {
    if (closed) return;
    const delay = backoffDelay(attempt, initialBackoffMs, maxBackoffMs, random);
    attempt += 1;
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(connect, delay);
  }

  function connect(): void {
    if (closed) return;
    let s: SocketLike;
    try {
      s = createSocket(options.url, protocols);
    } catch {
      setState('reconnecting');
      scheduleReconnect();
      return;
    }
    socket = s;
    s.onopen = () => {
      if (socket !== s) return;
      attempt = 0;
      setState('connected');
      for (const [id, entry] of pending) if (!entry.sent) transmit(id, entry);
    };
    s.onmessage = (event) => {
      if (socket === s) onMessage(event.data);
    };
    s.onerror = () => undefined; // a close event follows
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      for (const [id, entry] of pending) {
        if (entry.sent) fail(id, new TransportError('lost', 'connection lost'));
      }
      if (closed) return;
      setState('reconnecting');
      scheduleReconnect();
    };
  }

  connect();

  return {
    get state() {
      return state;
    },
    request(channel, payload) {
      const id = nextId++;
      const frame = JSON.stringify({ id, channel, payload });
      if (frame.length > MAX_MESSAGE_BYTES) {
        return Promise.resolve({
          ok: false,
          error: { code: 'VALIDATION', message: 'request too large' },
        });
      }
      if (closed) return Promise.reject(new TransportError('offline', 'client closed'));
      return new Promise<RawReply>((resolve, reject) => {
        const entry: Pending = {
          frame,
          timeoutMs: Math.max(requestTimeoutMs, SLOW_CHANNEL_TIMEOUT_MS[channel] ?? 0),
          sent: false,
          resolve,
          reject,
          timer: undefined,
        };
        pending.set(id, entry);
        if (socket !== null && socket.readyState === OPEN) {
          transmit(id, entry);
        } else {
          entry.timer = setTimeout(
            () => fail(id, new TransportError('offline', 'not connected to the terminal')),
            connectWaitMs,
          );
        }
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(reconnectTimer);
      for (const id of [...pending.keys()]) {
        fail(id, new TransportError('offline', 'client closed'));
      }
      socket?.close();
      socket = null;
    },
  };
}
