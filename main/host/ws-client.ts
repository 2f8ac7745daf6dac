/**
 * A minimal Node client for the host's WebSocket transport, used by tests and benchmarks to
 * speak the contract exactly as the renderer does (same frames, same validation).
 */
import WebSocket from 'ws';
import {
  errorFromWire,
  parseResponse,
  type Channel,
  type RequestInput,
  type Response,
} from '../contract';

export interface WsContractClient {
  invoke<C extends Channel>(channel: C, payload: RequestInput<C>): Promise<Response<C>>;
  /** Send anything at all (hostile tests) and get the raw reply frame. */
  raw(data: string | Buffer): Promise<Record<string, unknown>>;
  events: { name: string; payload: unknown }[];
  close(): Promise<void>;
}

export async function connectWs(
  url: string,
  headers: Record<string, string> = {},
): Promise<WsContractClient> {
  const socket = new WebSocket(url, { headers });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`WebSocket refused: HTTP ${res.statusCode}`)),
    );
  });
  let nextId = 1;
  const pending = new Map<number, (frame: Record<string, unknown>) => void>();
  const anonymous: ((frame: Record<string, unknown>) => void)[] = [];
  const events: { name: string; payload: unknown }[] = [];

  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Record<string, unknown>;
    if (frame.kind === 'event') {
      events.push({ name: String(frame.name), payload: frame.payload });
      return;
    }
    const id = Number(frame.id);
    const waiter = pending.get(id) ?? anonymous.shift();
    pending.delete(id);
    waiter?.(frame);
  });

  function send(data: string | Buffer, id: number | null): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      if (id === null) anonymous.push(resolve);
      else pending.set(id, resolve);
      socket.send(data);
    });
  }

  return {
    events,
    async invoke(channel, payload) {
      const id = nextId++;
      const frame = await send(JSON.stringify({ id, channel, payload }), id);
      if (frame.ok === true) return parseResponse(channel, frame.result);
      throw errorFromWire(frame.error);
    },
    raw(data) {
      return send(data, null);
    },
    close() {
      return new Promise((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };
}
