/**
 * The register's customer display as the register believes it looks: two lines of 20 cells, a
 * cursor, and (on the LED 客显 that speak CD5220's string commands) one lit lamp. Both decoders
 * drive this model; what it shows is read from it, never from the raw bytes.
 */

/** The indicator lamps of the Chinese LED pole displays (ESC s n): what the figure means. */
export const POLE_LAMPS = ['price', 'total', 'collect', 'change'] as const;
export type PoleLamp = (typeof POLE_LAMPS)[number];

export const POLE_COLUMNS = 20;
export const POLE_ROWS = 2;

export class PoleScreen {
  private cells: string[][] = [];
  private col = 0;
  private row = 0;
  /** The lamp lit, or null (all dark). */
  lamp: PoleLamp | null = null;

  constructor() {
    this.clear();
  }

  /** CLR / ESC @: blank, cursor home, lamps dark. */
  clear(): void {
    this.cells = Array.from({ length: POLE_ROWS }, () => Array<string>(POLE_COLUMNS).fill(' '));
    this.col = 0;
    this.row = 0;
    this.lamp = null;
  }

  /** CAN: blank the cursor's line, cursor to its left end. */
  clearLine(): void {
    this.cells[this.row] = Array<string>(POLE_COLUMNS).fill(' ');
    this.col = 0;
  }

  /** String mode (CD5220 ESC Q A / ESC Q B): the whole line at once, left-aligned, cut at 20. */
  setLine(row: number, text: string): void {
    const chars = [...text].slice(0, POLE_COLUMNS);
    this.cells[row] = [...chars, ...Array<string>(POLE_COLUMNS - chars.length).fill(' ')];
    this.row = row;
    this.col = 0;
  }

  /**
   * One character at the cursor, overwrite mode: past the right end the cursor goes to the next
   * line's left end, past the bottom right back home (what a DM-D does in overwrite mode).
   */
  write(char: string): void {
    (this.cells[this.row] as string[])[this.col] = char;
    this.col += 1;
    if (this.col >= POLE_COLUMNS) {
      this.col = 0;
      this.row = (this.row + 1) % POLE_ROWS;
    }
  }

  moveTo(col: number, row: number): void {
    this.col = Math.min(Math.max(col, 0), POLE_COLUMNS - 1);
    this.row = Math.min(Math.max(row, 0), POLE_ROWS - 1);
  }
  left(): void {
    this.moveTo(this.col - 1, this.row);
  }
  right(): void {
    this.moveTo(this.col + 1, this.row);
  }
  up(): void {
    this.moveTo(this.col, this.row - 1);
  }
  down(): void {
    this.moveTo(this.col, this.row + 1);
  }
  home(): void {
    this.moveTo(0, 0);
  }
  lineStart(): void {
    this.moveTo(0, this.row);
  }
  lineEnd(): void {
    this.moveTo(POLE_COLUMNS - 1, this.row);
  }
  bottom(): void {
    this.moveTo(this.col, POLE_ROWS - 1);
  }

  /** The lines as shown, trailing blanks dropped. */
  lines(): [string, string] {
    const [a = [], b = []] = this.cells;
    return [a.join('').trimEnd(), b.join('').trimEnd()];
  }
}
