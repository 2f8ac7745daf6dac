/**
 * A frame source fed from outside: the Electron capture window (frames over a MessagePort) or
 * the browser host's capture page (frames over the WebSocket). Frames are checked on arrival;
 * only the newest few are kept (a live camera should be analysed at its latest frame, not
 * through a backlog), and a dropped frame is simply gone.
 *
 * Two ways in:
 * - push({ width, height, rgba | rgb, timestampMs, depth? }) with typed arrays or ArrayBuffers
 *   (a MessagePort message with the buffer transferred);
 * - pushWire(bytes): one binary message in the wire format below (a WebSocket binary frame).
 *
 * Wire format (little-endian), one frame per message:
 *   offset  size  field
 *   0       4     magic "FPF1" (ASCII)
 *   4       2     width, uint16 (1-4096)
 *   6       2     height, uint16 (1-4096)
 *   8       1     pixel format: 1 = RGBA 8-bit (canvas getImageData, VideoFrame.copyTo RGBA),
 *                 2 = RGB 8-bit
 *   9       1     flags: bit 0 = a depth plane follows the pixels
 *   10      2     depth width, uint16 (0 without depth)
 *   12      2     depth height, uint16 (0 without depth)
 *   14      2     reserved, 0
 *   16      8     capture timestamp in milliseconds, float64 (e.g. VideoFrame.timestamp / 1000)
 *   24      ...   pixels: width * height * (4 or 3) bytes, rows top to bottom, no padding
 *   then    ...   depth (if flagged): depth width * depth height uint16 millimetres, 0 = none
 */
import type { DepthMap, Frame, FrameSource } from './frame';
import { rgbaToRgb } from './image';

export class PushFrameError extends Error {
  override name = 'PushFrameError';
}

type Bytes = Uint8Array | Uint8ClampedArray | ArrayBuffer;

export interface PushedFrame {
  width: number;
  height: number;
  /** Exactly one of rgba (4 bytes a pixel) or rgb (3), rows top to bottom, no padding. */
  rgba?: Bytes;
  rgb?: Bytes;
  timestampMs: number;
  depth?: { width: number; height: number; data: Uint16Array | ArrayBuffer };
}

export const WIRE_MAGIC = 'FPF1';
export const WIRE_HEADER_BYTES = 24;
export const WIRE_FORMAT_RGBA = 1;
export const WIRE_FORMAT_RGB = 2;
export const MAX_SIDE = 4096;

export interface PushSourceOptions {
  /** Frames kept waiting for the pipeline; older ones are dropped. Default 1 (the newest). */
  maxQueue?: number;
  description?: string;
}

function asBytes(b: Bytes): Uint8Array {
  return b instanceof ArrayBuffer
    ? new Uint8Array(b)
    : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function checkSide(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_SIDE) {
    throw new PushFrameError(
      `${what} must be an integer from 1 to ${MAX_SIDE}, got ${String(value)}`,
    );
  }
  return value;
}

export class PushFrameSource implements FrameSource {
  readonly description: string;
  private readonly maxQueue: number;
  private queue: Frame[] = [];
  private waiting: ((frame: Frame | null) => void) | null = null;
  private ended = false;
  private droppedFrames = 0;

  constructor(options: PushSourceOptions = {}) {
    this.maxQueue = Math.max(1, options.maxQueue ?? 1);
    this.description = options.description ?? 'pushed frames';
  }

  /** Frames dropped because the pipeline was busy (a sign of a slow machine, not an error). */
  get dropped(): number {
    return this.droppedFrames;
  }

  /** Validates and queues one frame; throws PushFrameError saying what is wrong with it. */
  push(input: PushedFrame): void {
    if (this.ended) throw new PushFrameError('the source has ended; no more frames are accepted');
    const width = checkSide(input.width, 'width');
    const height = checkSide(input.height, 'height');
    if (typeof input.timestampMs !== 'number' || !Number.isFinite(input.timestampMs)) {
      throw new PushFrameError(
        `timestampMs must be a finite number, got ${String(input.timestampMs)}`,
      );
    }
    if ((input.rgba === undefined) === (input.rgb === undefined)) {
      throw new PushFrameError('give exactly one of rgba or rgb');
    }
    const channels = input.rgba !== undefined ? 4 : 3;
    const pixels = asBytes((input.rgba ?? input.rgb) as Bytes);
    const expected = width * height * channels;
    if (pixels.length !== expected) {
      throw new PushFrameError(
        `${width}x${height} ${channels === 4 ? 'RGBA' : 'RGB'} needs ${expected} bytes, got ${pixels.length}`,
      );
    }
    // Always a private copy: the caller's buffer (perhaps a reused canvas buffer) is not kept.
    const image =
      channels === 4 ? rgbaToRgb(pixels, width, height) : { width, height, data: pixels.slice() };
    const frame: Frame = { ...image, timestampMs: input.timestampMs };
    if (input.depth !== undefined) frame.depth = this.checkDepth(input.depth);
    this.enqueue(frame);
  }

