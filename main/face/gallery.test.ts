import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cosineSimilarity, l2Normalise } from './embedding';
import { Gallery, kthLargest } from './gallery';

let seed = 1;
const next = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5;
const randomUnit = (dim = 512): Float32Array =>
  l2Normalise(Float32Array.from({ length: dim }, next));

test('identify returns the exact top k, best first, matching brute force', () => {
  const gallery = new Gallery(512, 16); // small start: it must grow several times
  const templates: Float32Array[] = [];
  for (let i = 0; i < 3000; i++) {
    const t = randomUnit();
    templates.push(t);
    gallery.add(`person-${i}`, t);
  }
  assert.equal(gallery.size, 3000);
  for (let trial = 0; trial < 5; trial++) {
    // A probe near template 7 * trial, plus noise: it must come first.
    const target = templates[trial * 7] as Float32Array;
    const probe = l2Normalise(target.map((v) => v + next() * 0.05));
    const top = gallery.identify(probe, 5);
    const brute = templates
      .map((t, i) => ({ i, s: cosineSimilarity(probe, t) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 5);
    assert.deepEqual(
      top.map((m) => m.index),
      brute.map((b) => b.i),
    );
    for (const [k, m] of top.entries()) {
      assert.equal(m.id, `person-${m.index}`);
      assert.ok(Math.abs(m.similarity - (brute[k] as { s: number }).s) < 1e-6, 'exact similarity');
    }
  }
});

test('several templates of one person count once, by the best', () => {
  const gallery = new Gallery(16);
  const a = l2Normalise(Float32Array.from({ length: 16 }, (_, i) => (i === 0 ? 1 : 0.01)));
  const a2 = l2Normalise(Float32Array.from({ length: 16 }, (_, i) => (i === 0 ? 1 : 0.2)));
  const b = l2Normalise(Float32Array.from({ length: 16 }, (_, i) => (i === 1 ? 1 : 0.01)));
  gallery.add('ann', a2);
  gallery.add('bob', b);
  gallery.add('ann', a);
  const top = gallery.identify(a, 5);
  assert.deepEqual(
    top.map((m) => [m.id, m.index]),
    [
      ['ann', 2],
      ['bob', 1],
    ],
  );
});

test('one person with many templates does not crowd out the runner-up', () => {
  // Ann has 40 templates near the probe, Bob one a little further, then 2,000 strangers: the
  // top 2 identities must be Ann and Bob, as brute force over identities says.
  const gallery = new Gallery(512, 16);
  const centre = randomUnit();
  const near = (spread: number): Float32Array =>
    l2Normalise(centre.map((v) => v + next() * spread));
  const all: { id: string; t: Float32Array }[] = [];
  for (let i = 0; i < 40; i++) all.push({ id: 'ann', t: near(0.03) });
  all.push({ id: 'bob', t: near(0.12) });
  for (let i = 0; i < 2000; i++) all.push({ id: `stranger-${i}`, t: randomUnit() });
  for (const { id, t } of all) gallery.add(id, t);
  assert.equal(gallery.identities, 2002);

  const probe = near(0.02);
  const bestById = new Map<string, number>();
  for (const { id, t } of all) {
    bestById.set(id, Math.max(bestById.get(id) ?? -Infinity, cosineSimilarity(probe, t)));
  }
  const brute = [...bestById.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const top = gallery.identify(probe, 3);
  assert.deepEqual(
    top.map((m) => m.id),
    brute.map(([id]) => id),
  );
  assert.deepEqual(
    top.slice(0, 2).map((m) => m.id),
    ['ann', 'bob'],
  );
  for (const [i, m] of top.entries()) {
    assert.ok(Math.abs(m.similarity - (brute[i] as [string, number])[1]) < 1e-6);
  }
});

test('empty gallery, wrong sizes', () => {
  const gallery = new Gallery(32);
  assert.deepEqual(gallery.identify(new Float32Array(32)), []);
  assert.throws(() => gallery.add('x', new Float32Array(31)), /32 values/);
  assert.throws(() => gallery.identify(new Float32Array(8)), /32 values/);
  assert.throws(() => new Gallery(20), /multiple of 16/);
});

test('kthLargest', () => {
  const values = new Float32Array([5, 1, 9, 3, 7]);
  assert.equal(kthLargest(values, 5, 1), 9);
  assert.equal(kthLargest(values, 5, 3), 5);
  assert.equal(kthLargest(values, 5, 5), 1);
});

test('removed templates are never returned; an identity with none left is gone', () => {
  const gallery = new Gallery(512, 16);
  const ann = randomUnit();
  const annRows = [gallery.add('ann', ann), gallery.add('ann', randomUnit())];
  const bobRow = gallery.add('bob', randomUnit());
  for (let i = 0; i < 100; i++) gallery.add(`stranger-${i}`, randomUnit());
  assert.equal(gallery.identify(ann, 1)[0]?.id, 'ann');

  gallery.remove(annRows[0] as number);
  gallery.remove(annRows[0] as number); // twice: nothing more happens
  assert.equal(gallery.size, 102);
  assert.equal(gallery.templatesOf('ann'), 1);
  const top = gallery.identify(ann, 200);
  assert.ok(!top.some((m) => m.index === annRows[0]), 'the removed row is not a candidate');
  assert.equal(top.length, 102, 'every identity still enrolled, once');

  gallery.remove(annRows[1] as number);
  assert.equal(gallery.identities, 101);
  assert.equal(gallery.bestOf(ann, 'ann'), null);
  assert.ok(!gallery.identify(ann, 200).some((m) => m.id === 'ann'), 'ann is gone');
  assert.equal(gallery.bestOf(ann, 'bob')?.index, bobRow);
  // Adding her again works as for anyone new.
  gallery.add('ann', ann);
  assert.equal(gallery.identify(ann, 1)[0]?.id, 'ann');
});

test('a template or probe with NaN or Infinity is refused, not silently poisoning every score', () => {
  const gallery = new Gallery(16);
  const bad = new Float32Array(16).fill(0.25);
  bad[3] = Number.NaN;
  assert.throws(() => gallery.add('x', bad), /value 3 is not finite/);
  bad[3] = Number.POSITIVE_INFINITY;
  assert.throws(() => gallery.add('x', bad), /not finite/);
  assert.equal(gallery.size, 0);
  gallery.add('y', new Float32Array(16).fill(0.25));
  assert.throws(() => gallery.identify(bad), /not finite/);
});

test('reserve makes room at once and keeps what is there', () => {
  const gallery = new Gallery(512, 16);
  const first = randomUnit();
  gallery.add('first', first);
  gallery.reserve(5000);
  for (let i = 0; i < 4000; i++) gallery.add(`p${i}`, randomUnit());
  assert.equal(gallery.identify(first, 1)[0]?.id, 'first');
  assert.ok(Math.abs((gallery.identify(first, 1)[0]?.similarity ?? 0) - 1) < 1e-6);
});
