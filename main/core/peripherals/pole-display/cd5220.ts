/**
 * CD5220, the command set of most 2×20 VFD pole displays (and, with ESC s n, of the Chinese LED
 * 客显 that show a figure and light a lamp beside it): ESC @ init, CLR (0x0C) clear, CAN (0x18)
 * clear line, ESC Q A / ESC Q B text CR (a whole upper / lower line), ESC Q D text CR (upper line
 * scrolling), ESC s n (lamp: 0 dark, 1 price, 2 total, 3 collect, 4 change; '0'–'4' also), the
 * cursor moves (BS HT LF CR HOM, ESC [ A/B/C/D/H/L/R/K, ESC l x y, US LF/CR/B) and text at the
 * cursor. Settings that change nothing shown (modes, brightness, fonts, cursor on/off, windows,
 * download characters) are read past with their arguments.
 */
import { CR, ESC, PoleDecoder, US, type Step } from './decoder';
import { POLE_LAMPS } from './screen';

/** ESC commands that only change how text looks, by the argument bytes each takes. */
const SETTINGS_ARGS: Readonly<Record<number, number>> = {
  0x11: 0, // DC1 overwrite mode
  0x12: 0, // DC2 vertical scroll mode
  0x13: 0, // DC3 horizontal scroll mode
  0x2a: 1, // * n brightness
  0x5f: 1, // _ n cursor on/off
  0x66: 1, // f n international font
  0x63: 1, // c n character table
  0x3d: 1, // = n peripheral select (a pole display with a printer behind it; text is ours)
  0x25: 1, // % n download character set on/off
  0x3f: 1, // ? n delete a download character
  0x57: 4, // W s x1 x2 y window
  0x64: 1, // d 1 load user characters from EEPROM
  0x23: 1, // # n command type
};

export class Cd5220Decoder extends PoleDecoder {
  protected command(buf: Buffer, at: number): Step {
    const byte = buf[at] as number;
    const shared = this.sharedControl(byte);
    if (shared !== null) return shared;
    switch (byte) {
      case US:
        return this.unitSeparator(buf, at);
      case ESC:
        return this.escape(buf, at);
      default:
        return { corrupt: `an unknown control byte 0x${byte.toString(16)}`, used: 1 };
    }
  }

  private unitSeparator(buf: Buffer, at: number): Step {
    if (at + 1 >= buf.length) return 'more';
    const code = buf[at + 1] as number;
    if (code === 0x0a) this.screen.up();
    else if (code === CR) this.screen.lineEnd();
    else if (code === 0x42) this.screen.bottom();
    else if (code === 0x01 || code === 0x02 || code === 0x03) {
      // display modes: nothing shown changes
    } else if (code === 0x40) {
      // self test: the register would not send it mid-sale; nothing to show
    } else if (code === 0x45) {
      return at + 2 >= buf.length ? 'more' : { used: 3 }; // US E n blink
    } else return { corrupt: `an unknown command US 0x${code.toString(16)}`, used: 2 };
    return { used: 2 };
  }

  private escape(buf: Buffer, at: number): Step {
    if (at + 1 >= buf.length) return 'more';
    const code = buf[at + 1] as number;
    if (code === 0x40) {
      this.cleared();
      return { used: 2 };
    }
    if (code === 0x51) return this.stringCommand(buf, at);
    if (code === 0x73) {
      if (at + 2 >= buf.length) return 'more';
      const n = buf[at + 2] as number;
      const lamp = n >= 0x30 ? n - 0x30 : n;
      if (lamp > 4) return { corrupt: `a lamp ESC s ${n} that does not exist`, used: 3 };
      this.screen.lamp = lamp === 0 ? null : (POLE_LAMPS[lamp - 1] ?? null);
      return { used: 3 };
    }
    if (code === 0x5b) {
      if (at + 2 >= buf.length) return 'more';
      const move = {
        0x41: () => this.screen.up(),
        0x42: () => this.screen.down(),
        0x43: () => this.screen.right(),
        0x44: () => this.screen.left(),
        0x48: () => this.screen.home(),
        0x4c: () => this.screen.lineStart(),
        0x52: () => this.screen.lineEnd(),
        0x4b: () => this.screen.bottom(),
      }[buf[at + 2] as number];
      if (move === undefined) return { corrupt: 'an unknown cursor move ESC [', used: 3 };
      move();
      return { used: 3 };
    }
    if (code === 0x6c) {
      if (at + 3 >= buf.length) return 'more';
      const x = buf[at + 2] as number;
      const y = buf[at + 3] as number;
      if (x < 1 || x > 20 || (y !== 1 && y !== 2))
        return { corrupt: `a cursor position ESC l ${x} ${y} off the display`, used: 4 };
      this.screen.moveTo(x - 1, y - 1);
      return { used: 4 };
    }
    const args = SETTINGS_ARGS[code];
    if (args !== undefined) return at + 1 + args >= buf.length ? 'more' : { used: 2 + args };
    return { corrupt: `an unknown command ESC 0x${code.toString(16)}`, used: 2 };
  }

  /** ESC Q A|B|D text CR: a whole line at once (D: the upper line, scrolling). */
  private stringCommand(buf: Buffer, at: number): Step {
    if (at + 2 >= buf.length) return 'more';
    const which = buf[at + 2] as number;
    const row = which === 0x41 || which === 0x44 ? 0 : which === 0x42 ? 1 : -1;
    if (row < 0)
      return { corrupt: `an unknown string command ESC Q 0x${which.toString(16)}`, used: 3 };
    const string = this.stringUntilCr(buf, at + 3);
    if (string === 'more') return 'more';
    if ('corrupt' in string) return { corrupt: string.corrupt, used: 3 + string.used };
    this.screen.setLine(row, string.text);
    this.rewritten(row);
    return { used: string.end - at };
  }
}
