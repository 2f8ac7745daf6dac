export { EscPos, QR_MAX_BYTES, type Align, type DrawerPin, type QrLevel } from './builder';
export { CHARSETS, charWidth, encodeText, printable, textWidth, type Charset } from './encoding';
