/**
 * The register's live feed: a WebSocket at REGISTER_EVENTS_PATH, the bearer token on the
 * upgrade (a Node client can set headers; the token never goes in the URL, where proxies log
 * it). Every text frame is one registerEvent, validated before it is handed on; a frame that
 * does not match the contract is reported through onError, never passed as an event.
 */
import WebSocket from 'ws';
import { REGISTER_EVENTS_PATH, registerEvent, type RegisterEvent } from '../contract';
import { RegisterApiError, trustedCertificate, type Connection } from './http';

export interface EventStream {
  /** Settles when the socket closes, from either side (code 4003: the register was revoked). */
  closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export interface EventHandlers {
  onEvent(event: RegisterEvent): void;
  onError?(error: Error): void;
}

export async function openEvents(
  connection: Connection & { token: string },
  handlers: EventHandlers,
): Promise<EventStream> {
  const url = new URL(REGISTER_EVENTS_PATH, connection.baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const ca =
    url.protocol === 'wss:' && connection.fingerprint !== undefined
      ? await trustedCertificate(new URL(connection.baseUrl), connection.fingerprint)
      : undefined;
  const socket = new WebSocket(url, {
    headers: { authorization: `Bearer ${connection.token}` },
    ...(ca === undefined ? {} : { ca }),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (error) =>
      reject(new RegisterApiError(0, 'UNREACHABLE', `events: ${error.message}`)),
    );
    socket.once('unexpected-response', (_req, res) =>
      reject(
        new RegisterApiError(
          res.statusCode ?? 0,
          res.statusCode === 401 ? 'UNAUTHORIZED' : `HTTP_${res.statusCode}`,
          res.statusCode === 401
            ? 'the terminal does not know this token (unpaired or revoked): pair again'
            : `events refused: HTTP ${res.statusCode}`,
        ),
      ),
    );
  });
  socket.on('message', (data, isBinary) => {
    if (isBinary) return handlers.onError?.(new Error('events: unexpected binary frame'));
    let json: unknown;
    try {
      json = JSON.parse(String(data));
    } catch {
      return handlers.onError?.(new Error('events: a frame that is not JSON'));
    }
    const parsed = registerEvent.safeParse(json);
    if (!parsed.success)
      return handlers.onError?.(new Error(`events: ${parsed.error.issues[0]?.message ?? 'bad'}`));
    return handlers.onEvent(parsed.data);
  });
  socket.on('error', (error) => handlers.onError?.(error));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  return {
    closed,
    async close() {
      if (socket.readyState !== WebSocket.CLOSED) socket.close();
      await closed;
    },
  };
}
