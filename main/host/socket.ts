/**
 * One WebSocket message in, one reply frame out. Everything that arrives is untrusted: size,
 * JSON, frame shape and payload are checked before the core sees a thing.
 */
import type { RawData } from 'ws';
import { MAX_MESSAGE_BYTES, PosError, errorToWire, toPosError, wsClientFrame } from '../contract';
import type { Caller, PosCore } from '../core';

function errorFrame(id: number, error: PosError): string {
  return JSON.stringify({ kind: 'response', id, ok: false, error: errorToWire(error) });
}

function rawBytes(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return data;
}

export async function handleSocketMessage(
  core: PosCore,
  caller: Caller,
  data: RawData,
  isBinary: boolean,
): Promise<string> {
  if (isBinary) return errorFrame(0, new PosError('VALIDATION', 'binary frames are not accepted'));
  // Bytes, not characters: a message of Chinese text is three bytes a character.
  const bytes = rawBytes(data);
  if (bytes.length > MAX_MESSAGE_BYTES) {
    return errorFrame(0, new PosError('VALIDATION', 'message too large'));
  }
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return errorFrame(0, new PosError('VALIDATION', 'message is not JSON'));
  }
  const frame = wsClientFrame.safeParse(json);
  if (!frame.success) return errorFrame(0, toPosError(frame.error, 'frame'));
  const { id, channel, payload } = frame.data;
  const result = await core.dispatch(channel, payload, caller);
  return JSON.stringify({ kind: 'response', id, ...result });
}
