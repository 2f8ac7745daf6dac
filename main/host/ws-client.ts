/**
 * A minimal Node client for the host's WebSocket transport, used by tests and benchmarks to
 * speak the contract exactly as the renderer does (same frames, same validation).
 */
import { connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import {
  errorFromWire,
  parseResponse,
  type Channel,
  type RequestInput,
  type Response,
} from '../contract';
import { wsProtocolsFor } from './access';

export interface WsContractClient {
  invoke<C extends Channel>(channel: C, payload: RequestInput<C>): Promise<Response<C>>;
  /** Send anything at all (hostile tests) and get the raw reply frame. */
  raw(data: string | Buffer): Promise<Record<string, unknown>>;
  events: { name: string; payload: unknown }[];
  /** Settles when the connection closes, from either side. */
  closed: Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** The key the connection presents: a launch secret, or a paired device's token. */
  key?: string;
  /**
   * wss only: the SHA-256 fingerprint the till shows. The certificate is fetched and compared
   * before anything is sent, then the connection trusts exactly that certificate.
   */
  pin?: string;
}

/** The PEM of the certificate a TLS server presents, if its fingerprint is `pin`. */
export async function pinnedCertificate(url: string, pin: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const host = hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host, port: Number(port), rejectUnauthorized: false }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      if (cert.fingerprint256 !== pin) {
        reject(new Error(`certificate fingerprint ${cert.fingerprint256} is not the pinned one`));
        return;
      }
      const base64 = cert.raw.toString('base64').replace(/(.{64})/g, '$1\n');
      resolve(`-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`);
    });
    socket.once('error', reject);
  });
}

export async function connectWs(
  url: string,
  headers: Record<string, string> = {},
  options: ConnectOptions = {},
): Promise<WsContractClient> {
  const ca = options.pin === undefined ? undefined : await pinnedCertificate(url, options.pin);
  const socket = new WebSocket(url, options.key === undefined ? [] : wsProtocolsFor(options.key), {
    headers,
    ...(ca === undefined ? {} : { ca }),
  });
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

  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    events,
    closed,
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
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      return closed;
    },
  };
}
