import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARCFACE_TEMPLATE, alignedSampling, alignmentTransform } from './align';
import type { Point } from './image';
import { applySimilarity, estimateSimilarity, invertSimilarity, type Similarity } from './umeyama';

const known: Similarity = {
  a: 1.7 * Math.cos(0.5),
  b: 1.7 * Math.sin(0.5),
  tx: 12.5,
  ty: -4,
};

test('recovers a known similarity (rotation 0.5 rad, scale 1.7, shift) exactly', () => {
  const src = ARCFACE_TEMPLATE;
  const dst = src.map((p) => applySimilarity(known, p));
  const t = estimateSimilarity(src, dst);
  for (const k of ['a', 'b', 'tx', 'ty'] as const) assert.ok(Math.abs(t[k] - known[k]) < 1e-9, k);
});

test('is the least-squares fit: with noise it beats the exact fit of any three points', () => {
  const src = ARCFACE_TEMPLATE;
  const noise = [
    [0.8, -0.3],
    [-0.5, 0.6],
    [0.2, 0.9],
    [-0.7, -0.4],
    [0.4, -0.8],
  ];
  const dst = src.map((p, i) => {
    const q = applySimilarity(known, p);
    const [nx, ny] = noise[i] as [number, number];
    return { x: q.x + nx, y: q.y + ny };
  });
  const residual = (t: Similarity): number =>
    src.reduce((s, p, i) => {
      const q = applySimilarity(t, p);
      const d = dst[i] as Point;
      return s + (q.x - d.x) ** 2 + (q.y - d.y) ** 2;
    }, 0);
  const full = residual(estimateSimilarity(src, dst));
  const threePoint = residual(estimateSimilarity(src.slice(0, 3), dst.slice(0, 3)));
  assert.ok(full < threePoint, `${full} < ${threePoint}`);
  // And no small change of any parameter improves it (a minimum).
  const t = estimateSimilarity(src, dst);
  for (const k of ['a', 'b', 'tx', 'ty'] as const) {
    for (const step of [1e-4, -1e-4]) assert.ok(residual({ ...t, [k]: t[k] + step }) > full);
  }
});

test('never reflects: a mirrored point set still gives a rotation', () => {
  const src = ARCFACE_TEMPLATE;
  const mirrored = src.map((p) => ({ x: -p.x, y: p.y }));
  const t = estimateSimilarity(src, mirrored);
  // A similarity x' = a x - b y, y' = b x + a y has determinant a^2 + b^2 > 0 by construction;
  // a mirror cannot be expressed, so the best fit is a poor one rather than a flip.
  const q = applySimilarity(t, src[0] as Point);
  assert.ok(Math.abs(q.x - (mirrored[0] as Point).x) > 1);
});

test('inverse composes to identity; the alignment maps the face points onto the template', () => {
  const face = ARCFACE_TEMPLATE.map((p) => applySimilarity(known, p));
  const toTemplate = alignmentTransform(face);
  const back = invertSimilarity(toTemplate);
  for (const [i, p] of face.entries()) {
    const q = applySimilarity(toTemplate, p);
    assert.ok(
      Math.hypot(q.x - (ARCFACE_TEMPLATE[i] as Point).x, q.y - (ARCFACE_TEMPLATE[i] as Point).y) <
        1e-9,
    );
    const r = applySimilarity(back, q);
    assert.ok(Math.hypot(r.x - p.x, r.y - p.y) < 1e-9);
  }
  // The sampler's map takes template pixel (u, v) to the frame point it shows.
  const m = alignedSampling(toTemplate);
  const t0 = ARCFACE_TEMPLATE[0] as Point;
  const x = m.a * t0.x + m.b * t0.y + m.c;
  const y = m.d * t0.x + m.e * t0.y + m.f;
  assert.ok(Math.hypot(x - (face[0] as Point).x, y - (face[0] as Point).y) < 1e-9);
});
