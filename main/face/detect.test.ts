import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { DETECT_SPEC, MIN_FACE_SCORE, letterboxAffine, letterboxFor } from './detect';
import { readImageFile } from './image-file';
import { FacePipeline } from './pipeline';
import { sampleToTensor } from './sample';
import { chooseMainFace } from './track';
import { Y4mFileSource } from './y4m';
import { FACES, devSetForTests } from './test-faces';

const dev = devSetForTests();
let pipeline: FacePipeline;
let raw: ort.InferenceSession;
before(async () => {
  pipeline = await FacePipeline.load();
  raw = await ort.InferenceSession.create(
    join(import.meta.dirname, '../../assets/models/fr_detect.onnx'),
  );
});
after(async () => {
  await pipeline.close();
  await raw.release();
});

const sample = dev.images.filter((_, i) => i % 30 === 0).map((i) => i.file); // 50 photos

test(
  'the outputs are already decoded: softmaxed scores, corner boxes in 0-1 of the input',
  { skip: FACES.skip },
  async () => {
    const input = new Float32Array(3 * 240 * 320);
    for (const file of sample.slice(0, 10)) {
      const img = await readImageFile(join(dev.dir, file));
      const lb = letterboxFor(img.width, img.height);
      sampleToTensor(img, letterboxAffine(lb), DETECT_SPEC, input);
      const out = await raw.run({ input: new ort.Tensor('float32', input, [1, 3, 240, 320]) });
      const scores = out.scores?.data as Float32Array;
      const boxes = out.boxes?.data as Float32Array;
      for (let i = 0; i < scores.length; i += 2) {
        assert.ok(
          Math.abs((scores[i] as number) + (scores[i + 1] as number) - 1) < 1e-4,
          'rows sum to 1',
        );
      }
      let best = 1;
      for (let i = 3; i < scores.length; i += 2)
        if ((scores[i] as number) > (scores[best] as number)) best = i;
      const [x1, y1, x2, y2] = Array.from(
        boxes.subarray(((best - 1) / 2) * 4, ((best - 1) / 2) * 4 + 4),
      );
      assert.ok(
        0 <= (x1 as number) && (x1 as number) < (x2 as number) && (x2 as number) <= 1,
        file,
      );
      assert.ok(
        0 <= (y1 as number) && (y1 as number) < (y2 as number) && (y2 as number) <= 1,
        file,
      );
      // Read as corners, the best box holds the photo's centre (LFW centres the face there).
      const cx = (((x1 as number) + (x2 as number)) / 2) * 320 * lb.scale + lb.offsetX;
      const cy = (((y1 as number) + (y2 as number)) / 2) * 240 * lb.scale + lb.offsetY;
      assert.ok(Math.hypot(cx - 125, cy - 125) < 30, `${file}: centre (${cx}, ${cy})`);
    }
  },
);

test('the main face found in DEV photos is the centred one', { skip: FACES.skip }, async () => {
  for (const file of sample) {
    const img = await readImageFile(join(dev.dir, file));
    const main = chooseMainFace(await pipeline.detect(img), img.width, img.height);
    assert.ok(main && main.score >= 0.98, `${file}: score ${main?.score}`);
    const w = main.box.x2 - main.box.x1;
    assert.ok(w > 60 && w < 160, `${file}: face width ${w}`);
    const c = { x: (main.box.x1 + main.box.x2) / 2, y: (main.box.y1 + main.box.y2) / 2 };
    assert.ok(Math.hypot(c.x - 125, c.y - 125) < 30, `${file}: centre (${c.x}, ${c.y})`);
  }
});

test(
  'the camera clip has a face in every frame, the empty clip in none',
  { skip: FACES.skip },
  async () => {
    for (const [clip, expected] of [
      ['face.y4m', 1],
      ['empty.y4m', 0],
    ] as const) {
      const source = new Y4mFileSource(join(dev.dir, 'camera', clip), { loop: false });
      for (let f = await source.next(); f !== null; f = await source.next()) {
        assert.equal((await pipeline.detect(f)).length, expected, clip);
      }
      source.close();
    }
    assert.equal(MIN_FACE_SCORE, 0.7);
  },
);

test(
  'portrait photos are letterboxed, and boxes map back into the frame',
  { skip: FACES.skip },
  async () => {
    const img = await readImageFile(join(dev.dir, 'spoof/image_F1.jpg')); // 480x640 once upright
    const lb = letterboxFor(img.width, img.height);
    assert.deepEqual(lb, { scale: 640 / 240, offsetX: (480 - (640 / 240) * 320) / 2, offsetY: 0 });
    const [face] = await pipeline.detect(img);
    assert.ok(face && face.box.x1 >= 0 && face.box.x2 <= img.width && face.box.y2 <= img.height);
    assert.ok(face.box.x2 - face.box.x1 > 100, 'the face in the held photo is found');
  },
);
