/**
 * YUV4MPEG2 (.y4m) replay: the format Chromium's fake camera reads and ffmpeg writes, so one
 * recorded clip drives both the browser and this pipeline. 8-bit 4:2:0 (every chroma siting),
 * 4:2:2, 4:4:4 and mono; converted to RGB with BT.601, studio range unless the header says
 * XCOLORRANGE=FULL (ffmpeg's extension).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import type { Frame, FrameSource } from './frame';
import type { RgbImage } from './image';

export class Y4mError extends Error {
  override name = 'Y4mError';
}

export interface Y4mHeader {
  width: number;
  height: number;
  fps: number;
  /** Chroma subsampling: 2 means half resolution in that direction; 0 for mono (no chroma). */
  chromaShiftX: 0 | 1;
  chromaShiftY: 0 | 1;
  mono: boolean;
  fullRange: boolean;
  /** Bytes of one frame's planes (without its FRAME line). */
  frameBytes: number;
}

const COLOUR_SPACES: Record<string, { sx: 0 | 1; sy: 0 | 1; mono: boolean }> = {
  '420jpeg': { sx: 1, sy: 1, mono: false },
  '420paldv': { sx: 1, sy: 1, mono: false },
  '420mpeg2': { sx: 1, sy: 1, mono: false },
  '420': { sx: 1, sy: 1, mono: false },
  '422': { sx: 1, sy: 0, mono: false },
  '444': { sx: 0, sy: 0, mono: false },
  mono: { sx: 0, sy: 0, mono: true },
};

/** Parses the stream header line (without its newline). */
export function parseY4mHeader(line: string): Y4mHeader {
  const [magic, ...tokens] = line.split(' ');
  if (magic !== 'YUV4MPEG2') {
    throw new Y4mError(`not a YUV4MPEG2 stream (starts with ${JSON.stringify(line.slice(0, 12))})`);
  }
  let width = 0;
  let height = 0;
  let fps = 25;
  let colour = '420jpeg'; // the spec's default
  let fullRange = false;
  for (const token of tokens) {
    const value = token.slice(1);
    switch (token[0]) {
      case 'W':
        width = Number(value);
        break;
      case 'H':
        height = Number(value);
        break;
      case 'F': {
        const [num, den] = value.split(':').map(Number);
        if (!num || !den) throw new Y4mError(`bad frame rate ${JSON.stringify(token)}`);
        fps = num / den;
        break;
      }
      case 'C':
        colour = value;
        break;
      case 'I':
        if (value !== 'p' && value !== '?')
          throw new Y4mError(`interlaced video (${token}) is not supported`);
        break;
      case 'X':
        if (value === 'COLORRANGE=FULL') fullRange = true;
        break;
      default:
        break; // A (aspect) and unknown tokens do not change the pixels
    }
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) {
    throw new Y4mError(`missing or bad frame size (W${width} H${height})`);
  }
  const space = COLOUR_SPACES[colour];
  if (space === undefined) {
    throw new Y4mError(
      `colour space C${colour} is not supported (8-bit 420*, 422, 444 and mono are)`,
    );
  }
  const chromaW = space.mono ? 0 : (width + space.sx) >> space.sx;
  const chromaH = space.mono ? 0 : (height + space.sy) >> space.sy;
  return {
    width,
    height,
    fps,
    chromaShiftX: space.sx,
    chromaShiftY: space.sy,
    mono: space.mono,
    fullRange,
    frameBytes: width * height + 2 * chromaW * chromaH,
  };
}

interface YuvTables {
  y: Int32Array;
  rv: Int32Array;
  gu: Int32Array;
  gv: Int32Array;
  bu: Int32Array;
}

/** Fixed-point (16-bit fraction) BT.601 coefficients per code value, built once per range. */
function buildTables(fullRange: boolean): YuvTables {
  const t: YuvTables = {
    y: new Int32Array(256),
    rv: new Int32Array(256),
    gu: new Int32Array(256),
    gv: new Int32Array(256),
    bu: new Int32Array(256),
  };
  const ys = fullRange ? 1 : 255 / 219;
  const cs = fullRange ? 1 : 255 / 224;
  const yOff = fullRange ? 0 : 16;
  const f = 65536;
  for (let i = 0; i < 256; i++) {
    const c = (i - 128) * cs;
    t.y[i] = Math.round((i - yOff) * ys * f) + f / 2; // + half: rounding for the final shift
    t.rv[i] = Math.round(1.402 * c * f);
    t.gu[i] = Math.round(-0.344136 * c * f);
    t.gv[i] = Math.round(-0.714136 * c * f);
    t.bu[i] = Math.round(1.772 * c * f);
  }
  return t;
}

const TABLES = { full: buildTables(true), studio: buildTables(false) };

