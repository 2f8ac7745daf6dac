import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { shrinkToFit } from './image';
import { ImageDecodeError, ImageSequenceSource, MAX_STILL_SIDE, readImageFile } from './image-file';
import { FACES } from './test-faces';

const faces = FACES.dir;

test(
  'an image sequence plays like a camera: in order, timestamps at its frame rate, looping if asked',
  { skip: FACES.skip },
  async () => {
    const files = ['lfw/Nicole_Kidman/Nicole_Kidman_0002.jpg', 'spoof/image_F1.jpg'].map((f) =>
      join(faces, f),
    );
    const once = new ImageSequenceSource(files, { fps: 4 });
    assert.equal(once.description, 'images Nicole_Kidman_0002.jpg (+1)');
    const a = await once.next();
    const b = await once.next();
    assert.deepEqual([a?.width, a?.height, a?.timestampMs], [250, 250, 0]);
    assert.deepEqual(
      [b?.width, b?.height, b?.timestampMs],
      [480, 640, 250],
      'EXIF orientation 6 applied',
    );
    assert.equal(await once.next(), null);
    const looping = new ImageSequenceSource(files.slice(0, 1), { loop: true });
    for (let i = 0; i < 3; i++) assert.equal((await looping.next())?.timestampMs, i * 100);
    looping.close();
    assert.equal(await looping.next(), null);
  },
);

test(
  'large photos are box-filtered down; unreadable files say so',
  { skip: FACES.skip },
  async () => {
    const big = await readImageFile(join(faces, 'spoof/image_T2.jpg')); // 1617x2160 upright
    assert.ok(Math.max(big.width, big.height) <= MAX_STILL_SIDE);
    assert.deepEqual([big.width, big.height], [808, 1080]);
    await assert.rejects(
      readImageFile(join(faces, 'nope.jpg')),
      (e: Error) =>
        e instanceof ImageDecodeError && /nope.jpg: cannot read file \(ENOENT\)/.test(e.message),
    );
  },
);

test('shrinkToFit averages whole blocks', () => {
  // 4x2 -> 2x1: each output pixel is the mean of a 2x2 block.
  const data = new Uint8Array([
    0, 0, 0, 10, 10, 10, 100, 0, 0, 200, 0, 0, 20, 20, 20, 30, 30, 30, 100, 0, 0, 0, 0, 0,
  ]);
  const small = shrinkToFit({ width: 4, height: 2, data }, 2);
  assert.deepEqual([small.width, small.height], [2, 1]);
  assert.deepEqual(Array.from(small.data), [15, 15, 15, 100, 0, 0]);
  const same = { width: 2, height: 2, data: new Uint8Array(12) };
  assert.equal(shrinkToFit(same, 2), same);
});
