import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dot, orthonormal, combine, randomUnit, rng } from '../test-support';
import { TemplateIndex } from './template-index';

describe('TemplateIndex', () => {
  it('finds the same best two payers as an exact brute-force search, with exact scores', () => {
    const random = rng(1);
    const index = new TemplateIndex(512);
    const rows: { payer: string; v: Float32Array }[] = [];
    for (let i = 0; i < 3000; i++) {
      const v = randomUnit(random);
      const payer = `p${i % 1500}`; // two templates per payer
      rows.push({ payer, v });
      index.add(i, payer, String(1000 + (i % 1500)).slice(-4), v);
    }
    for (let q = 0; q < 20; q++) {
      // A probe near one row, so the best score is high and the runner-up is another payer.
      const target = rows[(q * 137) % rows.length] as { payer: string; v: Float32Array };
      const noise = randomUnit(random);
      const probe = target.v.map((x, i) => x * 0.8 + (noise[i] as number) * 0.6);
      const perPayer = new Map<string, number>();
      const norm = Math.sqrt(dot(probe, probe));
      for (const r of rows) {
        const s = dot(probe, r.v) / norm;
        perPayer.set(r.payer, Math.max(perPayer.get(r.payer) ?? -1, s));
      }
      const ranked = [...perPayer.entries()].sort((a, b) => b[1] - a[1]);
      const found = index.search(probe);
      assert.equal(found.best?.payerId, ranked[0]?.[0]);
      assert.equal(found.second?.payerId, ranked[1]?.[0]);
      assert.ok(Math.abs((found.best?.score ?? 0) - (ranked[0]?.[1] ?? 0)) < 1e-5);
      assert.ok(Math.abs((found.second?.score ?? 0) - (ranked[1]?.[1] ?? 0)) < 1e-5);
    }
  });

  it('never offers the same payer as runner-up, narrows by phone tail, forgets removed templates', () => {
    const random = rng(2);
    const [e0, e1, e2] = orthonormal(random, 3) as [Float64Array, Float64Array, Float64Array];
    const index = new TemplateIndex(512);
    index.add(1, 'alice', '1111', combine([e0], [1]));
    index.add(2, 'alice', '1111', combine([e0, e1], [0.99, Math.sqrt(1 - 0.99 ** 2)]));
    index.add(3, 'bob', '2222', combine([e0, e2], [0.6, 0.8]));
    const probe = combine([e0], [1]);
    const all = index.search(probe);
    assert.equal(all.best?.payerId, 'alice');
    assert.equal(all.second?.payerId, 'bob');
    assert.ok(Math.abs((all.second?.score ?? 0) - 0.6) < 1e-5);

    const bobOnly = index.search(probe, '2222');
    assert.equal(bobOnly.best?.payerId, 'bob');
    assert.equal(bobOnly.second, null);
    assert.deepEqual(index.search(probe, '9999'), { best: null, second: null });

    index.remove(1);
    index.remove(2);
    assert.equal(index.size, 1);
    assert.equal(index.search(probe).best?.payerId, 'bob');
    assert.equal(index.search(probe, '1111').best, null);
    index.add(2, 'alice', '1111', combine([e0], [1])); // a replayed change is harmless too
    assert.equal(index.search(probe).best?.payerId, 'alice');
  });

  it('grows past its first capacity and refuses wrong-sized vectors', () => {
    const random = rng(3);
    const index = new TemplateIndex(512);
    const vectors = Array.from({ length: 2500 }, () => randomUnit(random));
    vectors.forEach((v, i) => index.add(i, `p${i}`, '0000', v));
    assert.equal(index.size, 2500);
    assert.equal(index.search(vectors[2499] as Float32Array).best?.payerId, 'p2499');
    assert.equal(index.search(vectors[7] as Float32Array).best?.payerId, 'p7');
    assert.throws(() => index.add(9999, 'x', '0000', new Float32Array(128)), /512/);
    assert.throws(() => index.add(9998, 'x', '0000', new Float32Array(512)), /zero/);
  });
});
