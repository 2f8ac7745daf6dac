/**
 * Epson's ESC/POS command set for customer displays (DM-D series, and the many displays with an
 * "ESC/POS" mode): ESC @ init, CLR (0x0C) clear, CAN (0x18) clear line, text at the cursor, the
 * cursor moves (BS HT LF CR HOM, US LF up, US CR right end, US B bottom, US $ x y), ESC = n
 * (which device the bytes are for: a DM-D sits between the register and the receipt printer, and
 * bytes for the printer are not the display's), and settings that change nothing shown (modes,
 * brightness, blink, cursor, reverse, clock, code tables, macros), read past with their
 * arguments. DM-D has no lamps: a figure is a total when a word says so.
 */
import { CR, ESC, PoleDecoder, US, type Step } from './decoder';

/** US commands that only change how text looks, by the argument bytes each takes. */
const US_SETTINGS_ARGS: Readonly<Record<number, number>> = {
  0x01: 0, // MD1 overwrite
  0x02: 0, // MD2 vertical scroll
  0x03: 0, // MD3 horizontal scroll
  0x40: 0, // @ self-test
  0x43: 1, // C n cursor on/off
  0x45: 1, // E n blink
  0x58: 1, // X n brightness
  0x72: 1, // r n reverse
  0x54: 2, // T h m set the clock
  0x55: 0, // U show the clock
  0x3a: 0, // : macro start/end
  0x5e: 2, // ^ n m run the macro
  0x76: 1, // v n DTR/status
};

export class EpsonDisplayDecoder extends PoleDecoder {
  /** ESC = n: whether the bytes that follow are for the display (n has bit 1). */
  private forDisplay = true;

  protected override command(buf: Buffer, at: number): Step {
    const byte = buf[at] as number;
    // Bytes for the printer pass through the display: only ESC = n switching back is ours.
    if (!this.forDisplay && byte !== ESC) return { used: 1 };
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

  /** Text while the printer is selected is the printer's. */
  protected override isOurs(): boolean {
    return this.forDisplay;
  }

  private unitSeparator(buf: Buffer, at: number): Step {
    if (at + 1 >= buf.length) return 'more';
    const code = buf[at + 1] as number;
    if (code === 0x0a) this.screen.up();
    else if (code === CR) this.screen.lineEnd();
    else if (code === 0x42) this.screen.bottom();
    else if (code === 0x24) {
      if (at + 3 >= buf.length) return 'more';
      const x = buf[at + 2] as number;
      const y = buf[at + 3] as number;
      if (x < 1 || x > 20 || (y !== 1 && y !== 2))
        return { corrupt: `a cursor position US $ ${x} ${y} off the display`, used: 4 };
      this.screen.moveTo(x - 1, y - 1);
      return { used: 4 };
    } else if (code === 0x28) {
      // US ( fn pL pH …: extended functions, their length in the header.
      if (at + 4 >= buf.length) return 'more';
      const length = (buf[at + 3] as number) + 256 * (buf[at + 4] as number);
      return at + 5 + length > buf.length ? 'more' : { used: 5 + length };
    } else {
      const args = US_SETTINGS_ARGS[code];
      if (args === undefined)
        return { corrupt: `an unknown command US 0x${code.toString(16)}`, used: 2 };
      return at + 1 + args >= buf.length ? 'more' : { used: 2 + args };
    }
    return { used: 2 };
  }

  private escape(buf: Buffer, at: number): Step {
    if (at + 1 >= buf.length) return 'more';
    const code = buf[at + 1] as number;
    if (code === 0x3d) {
      if (at + 2 >= buf.length) return 'more';
      const n = buf[at + 2] as number;
      this.forDisplay = (n & 0x02) !== 0;
      return { used: 3 };
    }
    if (!this.forDisplay) return { used: 1 };
    if (code === 0x40) {
      this.cleared();
      return { used: 2 };
    }
    // ESC t n code table, ESC R n international set: nothing shown changes.
    if (code === 0x74 || code === 0x52) return at + 2 >= buf.length ? 'more' : { used: 3 };
    return { corrupt: `an unknown command ESC 0x${code.toString(16)}`, used: 2 };
  }
}
