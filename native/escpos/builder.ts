/**
 * An ESC/POS byte builder, written against Epson's ESC/POS command reference (the dialect every
 * receipt printer sold in China speaks, Epson or not). Each method appends one command; bytes()
 * hands over the lot. Only the commands a receipt and a cash drawer need are here.
 *
 * Values outside a command's range throw a RangeError: a wrong byte in a command is not a typo on
 * paper but a different command, so nothing is clamped or guessed.
 */
import { encodeText, type Charset } from './encoding';

const ESC = 0x1b;
const FS = 0x1c;
const GS = 0x1d;
const LF = 0x0a;

export type Align = 'left' | 'center' | 'right';
/** The two drawer-kick connector pins ESC p can pulse (pin 2 is the usual drawer). */
export type DrawerPin = 2 | 5;
/** QR error correction levels L (7 %), M (15 %), Q (25 %), H (30 %). */
export type QrLevel = 'L' | 'M' | 'Q' | 'H';

const ALIGN: Record<Align, number> = { left: 0, center: 1, right: 2 };
const QR_LEVEL: Record<QrLevel, number> = { L: 48, M: 49, Q: 50, H: 51 };
/** GS ( k <Function 180> stores at most this many bytes of QR data. */
export const QR_MAX_BYTES = 7089;

function byte(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new RangeError(`${what}: expected a whole number ${min}..${max}, got ${value}`);
  return value;
}

export class EscPos {
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  constructor(private readonly charset: Charset = 'gb18030') {}

  private push(...bytes: number[]): this {
    return this.raw(Uint8Array.from(bytes));
  }

  /** Appends bytes as they are (another builder's output, say). */
  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }

  /** ESC @: initialise the printer (modes back to their defaults, buffer cleared). */
  init(): this {
    return this.push(ESC, 0x40);
  }

  /** FS & / FS .: Chinese (Kanji) character mode on or off; text below is GB-encoded. */
  chinese(on = true): this {
    return on ? this.push(FS, 0x26) : this.push(FS, 0x2e);
  }

  /** ESC a n: justification of the lines that follow (also centres a QR code). */
  align(align: Align): this {
    return this.push(ESC, 0x61, ALIGN[align]);
  }

  /** ESC E n: emphasised (bold) on or off. */
  bold(on: boolean): this {
    return this.push(ESC, 0x45, on ? 1 : 0);
  }

  /**
   * GS ! n: character size, 1..8 times normal in each direction (width in the high nibble,
   * height in the low one). Double height keeps the columns; double width halves them.
   */
  size(width = 1, height = 1): this {
    const w = byte(width, 1, 8, 'width') - 1;
    const h = byte(height, 1, 8, 'height') - 1;
    return this.push(GS, 0x21, (w << 4) | h);
  }

  /** Text in the current modes, without a line feed. */
  text(text: string): this {
    return this.raw(encodeText(text, this.charset));
  }

  /** Text and LF (print and feed one line). */
  line(text = ''): this {
    if (text !== '') this.text(text);
    return this.push(LF);
  }

  /** ESC d n: print and feed n lines. */
  feed(lines: number): this {
    return this.push(ESC, 0x64, byte(lines, 0, 255, 'lines'));
  }

  /**
   * A QR code, model 2, through GS ( k: select the model (Function 165), the module size
   * (Function 167), the error correction level (Function 169), store the data (Function 180),
   * print it (Function 181).
   */
  qr(data: string, options: { moduleSize?: number; level?: QrLevel } = {}): this {
    const moduleSize = byte(options.moduleSize ?? 6, 1, 16, 'moduleSize');
    const bytes = new TextEncoder().encode(data);
    if (bytes.length < 1 || bytes.length > QR_MAX_BYTES)
      throw new RangeError(`QR data: 1..${QR_MAX_BYTES} bytes, got ${bytes.length}`);
    const stored = bytes.length + 3;
    this.push(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00);
    this.push(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, moduleSize);
    this.push(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, QR_LEVEL[options.level ?? 'M']);
    this.push(GS, 0x28, 0x6b, stored & 0xff, stored >> 8, 0x31, 0x50, 0x30);
    this.raw(bytes);
    return this.push(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30);
  }

  /**
   * GS V: cut the paper, partially (a hinge left, the usual receipt cut) or fully. With
   * `feed`, Function B (m = 66 / 65): feed to the cutting position plus `feed` dots first, so the
   * last line is not left under the cutter; without, Function A (m = 1 / 0): cut where it is.
   */
  cut(options: { partial?: boolean; feed?: number } = {}): this {
    const partial = options.partial ?? true;
    if (options.feed === undefined) return this.push(GS, 0x56, partial ? 1 : 0);
    return this.push(GS, 0x56, partial ? 66 : 65, byte(options.feed, 0, 255, 'feed'));
  }

  /**
   * ESC p m t1 t2: pulse a drawer-kick pin (m = 0 for pin 2, 1 for pin 5) on for t1 x 2 ms and
   * off for t2 x 2 ms. The default 50 ms / 500 ms is what drawer makers ask for.
   */
  kick(pin: DrawerPin = 2, onMs = 50, offMs = 500): this {
    if (pin !== 2 && pin !== 5) throw new RangeError(`drawer pin: 2 or 5, got ${String(pin)}`);
    const t1 = byte(onMs / 2, 0, 255, 'onMs / 2');
    const t2 = byte(offMs / 2, 0, 255, 'offMs / 2');
    return this.push(ESC, 0x70, pin === 2 ? 0 : 1, t1, t2);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
}
