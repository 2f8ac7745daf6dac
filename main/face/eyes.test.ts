import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { eyeCrops } from './eyes';
import { readImageFile } from './image-file';
import { FacePipeline } from './pipeline';
import { Y4mFileSource } from './y4m';
import { FACES, devSetForTests } from './test-faces';

const dev = devSetForTests();
let pipeline: FacePipeline;
before(async () => (pipeline = await FacePipeline.load()));
after(async () => pipeline.close());

test('eye crops are squares 1.6 eye-widths wide about each eye', () => {
  const pts = new Float32Array(136);
  const set = (i: number, x: number, y: number): void => {
    pts[i * 2] = x;
    pts[i * 2 + 1] = y;
  };
  // Right eye corners 36 (x 100) and 39 (x 120), lids at y 50; left eye 42 (140) to 45 (160).
  for (const i of [36, 37, 38, 39, 40, 41]) set(i, i === 36 ? 100 : i === 39 ? 120 : 110, 50);
  for (const i of [42, 43, 44, 45, 46, 47]) set(i, i === 42 ? 140 : i === 45 ? 160 : 150, 50);
  const [right, left] = eyeCrops(pts);
  assert.deepEqual(right, { x1: 94, y1: 34, x2: 126, y2: 66 });
  assert.deepEqual(left, { x1: 134, y1: 34, x2: 166, y2: 66 });
});

test(
  'class 1 is open: most DEV photos have open eyes, a photo with both eyes shut does not',
  { skip: FACES.skip },
  async () => {
    let open = 0;
    const files = dev.images.filter((_, i) => i % 15 === 0).map((i) => i.file); // 100 photos
    for (const file of files) {
      const face = (
        await pipeline.analyse(await readImageFile(join(dev.dir, file)), {
          liveness: 'never',
          embedding: 'never',
        })
      ).face;
      if (face && face.quality.eyesOpen >= 0.5) open += 1;
    }
    assert.ok(open >= 88, `${open} of ${files.length} open`);
    const shut = await pipeline.analyse(
      await readImageFile(join(dev.dir, 'lfw/Ray_Allen/Ray_Allen_0002.jpg')),
    );
    assert.ok(
      shut.face && shut.face.quality.eyesOpen < 0.1,
      `Ray_Allen_0002: ${shut.face?.quality.eyesOpen}`,
    );
    assert.ok(shut.face.refusals.includes('EYES_CLOSED'));
  },
);

test(
  'the camera clip passes: hair over one eye does not count as closed',
  { skip: FACES.skip },
  async () => {
    const source = new Y4mFileSource(join(dev.dir, 'camera/face.y4m'), { loop: false });
    for (let f = await source.next(); f !== null; f = await source.next()) {
      const face = (await pipeline.analyse(f, { liveness: 'never', embedding: 'never' })).face;
      assert.ok(face && face.quality.eyesOpen >= 0.5);
    }
    source.close();
  },
);
