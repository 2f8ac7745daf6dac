/**
 * Still images: JPEG decoding (jpeg-js) with the EXIF orientation applied, and a frame source
 * that plays one image or a sequence of them like a camera.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import jpeg from 'jpeg-js';
import { applyOrientation, readExifOrientation } from './exif';
import type { Frame, FrameSource } from './frame';
import { shrinkToFit, type RgbImage } from './image';

export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

/** Larger photos are box-filtered down to this longer side before any stage sees them. */
export const MAX_STILL_SIDE = 1280;

/** Decodes a JPEG (upright, EXIF applied) into RGB. `name` only labels errors. */
export function decodeJpeg(bytes: Uint8Array, name = 'image'): RgbImage {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new ImageDecodeError(`${name}: not a JPEG file (only JPEG stills are supported)`);
  }
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 50 });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ImageDecodeError(`${name}: cannot decode JPEG (${reason})`);
  }
  if (decoded.width < 1 || decoded.height < 1) throw new ImageDecodeError(`${name}: empty image`);
  const image = { width: decoded.width, height: decoded.height, data: decoded.data };
  return applyOrientation(image, readExifOrientation(bytes));
}

/** Reads and decodes an image file, shrinking very large photos (see MAX_STILL_SIDE). */
export async function readImageFile(path: string): Promise<RgbImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ImageDecodeError(`${basename(path)}: cannot read file (${code})`);
  }
  return shrinkToFit(decodeJpeg(bytes, basename(path)), MAX_STILL_SIDE);
}

export interface ImageSourceOptions {
  /** Start again at the first image after the last. Default false. */
  loop?: boolean;
  /** Timestamps advance by 1000 / fps per frame. Default 10. */
  fps?: number;
}

/** One still image or a sequence of them as a frame source (decoded one at a time). */
export class ImageSequenceSource implements FrameSource {
  readonly description: string;
  private index = 0;
  private delivered = 0;
  private closed = false;

  constructor(
    private readonly files: readonly string[],
    private readonly options: ImageSourceOptions = {},
  ) {
    if (files.length === 0) throw new RangeError('ImageSequenceSource needs at least one file');
    this.description = `images ${basename(files[0] as string)}${files.length > 1 ? ` (+${files.length - 1})` : ''}`;
  }

  async next(): Promise<Frame | null> {
    if (this.closed) return null;
    if (this.index >= this.files.length) {
      if (!(this.options.loop ?? false)) return null;
      this.index = 0;
    }
    const image = await readImageFile(this.files[this.index] as string);
    if (this.closed) return null;
    this.index += 1;
    const timestampMs = (this.delivered * 1000) / (this.options.fps ?? 10);
    this.delivered += 1;
    return { ...image, timestampMs };
  }

  close(): void {
    this.closed = true;
  }
}
