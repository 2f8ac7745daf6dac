/**
 * Still photos with the real models: which face a photo means, and the bad photos an enrolment
 * meets (two faces, a bystander, no face, a grey frame, an upside-down photo). The photos are
 * composed in memory from DEV faces (sharp), never written anywhere.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { facesDir } from './dev-set';
import { cosineSimilarity } from './embedding';
import { decodeImage } from './image-file';
import { FacePipeline, type FrameAnalysis } from './pipeline';
import { COMPARABLE_RATIO, chooseIntended, intentScore } from './still-face';
import { thresholdFor } from './thresholds';

const faces = facesDir();
const ann = readFileSync(join(faces, 'lfw/Nicole_Kidman/Nicole_Kidman_0003.jpg'));
const bob = readFileSync(join(faces, 'lfw/Ray_Allen/Ray_Allen_0002.jpg'));
let pipeline: FacePipeline;

before(async () => {
  pipeline = await FacePipeline.load();
});
after(() => pipeline.close());

const analyse = async (bytes: Uint8Array, name: string): Promise<FrameAnalysis> =>
  pipeline.analyse(await decodeImage(bytes, name), { liveness: 'never' });

const canvas = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 90, g: 100, b: 110 } } });

test('intent: larger, more central, sharper and more frontal faces win; close rivals are counted', () => {
  const q = { yaw: 0, pitch: 0, sharpness: 60 };
  const gates = { minSharpness: 15 };
  const centre = { x1: 200, y1: 150, x2: 300, y2: 250 };
  const corner = { x1: 0, y1: 0, x2: 100, y2: 100 };
  const base = intentScore(centre, q, 500, 400, gates);
  assert.ok(intentScore(corner, q, 500, 400, gates) < base, 'central beats corner');
  assert.ok(intentScore(centre, { ...q, yaw: 50 }, 500, 400, gates) < base * 0.7, 'frontal');
  assert.ok(intentScore(centre, { ...q, sharpness: 10 }, 500, 400, gates) < base * 0.2, 'sharp');
  const picked = chooseIntended([{ intent: 1 }, { intent: COMPARABLE_RATIO }, { intent: 0.49 }]);
  assert.deepEqual(picked, { chosen: { intent: 1 }, comparable: 1 });
  assert.equal(chooseIntended([]), null);
});

test('two people side by side: ambiguous, whichever is taken', async () => {
  const pair = await canvas(500, 250)
    .composite([
      { input: ann, left: 0, top: 0 },
      { input: bob, left: 250, top: 0 },
    ])
    .jpeg()
    .toBuffer();
  const result = await analyse(pair, 'pair.jpg');
  assert.ok(result.faceCount >= 2);
  assert.ok(result.comparableFaces >= 1, 'the photo is ambiguous');
});

test('a bystander, small and off to the side, does not make the photo ambiguous', async () => {
  const alone = await analyse(ann, 'ann.jpg');
  const small = await sharp(bob).resize(110, 110).toBuffer();
  const photo = await canvas(560, 420)
    .composite([
      { input: ann, left: 155, top: 85 },
      { input: small, left: 440, top: 10 },
    ])
    .jpeg({ quality: 95 })
    .toBuffer();
  const result = await analyse(photo, 'bystander.jpg');
  assert.ok(result.faceCount >= 2, `the bystander is seen (${result.faceCount} faces)`);
  assert.equal(result.comparableFaces, 0);
  const box = result.face?.box;
  assert.ok(box && box.x1 > 155 && box.x2 < 405, 'the chosen face is the subject');
  const similarity = cosineSimilarity(
    result.face?.embedding as Float32Array,
    alone.face?.embedding as Float32Array,
  );
  assert.ok(similarity > 0.9, `and it is her (${similarity.toFixed(3)})`);
});

test('the subject is chosen over a larger face that is out of focus', async () => {
  // The big face: Bob at 1.3x, blurred hard (a neighbour nearer the lens, out of focus).
  const big = await sharp(bob).resize(325, 325).blur(6).toBuffer();
  const photo = await canvas(600, 330)
    .composite([
      { input: big, left: 0, top: 0 },
      { input: ann, left: 340, top: 40 },
    ])
    .jpeg({ quality: 95 })
    .toBuffer();
  const result = await analyse(photo, 'blurred-neighbour.jpg');
  const box = result.face?.box;
  assert.ok(box && box.x1 >= 340, `the sharp face is taken (${JSON.stringify(box)})`);
});

test('no face, and a grey frame: no face, nothing embedded', async () => {
  const grey = await canvas(640, 480).png().toBuffer();
  const wall = await sharp({
    create: {
      width: 640,
      height: 480,
      channels: 3,
      background: { r: 0, g: 0, b: 0 },
      noise: { type: 'gaussian', mean: 120, sigma: 30 },
    },
  })
    .webp()
    .toBuffer();
  for (const [name, bytes] of [
    ['grey.png', grey],
    ['noise.webp', wall],
  ] as const) {
    const result = await analyse(bytes, name);
    assert.equal(result.faceCount, 0, name);
    assert.equal(result.face, null, name);
    assert.equal(result.comparableFaces, 0, name);
  }
});

test('an upside-down photo tagged as such (EXIF 3) is read upright; untagged it is refused', async (t) => {
  const upright = await analyse(ann, 'ann.jpg');
  const turnedPixels = sharp(ann).rotate(180);
  const tagged = await turnedPixels.clone().withMetadata({ orientation: 3 }).jpeg().toBuffer();
  const untagged = await turnedPixels.clone().jpeg().toBuffer();
  const fixed = await analyse(tagged, 'tagged.jpg');
  const similarity = cosineSimilarity(
    fixed.face?.embedding as Float32Array,
    upright.face?.embedding as Float32Array,
  );
  assert.ok(similarity > 0.97, `decoded upright: the same face (${similarity.toFixed(3)})`);
  // Untagged, the landmarks model still fits an upright face to it (so roll reads near 0):
  // what stops it is a failed gate, and an embedding that no longer looks like her.
  const lost = await analyse(untagged, 'untagged.jpg');
  const lostSimilarity = lost.face?.embedding
    ? cosineSimilarity(lost.face.embedding, upright.face?.embedding as Float32Array)
    : -1;
  t.diagnostic(
    `untagged: refusals ${JSON.stringify(lost.face?.refusals)}, similarity ${lostSimilarity.toFixed(3)}`,
  );
  assert.ok(lost.face === null || lost.face.refusals.length > 0, 'never a usable face');
  assert.ok(lostSimilarity < thresholdFor(1e-3).threshold, 'and not her');
});
