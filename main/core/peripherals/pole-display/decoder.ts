/**
 * What the two protocol decoders share: bytes in, in whatever pieces the serial port hands them
 * over (a command may be split anywhere), and the display's state out.
 *
 * Each decoder reads one command at a time from the bytes not yet used; a command that is not
 * complete yet waits for the next piece. Text is GB18030 (what Chinese registers send; ASCII is
 * a subset), so a character split between pieces waits too.
 *
 * Two rules keep a wrong amount off the screens:
 * - The amount is read only once the line has been quiet (settle(), called by the reader after
 *   100 ms without a byte). A register's update is several commands (a line, then the other, then
 *   the lamp; or text at the cursor, character by character), and the port may hand them over in
 *   pieces: in between, the display is half-updated ("12.3" of "12.35", a new price under the old
 *   total lamp), and a half-updated display is never read as an amount.
 * - A corrupt frame (an unknown command, a string with no end, a broken character) is skipped
 *   and reported; the lines that were showing may now be stale, so no amount is read until they
 *   have been written again or the display cleared.
 */
import iconv from 'iconv-lite';
import { presentedAmount, type PoleAmount } from './amount';
import { PoleScreen, POLE_ROWS, type PoleLamp } from './screen';

export type { PoleProtocol } from '../../../contract';

/** The display after a piece of input. */
export interface PoleView {
  lines: [string, string];
  lamp: PoleLamp | null;
  /** What the display presents; null while there is none, or it cannot be read safely. */
  amount: PoleAmount | null;
  /** The register's update is complete (the line went quiet): not a display half-updated. */
  settled: boolean;
}

export interface DecodeResult {
  /** The display now, when anything on it changed (or it became readable). */
  view: PoleView | null;
  /** One line per corrupt frame skipped: what was wrong, and the bytes (hex). */
  corrupt: string[];
}

/** What a command handler answers: bytes used, or wait for more, or a corrupt frame. */
export type Step = { used: number } | 'more' | { corrupt: string; used: number };

export const ESC = 0x1b;
export const CR = 0x0d;
export const US = 0x1f;

/** Longest string a register may send in one string command (20 double-byte characters). */
export const MAX_STRING_BYTES = 40;

export abstract class PoleDecoder {
  protected readonly screen = new PoleScreen();
  private pending = Buffer.alloc(0);
  /** Bytes came since the line was last quiet: the register's update may not be complete. */
  private unsettled = false;
  /** Rows showing what they showed before a corrupt frame: maybe not what the register shows. */
  private staleRows = new Set<number>();
  private last = '';

