/**
 * What an image file is, from its first bytes: the formats the face pipeline decodes, and HEIC
 * named so that its refusal can say why. No native code here, so a command line can check its
 * files before anything else happens (cloud/cli.ts) without loading libvips.
 */
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif';

/** What the bytes claim to be, from their signature; a clear word for the formats we refuse. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | 'heic' | null {
  const ascii = (from: number, to: number): string =>
    String.fromCharCode(...bytes.subarray(from, to));
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp') {
    // ISO base media file: the major brand says which codec. AVIF is AV1 (libvips has it);
    // HEIC is HEVC, whose decoder the prebuilt libvips leaves out (patents).
    const brand = ascii(8, 12);
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1'].includes(brand))
      return 'heic';
  }
  return null;
}
