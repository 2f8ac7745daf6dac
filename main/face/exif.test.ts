import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import jpeg from 'jpeg-js';
import { applyOrientation, readExifOrientation } from './exif';
import type { RgbImage } from './image';
import { decodeJpeg } from './image-file';
import { FACES } from './test-faces';

/** 2x3 image (w 2, h 3) whose pixels are numbered 0-5 row by row in the red channel. */
const numbered: RgbImage = {
  width: 2,
  height: 3,
  data: Uint8Array.from({ length: 18 }, (_, i) => (i % 3 === 0 ? i / 3 : 0)),
};

function reds(img: RgbImage): number[][] {
  const rows: number[][] = [];
  for (let y = 0; y < img.height; y++) {
    rows.push(
      Array.from({ length: img.width }, (_, x) => img.data[(y * img.width + x) * 3] as number),
    );
  }
  return rows;
}

test('all eight orientations turn the image upright', () => {
  // Source rows: [0 1] [2 3] [4 5].
  const expected: Record<number, number[][]> = {
    1: [
      [0, 1],
      [2, 3],
      [4, 5],
    ],
    2: [
      [1, 0],
      [3, 2],
      [5, 4],
    ],
    3: [
      [5, 4],
      [3, 2],
      [1, 0],
    ],
    4: [
      [4, 5],
      [2, 3],
      [0, 1],
    ],
    5: [
      [0, 2, 4],
      [1, 3, 5],
    ],
    6: [
      [4, 2, 0],
      [5, 3, 1],
    ],
    7: [
      [5, 3, 1],
      [4, 2, 0],
    ],
    8: [
      [1, 3, 5],
      [0, 2, 4],
    ],
  };
  for (const [o, rows] of Object.entries(expected)) {
    assert.deepEqual(reds(applyOrientation(numbered, Number(o))), rows, `orientation ${o}`);
  }
});

/** A JPEG with an EXIF APP1 segment carrying the orientation, in either byte order. */
function jpegWithOrientation(orientation: number, littleEndian: boolean): Uint8Array {
  // 16x8, left half red, right half blue.
  const width = 16;
  const height = 8;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++)
    rgba.set(i % width < 8 ? [255, 0, 0, 255] : [0, 0, 255, 255], i * 4);
  const plain = jpeg.encode({ width, height, data: rgba }, 95).data;
  const tiff = new DataView(new ArrayBuffer(26));
  tiff.setUint16(0, littleEndian ? 0x4949 : 0x4d4d);
  tiff.setUint16(2, 42, littleEndian);
  tiff.setUint32(4, 8, littleEndian);
  tiff.setUint16(8, 1, littleEndian); // one IFD entry
  tiff.setUint16(10, 0x0112, littleEndian);
  tiff.setUint16(12, 3, littleEndian); // SHORT
  tiff.setUint32(14, 1, littleEndian);
  tiff.setUint16(18, orientation, littleEndian);
  const body = new Uint8Array([
    ...new TextEncoder().encode('Exif'),
    0,
    0,
    ...new Uint8Array(tiff.buffer),
  ]);
  const app1 = new Uint8Array([
    0xff,
    0xe1,
    (body.length + 2) >> 8,
    (body.length + 2) & 0xff,
    ...body,
  ]);
  return new Uint8Array([...plain.subarray(0, 2), ...app1, ...plain.subarray(2)]);
}

test('EXIF orientation is read in both byte orders and applied on decode', () => {
  for (const little of [true, false]) {
    for (let o = 1; o <= 8; o++)
      assert.equal(readExifOrientation(jpegWithOrientation(o, little)), o);
  }
  // Orientation 6 (rotate 90 clockwise): the red left half ends up on top.
  const turned = decodeJpeg(jpegWithOrientation(6, true));
  assert.equal(turned.width, 8);
  assert.equal(turned.height, 16);
  const red = (x: number, y: number): number => turned.data[(y * turned.width + x) * 3] as number;
  assert.ok(red(4, 2) > 200 && red(4, 13) < 50);
});

test(
  'a file without EXIF is orientation 1; the spoof samples carry 6 and decode upright',
  { skip: FACES.skip },
  () => {
    assert.equal(readExifOrientation(jpegWithOrientation(1, true).subarray(0, 2)), 1);
    const bytes = readFileSync(join(FACES.dir, 'spoof/image_F1.jpg'));
    assert.equal(readExifOrientation(bytes), 6);
    const img = decodeJpeg(bytes);
    assert.ok(img.height > img.width, `portrait after rotation: ${img.width}x${img.height}`);
  },
);

test('not a JPEG and a broken JPEG give clear errors', () => {
  assert.throws(
    () => decodeJpeg(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'x.png'),
    /x.png: not a JPEG file/,
  );
  const broken = jpegWithOrientation(1, true).subarray(0, 40);
  assert.throws(() => decodeJpeg(broken, 'cut.jpg'), /cut.jpg: cannot decode JPEG/);
});
