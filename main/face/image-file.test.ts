/**
 * Still-image decoding: every format we accept, EXIF orientation, bounded memory for huge
 * photos, and a clear refusal naming the file for anything else. Images here are synthetic
 * (made in memory with sharp) or the shared DEV files read in place; the only files written are
 * synthetic ones, in a temp folder removed afterwards.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { after, test } from 'node:test';
import sharp from 'sharp';
import { FACES } from './test-faces';
import type { RgbImage } from './image';
import {
  ImageDecodeError,
  ImageSequenceSource,
  MAX_INPUT_PIXELS,
  MAX_STILL_SIDE,
  decodeImage,
  readImageFile,
  sniffImageFormat,
} from './image-file';

const faces = FACES.dir;
const scratch = mkdtempSync(join(tmpdir(), 'face-image-file-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A 2x3 grid of 8-pixel grey blocks numbered 0-5 row by row (levels 0, 50, ... 250). */
const BLOCK = 8;
function numberedGrid(): { raw: Buffer; width: number; height: number } {
  const width = 2 * BLOCK;
  const height = 3 * BLOCK;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const level = (Math.floor(y / BLOCK) * 2 + Math.floor(x / BLOCK)) * 50;
      raw.fill(level, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  return { raw, width, height };
}

/** The block numbers of a decoded grid, read at each block's centre, row by row. */
function blocks(img: RgbImage): number[][] {
  const rows: number[][] = [];
  for (let by = 0; by < img.height / BLOCK; by++) {
    const row: number[] = [];
    for (let bx = 0; bx < img.width / BLOCK; bx++) {
      const x = bx * BLOCK + BLOCK / 2;
      const y = by * BLOCK + BLOCK / 2;
      row.push(Math.round((img.data[(y * img.width + x) * 3] as number) / 50));
    }
    rows.push(row);
  }
  return rows;
}

const grid = numberedGrid();
const gridInput = { raw: { width: grid.width, height: grid.height, channels: 3 as const } };

test('JPEG, PNG, WebP and AVIF decode to the same RGB pixels', async () => {
  const encoded = {
    jpeg: await sharp(grid.raw, gridInput).jpeg({ quality: 100, chromaSubsampling: '4:4:4' }),
    png: await sharp(grid.raw, gridInput).png(),
    webp: await sharp(grid.raw, gridInput).webp({ lossless: true }),
    avif: await sharp(grid.raw, gridInput).avif({ lossless: true }),
  };
  for (const [format, pipeline] of Object.entries(encoded)) {
    const bytes = await pipeline.toBuffer();
    assert.equal(sniffImageFormat(bytes), format);
    const img = await decodeImage(bytes, `grid.${format}`);
    assert.deepEqual([img.width, img.height, img.data.length], [16, 24, 16 * 24 * 3], format);
    assert.deepEqual(blocks(img), [
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
  }
});

test('grey, 16-bit and transparent PNGs come out as 8-bit RGB', async () => {
  const grey = await sharp(grid.raw, gridInput).greyscale().png().toBuffer();
  const deep = await sharp(grid.raw, gridInput).png().toColourspace('rgb16').toBuffer();
  const clear = await sharp({
    create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
  })
    .png()
    .toBuffer();
  for (const [what, bytes] of [
    ['grey', grey],
    ['16-bit', deep],
  ] as const) {
    const img = await decodeImage(bytes, what);
    assert.equal(img.data.length, img.width * img.height * 3, what);
    assert.deepEqual(blocks(img)[2], [4, 5], what);
  }
  const flat = await decodeImage(clear, 'clear.png');
  assert.deepEqual([...flat.data.subarray(0, 3)], [127, 127, 127], 'transparency is mid-grey');
});

test('all eight EXIF orientations decode upright', async () => {
  // The stored grid plus the tag: what a viewer shows once it applies the tag.
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
    const bytes = await sharp(grid.raw, gridInput)
      .jpeg({ quality: 100, chromaSubsampling: '4:4:4' })
      .withMetadata({ orientation: Number(o) })
      .toBuffer();
    assert.equal((await sharp(bytes).metadata()).orientation, Number(o), 'the tag is written');
    assert.deepEqual(blocks(await decodeImage(bytes, `o${o}.jpg`)), rows, `orientation ${o}`);
  }
});

test('the DEV spoof photos carry orientation 6 and decode upright; large photos are shrunk', async () => {
  const f1 = await readImageFile(join(faces, 'spoof/image_F1.jpg'));
  assert.deepEqual([f1.width, f1.height], [480, 640]);
  const big = await readImageFile(join(faces, 'spoof/image_T2.jpg')); // 1617x2160 upright
  assert.deepEqual([big.width, big.height], [958, MAX_STILL_SIDE]);
});

test('an image sequence plays like a camera: in order, timestamps at its frame rate, looping if asked', async () => {
  const files = ['lfw/Nicole_Kidman/Nicole_Kidman_0002.jpg', 'spoof/image_F1.jpg'].map((f) =>
    join(faces, f),
  );
  const once = new ImageSequenceSource(files, { fps: 4 });
  assert.equal(once.description, 'images Nicole_Kidman_0002.jpg (+1)');
  const a = await once.next();
  const b = await once.next();
  assert.deepEqual([a?.width, a?.height, a?.timestampMs], [250, 250, 0]);
  assert.deepEqual([b?.width, b?.height, b?.timestampMs], [480, 640, 250]);
  assert.equal(await once.next(), null);
  const looping = new ImageSequenceSource(files.slice(0, 1), { loop: true });
  for (let i = 0; i < 3; i++) assert.equal((await looping.next())?.timestampMs, i * 100);
  looping.close();
  assert.equal(await looping.next(), null);
});

/** Asserts an ImageDecodeError whose message names `name` and matches `why`. */
async function refused(promise: Promise<unknown>, name: string, why: RegExp): Promise<void> {
  await assert.rejects(promise, (e: Error) => {
    assert.ok(e instanceof ImageDecodeError, `${e.name}: ${e.message}`);
    assert.ok(e.message.startsWith(`${name}: `), e.message);
    assert.match(e.message, why);
    return true;
  });
}

test('a truncated PNG or JPEG is refused with the file named, not decoded half grey', async () => {
  const png = await sharp({
    create: {
      width: 64,
      height: 64,
      channels: 3,
      background: { r: 0, g: 0, b: 0 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .png()
    .toBuffer();
  const cutPng = join(scratch, 'cut.png');
  writeFileSync(cutPng, png.subarray(0, Math.floor(png.length / 2)));
  await refused(readImageFile(cutPng), 'cut.png', /cannot decode PNG/);
  const jpeg = await sharp(png).jpeg().toBuffer();
  await refused(decodeImage(jpeg.subarray(0, jpeg.length - 200), 'cut.jpg'), 'cut.jpg', /JPEG/);
});

test('anything else is refused by name: HEIC, GIF, text, an empty or missing file', async () => {
  const heic = Buffer.concat([
    Buffer.from([0, 0, 0, 24]),
    Buffer.from('ftypheic'),
    Buffer.alloc(40),
  ]);
  await refused(decodeImage(heic, 'IMG_0001.HEIC'), 'IMG_0001.HEIC', /HEIC .*export it as JPEG/);
  const gif = await sharp(grid.raw, gridInput).gif().toBuffer();
  await refused(decodeImage(gif, 'a.gif'), 'a.gif', /not a JPEG, PNG, WebP or AVIF/);
  await refused(decodeImage(Buffer.from('hello'), 'notes.txt'), 'notes.txt', /not a JPEG/);
  await refused(decodeImage(new Uint8Array(0), 'empty.jpg'), 'empty.jpg', /not a JPEG/);
  await refused(
    readImageFile(join(scratch, 'nope.jpg')),
    'nope.jpg',
    /cannot read file \(ENOENT\)/,
  );
});

test('a 50-megapixel photo is shrunk while decoding, without holding it whole in memory', async () => {
  const width = 8660; // 8660 x 5774 = 50.0 MP
  const height = 5774;
  const plain = (): ReturnType<typeof sharp> =>
    sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 80 } } });
  const jpeg = await plain().jpeg({ quality: 80 }).toBuffer();
  const png = await plain().png({ compressionLevel: 1 }).toBuffer();
  const wholeMb = (width * height * 3) / 1048576; // 143 MB as RGB
  for (const [name, bytes] of [
    ['50mp.jpg', jpeg],
    ['50mp.png', png],
  ] as const) {
    const before = process.memoryUsage().rss;
    const img = await decodeImage(bytes, name);
    const grewMb = (process.memoryUsage().rss - before) / 1048576;
    assert.deepEqual([img.width, img.height], [MAX_STILL_SIDE, 853], name);
    const [r, g, b] = img.data;
    assert.ok(Math.abs(r! - 200) + Math.abs(g! - 120) + Math.abs(b! - 80) <= 4, `${name}: colour`);
    assert.ok(grewMb < wholeMb / 2, `${name}: memory grew ${grewMb.toFixed(0)} MB`);
  }
});

/** A PNG signature and header claiming width x height, and an end: no pixel data at all. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, body: Buffer): Buffer => {
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), body]);
    const out = Buffer.alloc(8 + body.length + 4);
    out.writeUInt32BE(body.length, 0);
    typed.copy(out, 4);
    out.writeUInt32BE(crc32(typed), 8 + body.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

test('a photo claiming more pixels than the limit is refused from its header (a decompression bomb)', async () => {
  const side = Math.ceil(Math.sqrt(MAX_INPUT_PIXELS)) + 1000; // about 11,500 x 11,500
  const bomb = pngHeaderOnly(side, side);
  await refused(decodeImage(bomb, 'bomb.png'), 'bomb.png', /megapixels, refused before decoding/);
  const file = join(scratch, 'bomb.png');
  writeFileSync(file, bomb);
  await refused(readImageFile(file), 'bomb.png', /refused before decoding/);
});
