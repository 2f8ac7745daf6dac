/**
 * The customer display's preview: the face session's small RGB frame (160 pixels wide) as a
 * JPEG data URL. Made in memory, sent in one event, never logged or written.
 */
import jpeg from 'jpeg-js';
import type { RgbImage } from '../../../face';

const QUALITY = 70;

export function previewDataUrl(image: RgbImage): string {
  const { width, height, data } = image;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0, j = 0; i < width * height; i++, j += 3) {
    rgba[i * 4] = data[j] as number;
    rgba[i * 4 + 1] = data[j + 1] as number;
    rgba[i * 4 + 2] = data[j + 2] as number;
    rgba[i * 4 + 3] = 255;
  }
  const encoded = jpeg.encode({ data: rgba, width, height }, QUALITY);
  rgba.fill(0);
  return `data:image/jpeg;base64,${Buffer.from(encoded.data).toString('base64')}`;
}