  /** Decodes one wire-format message (see the top of this file) and pushes it. */
  pushWire(message: Uint8Array | ArrayBuffer): void {
    const bytes = asBytes(message);
    if (bytes.length < WIRE_HEADER_BYTES) {
      throw new PushFrameError(
        `wire frame too short: ${bytes.length} bytes, the header alone is ${WIRE_HEADER_BYTES}`,
      );
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const magic = String.fromCharCode(
      bytes[0] as number,
      bytes[1] as number,
      bytes[2] as number,
      bytes[3] as number,
    );
    if (magic !== WIRE_MAGIC)
      throw new PushFrameError(
        `not a frame: magic ${JSON.stringify(magic)}, expected "${WIRE_MAGIC}"`,
      );
    const width = view.getUint16(4, true);
    const height = view.getUint16(6, true);
    const format = view.getUint8(8);
    const flags = view.getUint8(9);
    if (format !== WIRE_FORMAT_RGBA && format !== WIRE_FORMAT_RGB) {
      throw new PushFrameError(`unknown pixel format ${format} (1 = RGBA, 2 = RGB)`);
    }
    const pixelBytes = width * height * (format === WIRE_FORMAT_RGBA ? 4 : 3);
    const hasDepth = (flags & 1) === 1;
    const dw = hasDepth ? view.getUint16(10, true) : 0;
    const dh = hasDepth ? view.getUint16(12, true) : 0;
    const expected = WIRE_HEADER_BYTES + pixelBytes + dw * dh * 2;
    if (bytes.length !== expected) {
      throw new PushFrameError(
        `wire frame ${width}x${height} should be ${expected} bytes, got ${bytes.length}`,
      );
    }
    const pixels = bytes.subarray(WIRE_HEADER_BYTES, WIRE_HEADER_BYTES + pixelBytes);
    const frame: PushedFrame = { width, height, timestampMs: view.getFloat64(16, true) };
    if (format === WIRE_FORMAT_RGBA) frame.rgba = pixels;
    else frame.rgb = pixels;
    if (hasDepth) {
      const depth = new Uint16Array(dw * dh);
      const at = WIRE_HEADER_BYTES + pixelBytes;
      for (let i = 0; i < depth.length; i++) depth[i] = view.getUint16(at + i * 2, true);
      frame.depth = { width: dw, height: dh, data: depth };
    }
    this.push(frame);
  }

  /** No more frames will come: next() drains the queue, then returns null. */
  end(): void {
    this.ended = true;
    if (this.queue.length === 0) this.wake(null);
  }

  async next(): Promise<Frame | null> {
    const queued = this.queue.shift();
    if (queued !== undefined) return queued;
    if (this.ended) return null;
    return new Promise((resolve) => {
      this.waiting?.(null);
      this.waiting = resolve;
    });
  }

  close(): void {
    this.ended = true;
    this.queue = [];
    this.wake(null);
  }

  private enqueue(frame: Frame): void {
    if (this.waiting !== null) {
      this.wake(frame);
      return;
    }
    this.queue.push(frame);
    while (this.queue.length > this.maxQueue) {
      this.queue.shift();
      this.droppedFrames += 1;
    }
  }

  private wake(frame: Frame | null): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.(frame);
  }

  private checkDepth(depth: NonNullable<PushedFrame['depth']>): DepthMap {
    const width = checkSide(depth.width, 'depth.width');
    const height = checkSide(depth.height, 'depth.height');
    const data =
      depth.data instanceof ArrayBuffer
        ? new Uint16Array(depth.data)
        : depth.data instanceof Uint16Array
          ? depth.data
          : null;
    if (data === null) throw new PushFrameError('depth.data must be a Uint16Array or ArrayBuffer');
    if (data.length !== width * height) {
      throw new PushFrameError(
        `depth ${width}x${height} needs ${width * height} values, got ${data.length}`,
      );
    }
    return { width, height, data: data.slice() };
  }
}

/** Builds a wire-format message (what a capture page sends); used by tests and tools. */
export function encodeWireFrame(frame: PushedFrame): Uint8Array {
  const rgba = frame.rgba !== undefined;
  const pixels = asBytes((frame.rgba ?? frame.rgb) as Bytes);
  const depth = frame.depth;
  const depthValues =
    depth === undefined
      ? null
      : depth.data instanceof ArrayBuffer
        ? new Uint16Array(depth.data)
        : depth.data;
  const out = new Uint8Array(WIRE_HEADER_BYTES + pixels.length + (depthValues?.length ?? 0) * 2);
  const view = new DataView(out.buffer);
  out.set(
    [...WIRE_MAGIC].map((c) => c.charCodeAt(0)),
    0,
  );
  view.setUint16(4, frame.width, true);
  view.setUint16(6, frame.height, true);
  view.setUint8(8, rgba ? WIRE_FORMAT_RGBA : WIRE_FORMAT_RGB);
  view.setUint8(9, depth === undefined ? 0 : 1);
  view.setUint16(10, depth?.width ?? 0, true);
  view.setUint16(12, depth?.height ?? 0, true);
  view.setFloat64(16, frame.timestampMs, true);
  out.set(pixels, WIRE_HEADER_BYTES);
  if (depthValues !== null) {
    const at = WIRE_HEADER_BYTES + pixels.length;
    for (let i = 0; i < depthValues.length; i++)
      view.setUint16(at + i * 2, depthValues[i] as number, true);
  }
  return out;
}
