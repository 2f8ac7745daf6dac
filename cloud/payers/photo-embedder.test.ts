/**
 * The photo enrolment rule (photo-embedder.ts ENROLMENT_RULE) on embeddings built to agree or
 * not: a bad photo is left out with its reason, a stranger's photo in the batch is caught, and
 * a batch mostly refused is refused whole, naming the first bad photo.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thresholdFor } from '../../main/face/thresholds';
import { CloudError } from '../errors';
import { keepConsistent, photoProblem } from './photo-embedder';
import type { FrameAnalysis } from '../../main/face/pipeline';

const DIM = 512;
/** A unit vector along axis `a`, tilted towards axis `b` so that two share cosine `cos`. */
function unit(a: number, b = a, cos = 1): Float32Array {
  const v = new Float32Array(DIM);
  v[a] = cos;
  if (b !== a) v[b] = Math.sqrt(1 - cos * cos);
  return v;
}
const field = (i: number): string => `body.images.${i}`;

test('one bad photo among good ones is left out with its reason; the rest enrol', () => {
  const her = [unit(0), unit(0, 1, 0.8), unit(0, 2, 0.75)];
  const result = keepConsistent([
    { field: field(0), embedding: her[0] as Float32Array },
    { field: field(1), problem: 'no face found' },
    { field: field(2), embedding: her[1] as Float32Array },
    { field: field(3), embedding: her[2] as Float32Array },
  ]);
  assert.equal(result.embeddings.length, 3);
  assert.deepEqual(result.refused, [{ field: field(1), message: 'no face found' }]);
});

test("a stranger's photo in the batch matches none of the others and is left out", () => {
  const threshold = thresholdFor(1e-3).threshold;
  const result = keepConsistent([
    { field: field(0), embedding: unit(0) },
    { field: field(1), embedding: unit(0, 1, 0.7) },
    { field: field(2), embedding: unit(5, 6, 0.9) }, // someone else: cosine 0 with both
  ]);
  assert.ok(0.7 > threshold);
  assert.equal(result.embeddings.length, 2);
  assert.deepEqual(result.refused, [
    { field: field(2), message: 'the face does not match the other photos' },
  ]);
});

test('too few good photos: refused whole, every reason listed, the first bad photo named', () => {
  const attempt = () =>
    keepConsistent([
      { field: field(0), embedding: unit(0) },
      { field: field(1), problem: 'cannot decode PNG (truncated)' },
      { field: field(2), problem: 'two faces of comparable size and sharpness' },
    ]);
  assert.throws(attempt, (e: Error) => {
    assert.ok(e instanceof CloudError);
    assert.equal(e.field, field(1));
    assert.match(e.message, /body\.images\.1: cannot decode PNG.*body\.images\.2: two faces/);
    assert.match(e.message, /1 of 3 photos usable/);
    return true;
  });
  // Two good photos of two different people: neither can be trusted, nothing enrols.
  assert.throws(
    () =>
      keepConsistent([
        { field: field(0), embedding: unit(0) },
        { field: field(1), embedding: unit(9) },
      ]),
    /does not match the other photos/,
  );
  // One good photo alone is enough.
  assert.equal(keepConsistent([{ field: field(0), embedding: unit(0) }]).embeddings.length, 1);
});

test('photoProblem: no face, two comparable faces, or fine', () => {
  const timings = {
    detectMs: 0,
    landmarkMs: 0,
    alignMs: 0,
    qualityMs: 0,
    livenessMs: 0,
    embedMs: 0,
    totalMs: 0,
    modelMs: 0,
  };
  const none: FrameAnalysis = {
    width: 1,
    height: 1,
    faceCount: 0,
    comparableFaces: 0,
    face: null,
    timings,
  };
  assert.equal(photoProblem(none), 'no face found');
  const face = {
    box: { x1: 0, y1: 0, x2: 1, y2: 1 },
    score: 1,
    trackId: 1,
    points: [],
    qualityScore: 1,
    refusals: [],
    embedding: unit(0),
  } as unknown as NonNullable<FrameAnalysis['face']>;
  assert.match(
    photoProblem({ ...none, faceCount: 2, comparableFaces: 1, face }) ?? '',
    /two faces/,
  );
  assert.equal(photoProblem({ ...none, faceCount: 3, comparableFaces: 0, face }), null);
});
