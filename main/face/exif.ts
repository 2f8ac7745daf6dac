/**
 * EXIF orientation: phones store pictures as the sensor saw them plus a tag saying how to turn
 * them upright. OpenCV's imread applies it; so must we, or a portrait photo reaches the detector
 * lying on its side (the spoof samples carry orientation 6).
 */
import type { RgbImage } from './image';

const ORIENTATION_TAG = 0x0112;

/** The EXIF orientation (1-8) of a JPEG file, or 1 when it has none or it cannot be read. */
export function readExifOrientation(jpeg: Uint8Array): number {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return 1;
  const view = new DataView(jpeg.buffer, jpeg.byteOffset, jpeg.byteLength);
  let offset = 2;
  while (offset + 4 <= jpeg.length) {
    if (jpeg[offset] !== 0xff) return 1;
    const marker = jpeg[offset + 1] as number;
    // Start of scan or end of image: the metadata segments are all before it.
    if (marker === 0xda || marker === 0xd9) return 1;
    const length = view.getUint16(offset + 2);
    const body = offset + 4;
    if (marker === 0xe1 && isExifHeader(jpeg, body)) {
      return orientationFromTiff(view, body + 6, body + length - 2);
    }
    offset += 2 + length;
  }
  return 1;
}

function isExifHeader(bytes: Uint8Array, at: number): boolean {
  // "Exif\0\0"
  return (
    bytes[at] === 0x45 &&
    bytes[at + 1] === 0x78 &&
    bytes[at + 2] === 0x69 &&
    bytes[at + 3] === 0x66 &&
    bytes[at + 4] === 0 &&
    bytes[at + 5] === 0
  );
}

function orientationFromTiff(view: DataView, tiff: number, end: number): number {
  if (tiff + 8 > end) return 1;
  const order = view.getUint16(tiff);
  if (order !== 0x4949 && order !== 0x4d4d) return 1; // "II" little-endian, "MM" big-endian
  const little = order === 0x4949;
  const ifd0 = tiff + view.getUint32(tiff + 4, little);
  if (ifd0 + 2 > end) return 1;
  const count = view.getUint16(ifd0, little);
  for (let i = 0; i < count; i++) {
    const entry = ifd0 + 2 + i * 12;
    if (entry + 12 > end) return 1;
    if (view.getUint16(entry, little) === ORIENTATION_TAG) {
      const value = view.getUint16(entry + 8, little); // a SHORT sits in the value field itself
      return value >= 1 && value <= 8 ? value : 1;
    }
  }
  return 1;
}

/**
 * Turns an image upright according to its EXIF orientation (1-8): 2 mirror, 3 rotate 180,
 * 4 flip, 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 anticlockwise.
 */
export function applyOrientation(img: RgbImage, orientation: number): RgbImage {
  const mapping = SOURCE_OF_OUTPUT[orientation];
  if (mapping === undefined) return img;
  const { width: w, height: h, data: src } = img;
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const data = new Uint8Array(src.length);
  // For each output pixel (u, v), the source pixel (x, y) = (xu*u + xv*v + x0, yu*u + yv*v + y0).
  const [xu, xv, x0, yu, yv, y0] = mapping(w, h);
  for (let v = 0; v < oh; v++) {
    for (let u = 0; u < ow; u++) {
      const x = xu * u + xv * v + x0;
      const y = yu * u + yv * v + y0;
      const s = (y * w + x) * 3;
      const o = (v * ow + u) * 3;
      data[o] = src[s] as number;
      data[o + 1] = src[s + 1] as number;
      data[o + 2] = src[s + 2] as number;
    }
  }
  return { width: ow, height: oh, data };
}

type Mapping = (w: number, h: number) => [number, number, number, number, number, number];

const SOURCE_OF_OUTPUT: Partial<Record<number, Mapping>> = {
  2: (w) => [-1, 0, w - 1, 0, 1, 0],
  3: (w, h) => [-1, 0, w - 1, 0, -1, h - 1],
  4: (_w, h) => [1, 0, 0, 0, -1, h - 1],
  5: () => [0, 1, 0, 1, 0, 0],
  6: (_w, h) => [0, 1, 0, -1, 0, h - 1],
  7: (w, h) => [0, -1, w - 1, -1, 0, h - 1],
  8: (w) => [0, -1, w - 1, 1, 0, 0],
};