/** Converts one frame's planes (Y, then U, then V) to RGB. */
export function yuvToRgb(planes: Uint8Array, header: Y4mHeader): RgbImage {
  const { width: w, height: h, chromaShiftX: sx, chromaShiftY: sy } = header;
  const t = header.fullRange ? TABLES.full : TABLES.studio;
  const data = new Uint8Array(w * h * 3);
  const cw = (w + sx) >> sx;
  const uBase = w * h;
  const vBase = uBase + cw * ((h + sy) >> sy);
  const clamp = (v: number): number => (v < 0 ? 0 : v > 0xffffff ? 255 : v >> 16);
  for (let yy = 0; yy < h; yy++) {
    const crow = (yy >> sy) * cw;
    let o = yy * w * 3;
    for (let x = 0; x < w; x++, o += 3) {
      const Y = t.y[planes[yy * w + x] as number] as number;
      if (header.mono) {
        data[o] = data[o + 1] = data[o + 2] = clamp(Y);
        continue;
      }
      const U = planes[uBase + crow + (x >> sx)] as number;
      const V = planes[vBase + crow + (x >> sx)] as number;
      data[o] = clamp(Y + (t.rv[V] as number));
      data[o + 1] = clamp(Y + (t.gu[U] as number) + (t.gv[V] as number));
      data[o + 2] = clamp(Y + (t.bu[U] as number));
    }
  }
  return { width: w, height: h, data };
}

/** Reads frames one at a time from a .y4m file (never the whole clip at once). */
export class Y4mReader {
  readonly header: Y4mHeader;
  private readonly fd: number;
  private readonly firstFrameAt: number;
  private position: number;
  private frameIndex = 0;
  private readonly planes: Uint8Array;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'r');
    try {
      const line = this.readLine(0, 'stream header');
      this.header = parseY4mHeader(line.text);
      this.firstFrameAt = line.next;
      this.position = line.next;
      this.planes = new Uint8Array(this.header.frameBytes);
    } catch (err) {
      closeSync(this.fd);
      throw err instanceof Y4mError ? new Y4mError(`${basename(path)}: ${err.message}`) : err;
    }
  }

  /** The next frame in RGB, or null at the end of the file. */
  readFrame(): RgbImage | null {
    const name = basename(this.path);
    const line = this.readLine(this.position, `frame ${this.frameIndex} header`, true);
    if (line === null) return null;
    if (!line.text.startsWith('FRAME')) {
      throw new Y4mError(
        `${name}: frame ${this.frameIndex} does not start with FRAME (got ${JSON.stringify(line.text.slice(0, 12))})`,
      );
    }
    const got = readSync(this.fd, this.planes, 0, this.planes.length, line.next);
    if (got !== this.planes.length) {
      throw new Y4mError(
        `${name}: frame ${this.frameIndex} is truncated (${got} of ${this.planes.length} bytes)`,
      );
    }
    this.position = line.next + got;
    this.frameIndex += 1;
    return yuvToRgb(this.planes, this.header);
  }

  /** Goes back to the first frame (looping replay). */
  rewind(): void {
    this.position = this.firstFrameAt;
  }

  close(): void {
    closeSync(this.fd);
  }

  private readLine(at: number, what: string, eofOk: true): { text: string; next: number } | null;
  private readLine(at: number, what: string): { text: string; next: number };
  private readLine(at: number, what: string, eofOk = false): { text: string; next: number } | null {
    const buf = new Uint8Array(1024);
    const got = readSync(this.fd, buf, 0, buf.length, at);
    if (got === 0 && eofOk) return null;
    const end = buf.subarray(0, got).indexOf(0x0a);
    if (end < 0) throw new Y4mError(`${basename(this.path)}: ${what} has no end of line`);
    return { text: new TextDecoder('latin1').decode(buf.subarray(0, end)), next: at + end + 1 };
  }
}

export interface Y4mSourceOptions {
  /** Start again at the first frame after the last (a camera never ends). Default true. */
  loop?: boolean;
  /** Deliver frames no faster than the clip's frame rate, like a camera. Default false. */
  paced?: boolean;
}

/** A Y4M clip as a frame source; timestamps follow the clip's frame rate, across loops. */
export class Y4mFileSource implements FrameSource {
  readonly description: string;
  private readonly reader: Y4mReader;
  private readonly loop: boolean;
  private readonly paced: boolean;
  private delivered = 0;
  private startedAt = 0;
  private closed = false;

  constructor(path: string, options: Y4mSourceOptions = {}) {
    this.reader = new Y4mReader(path);
    this.loop = options.loop ?? true;
    this.paced = options.paced ?? false;
    const h = this.reader.header;
    this.description = `y4m ${basename(path)} ${h.width}x${h.height} @${h.fps}fps`;
  }

  get header(): Y4mHeader {
    return this.reader.header;
  }

  async next(): Promise<Frame | null> {
    if (this.closed) return null;
    const interval = 1000 / this.reader.header.fps;
    if (this.paced) {
      if (this.delivered === 0) this.startedAt = performance.now();
      const due = this.startedAt + this.delivered * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.closed) return null;
    }
    let image = this.reader.readFrame();
    if (image === null && this.loop && this.delivered > 0) {
      this.reader.rewind();
      image = this.reader.readFrame();
    }
    if (image === null) return null;
    const frame: Frame = { ...image, timestampMs: this.delivered * interval };
    this.delivered += 1;
    return frame;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.reader.close();
  }
}
