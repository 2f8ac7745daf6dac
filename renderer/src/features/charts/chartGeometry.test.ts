import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { barLayout, donutPath, pieLayout, slicePolygon } from './chartGeometry';

describe('chart geometry', () => {
  it('bars scale to the largest value and share the width', () => {
    const bars = barLayout(
      [
        { key: 9, value: 100 },
        { key: 10, value: 50 },
        { key: 11, value: -20 },
      ],
      300,
      100,
    );
    assert.equal(bars[0]?.height, 100);
    assert.equal(bars[1]?.height, 50);
    assert.equal(bars[2]?.height, 0, 'a net-negative hour draws no bar');
    assert.ok((bars[1]?.x ?? 0) > (bars[0]?.x ?? 0));
    assert.deepEqual(barLayout([], 10, 10), []);
  });

  it('slices cover the circle in proportion, skipping empty methods', () => {
    const slices = pieLayout([
      { key: 'cash', value: 300 },
      { key: 'card', value: 0 },
      { key: 'qr', value: 100 },
    ]);
    assert.deepEqual(
      slices.map((s) => s.key),
      ['cash', 'qr'],
    );
    assert.equal(slices[0]?.share, 0.75);
    assert.ok(Math.abs((slices[1]?.end ?? 0) - Math.PI * 2) < 1e-9);
    assert.deepEqual(pieLayout([{ key: 'cash', value: 0 }]), []);
    const whole = pieLayout([{ key: 'cash', value: 5 }]);
    assert.match(donutPath(50, 50, 40, 20, whole[0]!), /^M50\.00,10\.00 A40/);
    assert.ok(slicePolygon(50, 50, 40, 20, whole[0]!).length > 100);
  });
});
