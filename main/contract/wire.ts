/**
 * Validation at the boundary. Both transports (Electron IPC and the host's WebSocket) carry the
 * same messages; these functions turn untrusted input into typed values or a PosError that names
 * the offending field.
 */
import { z } from 'zod';
import { channels, isChannel, type Channel, type Request, type Response } from './channels';
import { PosError, ERROR_CODES, type PosErrorShape } from './errors';
import { events, isEventName, type EventName, type EventPayload } from './events';

/** Largest message either transport accepts, before any parsing. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

/**
 * The browser host's WebSockets speak this subprotocol; beside it the page offers its key as
 * `pos-key.<key>` (a launch secret or a paired device's token), so the key travels in a header
 * and never in a URL (request lines land in logs). The host echoes only the protocol.
 */
export const WS_SUBPROTOCOL = 'pos.v1';
export const WS_KEY_PREFIX = 'pos-key.';
/** What a key looks like (base64url, 32 random bytes and up): anything else is not sent. */
export const WS_KEY_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

export function wsKeyProtocols(key: string): string[] {
  return [WS_SUBPROTOCOL, `${WS_KEY_PREFIX}${key}`];
}

export function toPosError(error: z.ZodError, prefix: string): PosError {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const field = path === '' ? prefix : `${prefix}.${path}`;
  return new PosError('VALIDATION', `${field}: ${issue?.message ?? 'invalid'}`, field);
}

export function parseRequest<C extends Channel>(
  channel: unknown,
  payload: unknown,
): {
  channel: C;
  payload: Request<C>;
} {
  if (!isChannel(channel)) {
    throw new PosError(
      'UNKNOWN_CHANNEL',
      `unknown channel: ${String(channel).slice(0, 64)}`,
      'channel',
    );
  }
  const result = channels[channel].request.safeParse(payload ?? {});
  if (!result.success) throw toPosError(result.error, 'payload');
  return { channel: channel as C, payload: result.data as Request<C> };
}

export function parseResponse<C extends Channel>(channel: C, value: unknown): Response<C> {
  const result = channels[channel].response.safeParse(value);
  if (!result.success) throw toPosError(result.error, `response(${channel})`);
  return result.data as Response<C>;
}

export function parseEvent<E extends EventName>(
  name: unknown,
  payload: unknown,
): {
  name: E;
  payload: EventPayload<E>;
} {
  if (!isEventName(name))
    throw new PosError('VALIDATION', `unknown event: ${String(name).slice(0, 64)}`, 'event');
  const result = events[name].safeParse(payload);
  if (!result.success) throw toPosError(result.error, `event(${name})`);
  return { name: name as E, payload: result.data as EventPayload<E> };
}

const errorShape = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
});

/** Anything thrown by a handler, as the shape that crosses the wire (never a stack trace). */
export function errorToWire(error: unknown): PosErrorShape {
  if (PosError.is(error)) return error.toJSON();
  return { code: 'INTERNAL', message: 'internal error' };
}

export function errorFromWire(value: unknown): PosError {
  const parsed = errorShape.safeParse(value);
  if (!parsed.success) return new PosError('INTERNAL', 'malformed error from main');
  return new PosError(parsed.data.code, parsed.data.message, parsed.data.field);
}

/** Frames of the WebSocket transport. */
export const wsClientFrame = z.object({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(64),
  payload: z.unknown(),
});
export type WsClientFrame = z.infer<typeof wsClientFrame>;

export type WsServerFrame =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: PosErrorShape }
  | { kind: 'event'; name: EventName; payload: unknown };

/** The shape window.pos takes in Electron (the preload exposes exactly this). */
export interface PosBridge {
  invoke(
    channel: string,
    payload: unknown,
  ): Promise<{ ok: true; result: unknown } | { ok: false; error: PosErrorShape }>;
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
}
