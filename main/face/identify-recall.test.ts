/**
 * The sign-bit prefilter of very large galleries (gallery.ts) against exhaustive search, on
 * face-like galleries (clusters, not uniform noise). Small here (50,000 templates, the prefilter
 * forced on with a shortlist scaled down with the gallery); bench/identify-1m.bench.ts measures
 * the same agreement at a million.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Gallery } from './gallery';
import type { FaceLike } from './test-support/face-like';
import { fillFaceLike } from './test-support/face-like';

const IDENTITIES = 25_000;
const PER_IDENTITY = 2;
// 2,000 of 1,000,000 rows at full size is 0.2 %; the same share of 50,000 rows is 100.
const SHORTLIST = 100;

const gallery = new Gallery(512, 16, { prefilterFrom: 0, shortlist: SHORTLIST });
const faces: FaceLike = fillFaceLike(gallery, IDENTITIES, PER_IDENTITY, 7);

test('prefiltered top 1 agrees with exhaustive search for ≥ 99.9 % of genuine probes', () => {
  const probes = 1000;
  let agree = 0;
  let right = 0;
  for (let p = 0; p < probes; p++) {
    const person = (p * 7919) % IDENTITIES;
    const probe = faces.sample(person);
    const fast = gallery.identify(probe, 1)[0];
    const exact = gallery.identifyExact(probe, 1)[0];
    assert.ok(fast && exact);
    if (fast.index === exact.index) agree += 1;
    if (fast.id === `person-${person}`) right += 1;
    // Whatever the shortlist found is scored exactly.
    assert.ok(Math.abs(fast.similarity - gallery.exact(probe, fast.index)) < 1e-6);
  }
  assert.ok(agree >= probes * 0.999, `top-1 agreement ${agree}/${probes}`);
  assert.ok(right >= probes * 0.999, `right person ${right}/${probes}`);
});

test('imposter probes: the prefilter finds only strangers, scored well below a genuine match', () => {
  for (let p = 0; p < 100; p++) {
    const probe = faces.sample(IDENTITIES + p); // never enrolled
    const fast = gallery.identify(probe, 1)[0];
    const exact = gallery.identifyExact(probe, 1)[0];
    assert.ok(fast && exact);
    assert.ok(fast.similarity <= exact.similarity + 1e-6, 'never better than exhaustive search');
    assert.ok(exact.similarity < 0.3, `imposter scores ${exact.similarity}`);
  }
});

test('removed templates never come back from the prefilter', () => {
  const small = new Gallery(512, 16, { prefilterFrom: 0, shortlist: 50 });
  const f = fillFaceLike(small, 500, 2, 11);
  const probe = f.sample(42);
  const before = small.identify(probe, 1)[0];
  assert.equal(before?.id, 'person-42');
  small.remove(84);
  small.remove(85); // both of person-42's templates
  const after = small.identify(probe, 5);
  assert.ok(after.every((m) => m.id !== 'person-42'));
  assert.equal(after.length, 5);
});

test('a NaN in the probe is a clear error on the prefiltered path too', () => {
  const probe = faces.sample(1);
  probe[100] = Number.NaN;
  assert.throws(() => gallery.identify(probe, 1), /not finite/);
});

test('a gallery crosses the prefilter size without a rebuild, and small dimensions work', () => {
  const g = new Gallery(16, 4, { prefilterFrom: 300, shortlist: 20 });
  const f = fillFaceLike(g, 200, 1, 3, 0.3); // 16 dimensions: tighter clusters to stay apart
  const probe = f.sample(17);
  assert.equal(g.identify(probe, 1)[0]?.id, 'person-17'); // exhaustive: 200 rows
  for (let n = 200; n < 400; n++) g.add(`person-${n}`, f.sample(n)); // grows past 300
  const fast = g.identify(probe, 3);
  const exact = g.identifyExact(probe, 3);
  assert.equal(fast[0]?.index, exact[0]?.index);
});

test('without a float copy: int8 templates only, similarities within 2e-3 of the float cosines', () => {
  const compact = new Gallery(512, 16, { prefilterFrom: 0, shortlist: 50, floatCopy: false });
  const full = new Gallery(512, 16, { prefilterFrom: 0, shortlist: 50 });
  fillFaceLike(compact, 1000, 2, 5);
  const f = fillFaceLike(full, 1000, 2, 5); // the same templates
  for (let p = 0; p < 50; p++) {
    const probe = f.sample(p * 13);
    const a = compact.identify(probe, 2);
    const b = full.identify(probe, 2);
    assert.equal(a[0]?.id, `person-${p * 13}`);
    assert.equal(a[0]?.index, b[0]?.index);
    assert.ok(Math.abs((a[0]?.similarity ?? 0) - (b[0]?.similarity ?? 1)) < 2e-3);
    // Exhaustive search over the int8 templates finds the float copy's best too.
    assert.deepEqual(
      compact.identifyExact(probe, 1).map((m) => m.index),
      full.identifyExact(probe, 1).map((m) => m.index),
    );
  }
  const decoded = compact.vectorAt(3);
  const original = full.vectorAt(3);
  assert.ok(decoded.every((v, i) => Math.abs(v - (original[i] as number)) < 2e-3));
});
