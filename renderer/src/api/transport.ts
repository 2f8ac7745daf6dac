/**
 * How requests reach main. Two transports carry the same messages: the Electron preload bridge
 * (window.pos) and the browser host's WebSocket. Neither validates; the client does.
 */
import type { PosErrorShape } from '../contract';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

/** What main answered, before validation. */
export type RawReply = { ok: true; result: unknown } | { ok: false; error: unknown };

/** Failures of the transport itself (as opposed to a PosError answered by main). */
export type TransportFailure =
  /** Not connected, and the connection did not come back in time. The request was not sent. */
  | 'offline'
  /** The connection dropped while the request was in flight: it may or may not have happened. */
  | 'lost'
  /** No answer in time: it may or may not have happened. */
  | 'timeout';

export class TransportError extends Error {
  readonly reason: TransportFailure;
  constructor(reason: TransportFailure, message: string) {
    super(message);
    this.name = 'TransportError';
    this.reason = reason;
  }
  static is(value: unknown): value is TransportError {
    return value instanceof TransportError;
  }
}

export interface Transport {
  readonly state: ConnectionState;
  /** Send one request; resolves with main's raw reply or rejects with a TransportError. */
  request(channel: string, payload: unknown): Promise<RawReply>;
  /** Every event main pushes, unvalidated. */
  onEvent(listener: (name: string, payload: unknown) => void): () => void;
  onStateChange(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

export type { PosErrorShape };
