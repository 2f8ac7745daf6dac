/**
 * Fixed-width text for receipt paper: padding, wrapping and two-sided lines measured in printer
 * columns (textWidth), where a Chinese character takes two.
 */
import { textWidth, type Charset } from './escpos';

export class Columns {
  constructor(private readonly charset: Charset = 'gb18030') {}

  width(text: string): number {
    return textWidth(text, this.charset);
  }

  padEnd(text: string, width: number): string {
    return text + ' '.repeat(Math.max(0, width - this.width(text)));
  }

  padStart(text: string, width: number): string {
    return ' '.repeat(Math.max(0, width - this.width(text))) + text;
  }

  /**
   * Greedy wrap to `width` columns. Latin words move whole to the next line when they can;
   * Chinese breaks between any two characters (as Chinese typesetting does); a word longer than
   * a line is broken where it must be. Never returns an empty list.
   */
  wrap(text: string, width: number): string[] {
    if (width < 2) throw new RangeError(`wrap width must be at least 2, got ${width}`);
    const tokens = text.trim().match(/\s+|[\x21-\x7e]+|\S/gu) ?? [];
    const lines: string[] = [];
    let line = '';
    let used = 0;
    const flush = (): void => {
      lines.push(line.trimEnd());
      line = '';
      used = 0;
    };
    for (const token of tokens) {
      if (/^\s+$/u.test(token)) {
        if (used > 0 && used < width) {
          line += ' ';
          used += 1;
        }
        continue;
      }
      const tokenWidth = this.width(token);
      if (used + tokenWidth <= width) {
        line += token;
        used += tokenWidth;
        continue;
      }
      if (tokenWidth <= width && used > 0) {
        flush();
        line = token;
        used = tokenWidth;
        continue;
      }
      // Longer than what is left: break it character by character.
      for (const char of token) {
        const w = this.width(char);
        if (used + w > width) flush();
        line += char;
        used += w;
      }
    }
    if (line.trimEnd() !== '' || lines.length === 0) flush();
    return lines;
  }

  /**
   * `left` and `right` on one line of `width`, the right one flush right. If they do not fit
   * together, the left wraps and the right goes flush right on a line of its own.
   */
  spread(left: string, right: string, width: number): string[] {
    const l = this.width(left);
    const r = this.width(right);
    if (l + 1 + r <= width) return [left + ' '.repeat(width - l - r) + right];
    return [...this.wrap(left, width), this.padStart(right, width)];
  }
}
