/**
 * Still images: JPEG, PNG, WebP and AVIF decoded by libvips (through `sharp`), turned upright by
 * their EXIF orientation and shrunk to MAX_STILL_SIDE in the same pass, and a frame source that
 * plays one image or a sequence of them like a camera.
 *
 * Why libvips: a member enrols from a phone screenshot (PNG) or a messaging app's export (WebP)
 * as readily as from a camera JPEG; libvips decodes all of them, applies the orientation tag the
 * way phones and OpenCV's imread do, and for JPEG shrinks while decoding (libjpeg's DCT scaling),
 * so a 50-megapixel photo never exists in memory at full size.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type SharpModule from 'sharp';
import type { Frame, FrameSource } from './frame';
import type { RgbImage } from './image';
import { sniffImageFormat } from './image-format';

export { sniffImageFormat, type ImageFormat } from './image-format';

export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

/** Larger photos are shrunk (aspect kept) to this longer side before any stage sees them. */
export const MAX_STILL_SIDE = 1280;

/**
 * Pixels a photo may declare before anything is decoded: 110 million takes a 108-megapixel
 * phone camera's full-resolution shot; beyond that it is a decompression bomb (a tiny PNG that
 * claims 60,000 x 60,000), refused from its header alone.
 */
export const MAX_INPUT_PIXELS = 110_000_000;

/** A 108-megapixel JPEG is about 40 MB; a file larger than this is not a photo we take. */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

let libvips: Promise<typeof SharpModule> | null = null;

/**
 * sharp, loaded on the first still photo: loading libvips costs 0.1-0.4 s here, which a face
 * worker serving only camera frames (every payment) should not pay at start.
 */
function loadSharp(): Promise<typeof SharpModule> {
  libvips ??= import('sharp').then(({ default: sharp }) => {
    // libvips keeps recent operations' pixels in a cache: a face must not outlive its analysis.
    sharp.cache(false);
    return sharp;
  });
  return libvips;
}

/**
 * Decodes a photo (upright, EXIF applied) into RGB, shrunk to at most `maxSide` on its longer
 * side. `name` labels errors (a file name, or "body.images.1"); no error carries image content.
 */
export async function decodeImage(
  bytes: Uint8Array,
  name = 'image',
  maxSide = MAX_STILL_SIDE,
): Promise<RgbImage> {
  const format = sniffImageFormat(bytes);
  if (format === 'heic') {
    throw new ImageDecodeError(
      `${name}: HEIC photos cannot be read here (no HEVC decoder); export it as JPEG or PNG`,
    );
  }
  if (format === null) {
    throw new ImageDecodeError(`${name}: not a JPEG, PNG, WebP or AVIF image`);
  }
  const sharp = await loadSharp();
  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: MAX_INPUT_PIXELS,
      // 'warning' (the strictest): a truncated photo decodes with grey rows where the face was.
      failOn: 'warning',
      autoOrient: true,
      pages: 1, // an animated WebP: its first frame
    })
      .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: { r: 127, g: 127, b: 127 } }) // transparency: the letterbox grey
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`${info.channels} channels after conversion`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (err) {
    throw new ImageDecodeError(`${name}: cannot decode ${format.toUpperCase()} (${reason(err)})`);
  }
}

/** libvips's message, first line, without the input's (possibly long) description. */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const first = message.split('\n').find((l) => l.trim() !== '') ?? 'unknown error';
  if (/pixel limit/i.test(first))
    return `larger than ${MAX_INPUT_PIXELS / 1e6} megapixels, refused before decoding`;
  return first.trim().slice(0, 200);
}

/** Reads and decodes an image file (see decodeImage). Errors name the file. */
export async function readImageFile(path: string, maxSide = MAX_STILL_SIDE): Promise<RgbImage> {
  const name = basename(path);
  let bytes: Uint8Array;
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      if (size > MAX_IMAGE_FILE_BYTES) {
        throw new ImageDecodeError(
          `${name}: ${Math.round(size / 1048576)} MB is larger than a photo (at most ${MAX_IMAGE_FILE_BYTES / 1048576} MB)`,
        );
      }
      bytes = await file.readFile();
    } finally {
      await file.close();
    }
  } catch (err) {
    if (err instanceof ImageDecodeError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ImageDecodeError(`${name}: cannot read file (${code})`);
  }
  return decodeImage(bytes, name, maxSide);
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
