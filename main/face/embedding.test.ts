import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cosineSimilarity, fuseEmbeddings, l2Normalise } from './embedding';

let seed = 42;
function gaussian(): number {
  // Box-Muller on a small deterministic generator, so the test is the same every run.
  const next = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
}
const randomUnit = (dim = 512): Float32Array =>
  l2Normalise(Float32Array.from({ length: dim }, gaussian));

test('l2Normalise makes unit vectors; cosine of unit vectors is their dot product', () => {
  const v = l2Normalise(new Float32Array([3, 4]));
  assert.deepEqual(Array.from(v), [0.6000000238418579, 0.800000011920929]);
  assert.ok(Math.abs(cosineSimilarity(v, v) - 1) < 1e-6);
  assert.deepEqual(Array.from(l2Normalise(new Float32Array(3))), [0, 0, 0]);
  assert.throws(() => cosineSimilarity(new Float32Array(2), new Float32Array(3)), /sizes differ/);
});

test('fusing noisy frames of one face lands closer to the face than the frames do', () => {
  const truth = randomUnit();
  const frames = Array.from({ length: 5 }, () => {
    const noise = randomUnit();
    const v = truth.map((t, i) => t + 0.8 * (noise[i] as number));
    return { embedding: l2Normalise(v), weight: 1 };
  });
  const fused = fuseEmbeddings(frames);
  assert.ok(Math.abs(cosineSimilarity(fused, fused) - 1) < 1e-5, 'renormalised');
  const fusedSim = cosineSimilarity(fused, truth);
  for (const f of frames) assert.ok(fusedSim > cosineSimilarity(f.embedding, truth));
});

test('the weights count, only the best frames are used, zero weight never', () => {
  const a = new Float32Array([1, 0]);
  const b = new Float32Array([0, 1]);
  const weighted = fuseEmbeddings([
    { embedding: a, weight: 3 },
    { embedding: b, weight: 1 },
  ]);
  assert.ok(Math.abs((weighted[0] as number) / (weighted[1] as number) - 3) < 1e-5);
  const bestOnly = fuseEmbeddings(
    [
      { embedding: a, weight: 0.9 },
      { embedding: b, weight: 0.1 },
    ],
    1,
  );
  assert.deepEqual(Array.from(bestOnly), [1, 0]);
  assert.deepEqual(
    Array.from(
      fuseEmbeddings([
        { embedding: a, weight: 0 },
        { embedding: b, weight: 1 },
      ]),
    ),
    [0, 1],
  );
  assert.throws(() => fuseEmbeddings([{ embedding: a, weight: 0 }]), /no embedding/);
});