  /** Feed the bytes the port delivered. */
  push(bytes: Uint8Array): DecodeResult {
    const corrupt: string[] = [];
    this.pending =
      this.pending.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.pending, bytes]);
    let at = 0;
    while (at < this.pending.length) {
      const byte = this.pending[at] as number;
      const step = byte >= 0x20 && byte !== 0x7f ? this.text(at) : this.command(this.pending, at);
      if (step === 'more') break;
      if ('corrupt' in step) {
        corrupt.push(
          `${step.corrupt} (${this.pending.subarray(at, at + step.used).toString('hex')})`,
        );
        this.poison();
      }
      at += step.used;
    }
    this.pending = Buffer.from(this.pending.subarray(at));
    if (bytes.length > 0) this.unsettled = true;
    return { view: this.changed(), corrupt };
  }

  /** The line has been quiet: the register's update is complete (unless a command is cut). */
  settle(): DecodeResult {
    this.unsettled = false;
    return { view: this.changed(), corrupt: [] };
  }

  /** A port that vanished: whatever was half-received is dropped, the display is blank. */
  reset(): void {
    this.pending = Buffer.alloc(0);
    this.unsettled = false;
    this.staleRows.clear();
    this.screen.clear();
    this.last = '';
  }

  view(): PoleView {
    const lines = this.screen.lines();
    // A command still cut in two is an update still arriving.
    const settled = !this.unsettled && this.pending.length === 0;
    const readable = settled && this.staleRows.size === 0;
    return {
      lines,
      lamp: this.screen.lamp,
      amount: readable ? presentedAmount(lines, this.screen.lamp) : null,
      settled,
    };
  }

  /** One control command at `at` (a byte below 0x20, or DEL). */
  protected abstract command(buf: Buffer, at: number): Step;

  /**
   * The single-byte controls both command sets share (CLR, CAN and the cursor moves BS HT LF CR
   * HOM), or null for a byte the protocol itself must read.
   */
  protected sharedControl(byte: number): Step | null {
    switch (byte) {
      case 0x0c:
        this.cleared();
        break;
      case 0x18:
        this.screen.clearLine();
        break;
      case 0x08:
        this.screen.left();
        break;
      case 0x09:
        this.screen.right();
        break;
      case 0x0a:
        this.screen.down();
        break;
      case CR:
        this.screen.lineStart();
        break;
      case 0x0b:
        this.screen.home();
        break;
      default:
        return null;
    }
    return { used: 1 };
  }

  /** Whether text arriving now is for the display (not for a device behind it). */
  protected isOurs(): boolean {
    return true;
  }

  /** Blank display: nothing on it is stale any more. */
  protected cleared(): void {
    this.screen.clear();
    this.staleRows.clear();
  }

  /** A row written whole again: what it shows is the register's. */
  protected rewritten(row: number): void {
    this.staleRows.delete(row);
  }

  /**
   * A string command's text: the bytes from `from` up to CR, decoded, or wait, or corrupt when
   * no CR comes within MAX_STRING_BYTES or a control byte interrupts it.
   */
  protected stringUntilCr(
    buf: Buffer,
    from: number,
  ): { text: string; end: number } | 'more' | { corrupt: string; used: number } {
    for (let i = from; i < buf.length; i++) {
      const byte = buf[i] as number;
      if (byte === CR) {
        const text = decodeText(buf.subarray(from, i));
        if (text === null)
          return { corrupt: 'a string that is not GB18030 text', used: i + 1 - from };
        return { text, end: i + 1 };
      }
      if (byte < 0x20 || i - from >= MAX_STRING_BYTES)
        return { corrupt: 'a string command with no CR at its end', used: i - from };
    }
    return 'more';
  }

  private text(at: number): Step {
    const buf = this.pending;
    let end = at;
    while (end < buf.length && (buf[end] as number) >= 0x20 && buf[end] !== 0x7f) end++;
    if (!this.isOurs()) return { used: end - at };
    const whole = completeGb18030(buf.subarray(at, end));
    if (whole === 'broken') return { corrupt: 'a broken GB18030 character', used: end - at };
    // A character cut at the end of this piece: wait for the rest, unless a control byte came.
    if (whole < end - at && end === buf.length) {
      if (whole === 0) return 'more';
    } else if (whole < end - at) {
      return { corrupt: 'a broken GB18030 character', used: end - at };
    }
    for (const char of decodeText(buf.subarray(at, at + whole)) ?? '') this.screen.write(char);
    return { used: whole };
  }

  private poison(): void {
    const lines = this.screen.lines();
    for (let row = 0; row < POLE_ROWS; row++) if (lines[row] !== '') this.staleRows.add(row);
  }

  private changed(): PoleView | null {
    const view = this.view();
    const key = JSON.stringify(view);
    if (key === this.last) return null;
    this.last = key;
    return view;
  }
}

/**
 * How many leading bytes form whole GB18030 characters (1, 2 or 4 bytes each); 'broken' for
 * a byte that cannot start or continue one.
 */
export function completeGb18030(bytes: Uint8Array): number | 'broken' {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    if (b === 0x80 || b === 0xff) return 'broken';
    if (i + 1 >= bytes.length) return i;
    const b2 = bytes[i + 1] as number;
    if (b2 >= 0x30 && b2 <= 0x39) {
      if (i + 3 >= bytes.length) return i;
      i += 4;
    } else if (b2 >= 0x40 && b2 <= 0xfe && b2 !== 0x7f) {
      i += 2;
    } else {
      return 'broken';
    }
  }
  return i;
}

/** The text of whole GB18030 characters, or null when they are not. */
export function decodeText(bytes: Uint8Array): string | null {
  const whole = completeGb18030(bytes);
  if (whole !== bytes.length) return null;
  return iconv.decode(Buffer.from(bytes), 'gb18030');
}
