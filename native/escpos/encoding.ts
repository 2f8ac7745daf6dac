/**
 * Text for a printer in Chinese mode (FS &): GB18030 (or its older subset GBK) through iconv-lite,
 * and the number of columns a piece of text takes on the paper.
 *
 * In Chinese mode the printer takes every byte below 0x80 as one half-width character and every
 * multi-byte GB character as one full-width glyph, twice as wide. So the width that matters is
 * not Unicode's East Asian Width but how the character encodes: one byte, one column; more, two.
 * That counts 中 as two columns, and also ×, · and é, which GB encodes as two bytes and the
 * printer draws full-width.
 */
import iconv from 'iconv-lite';

export const CHARSETS = ['gb18030', 'gbk'] as const;
/**
 * gb18030 (the default) encodes every Unicode character, which printers sold in China must
 * accept; gbk suits older printers that only know two-byte codes (characters outside GBK become
 * '?').
 */
export type Charset = (typeof CHARSETS)[number];

/**
 * C0 and C1 controls and DEL. Text never carries them to the printer: a product name from the
 * catalogue holding ESC p would otherwise open the drawer, and a stray LF would break the layout.
 */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Text as it may go to paper: controls become spaces, nothing else changes. */
export function printable(text: string): string {
  return text.replace(CONTROLS, ' ');
}

export function encodeText(text: string, charset: Charset = 'gb18030'): Uint8Array {
  return new Uint8Array(iconv.encode(printable(text), charset));
}

const widths = new Map<string, 1 | 2>();

/** Columns one character (a code point) takes in Chinese mode. */
export function charWidth(char: string, charset: Charset = 'gb18030'): 1 | 2 {
  const key = `${charset}:${char}`;
  let width = widths.get(key);
  if (width === undefined) {
    width = encodeText(char, charset).length > 1 ? 2 : 1;
    widths.set(key, width);
  }
  return width;
}

/** Columns a string takes in Chinese mode. */
export function textWidth(text: string, charset: Charset = 'gb18030'): number {
  let width = 0;
  for (const char of printable(text)) width += charWidth(char, charset);
  return width;
}
