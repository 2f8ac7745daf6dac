import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_AMOUNT_FEN } from '../contract';
import { cashChange, fenToYuanInput, formatFen, parseYuanToFen, quickTenders } from './money';

describe('parseYuanToFen', () => {
  it('parses whole and decimal yuan into fen without floating point error', () => {
    assert.deepEqual(parseYuanToFen('12'), { ok: true, fen: 1200 });
    assert.deepEqual(parseYuanToFen('12.5'), { ok: true, fen: 1250 });
    assert.deepEqual(parseYuanToFen('12.50'), { ok: true, fen: 1250 });
    assert.deepEqual(parseYuanToFen('0.29'), { ok: true, fen: 29 });
    assert.deepEqual(parseYuanToFen('1.13'), { ok: true, fen: 113 });
    assert.deepEqual(parseYuanToFen('.5'), { ok: true, fen: 50 });
    assert.deepEqual(parseYuanToFen('7.'), { ok: true, fen: 700 });
    assert.deepEqual(parseYuanToFen(' 200 '), { ok: true, fen: 20_000 });
    assert.deepEqual(parseYuanToFen('0'), { ok: true, fen: 0 });
  });

  it('accepts a currency sign, grouping and full-width digits', () => {
    assert.deepEqual(parseYuanToFen('¥1,000'), { ok: true, fen: 100_000 });
    assert.deepEqual(parseYuanToFen('１２．５'), { ok: true, fen: 1250 });
    assert.deepEqual(parseYuanToFen('￥５０'), { ok: true, fen: 5000 });
  });

  it('rejects empty, malformed, negative and over-precise input', () => {
    assert.deepEqual(parseYuanToFen(''), { ok: false, reason: 'empty' });
    assert.deepEqual(parseYuanToFen('   '), { ok: false, reason: 'empty' });
    for (const bad of ['abc', '1.234', '-5', '1e3', '1.2.3', '.', '12a']) {
      assert.deepEqual(parseYuanToFen(bad), { ok: false, reason: 'format' }, bad);
    }
  });

  it('rejects amounts beyond the contract maximum', () => {
    assert.deepEqual(parseYuanToFen('1000000'), { ok: true, fen: MAX_AMOUNT_FEN });
    assert.deepEqual(parseYuanToFen('1000000.01'), { ok: false, reason: 'range' });
    assert.deepEqual(parseYuanToFen('99999999999999999'), { ok: false, reason: 'range' });
    assert.deepEqual(parseYuanToFen('50', 4_000), { ok: false, reason: 'range' });
  });
});

describe('formatFen', () => {
  it('formats as CNY in the given locale', () => {
    assert.equal(formatFen(1250, 'zh-CN'), '¥12.50');
    assert.equal(formatFen(1250, 'en'), '¥12.50');
    assert.equal(formatFen(0, 'en'), '¥0.00');
    assert.equal(formatFen(123_456_78, 'en'), '¥123,456.78');
    assert.match(formatFen(-350, 'zh-CN'), /^-¥3\.50$/);
  });
});

describe('fenToYuanInput', () => {
  it('renders fen as an editable yuan amount', () => {
    assert.equal(fenToYuanInput(1250), '12.50');
    assert.equal(fenToYuanInput(5), '0.05');
    assert.equal(fenToYuanInput(10_000), '100.00');
  });
});

describe('quickTenders', () => {
  it('offers exact, then the next ¥10, ¥50 and ¥100 above the amount due', () => {
    assert.deepEqual(quickTenders(3_780), [
      { kind: 'exact', fen: 3_780 },
      { kind: 'round', fen: 4_000 },
      { kind: 'round', fen: 5_000 },
      { kind: 'round', fen: 10_000 },
    ]);
  });

  it('drops duplicates (a round amount due, or ¥50 = ¥100 steps)', () => {
    assert.deepEqual(quickTenders(5_000), [
      { kind: 'exact', fen: 5_000 },
      { kind: 'round', fen: 10_000 },
    ]);
    assert.deepEqual(quickTenders(9_120), [
      { kind: 'exact', fen: 9_120 },
      { kind: 'round', fen: 10_000 },
    ]);
  });

  it('offers nothing when nothing is due', () => {
    assert.deepEqual(quickTenders(0), []);
  });
});

describe('cashChange', () => {
  it('computes change, shortfall or nothing', () => {
    assert.deepEqual(cashChange(3_780, 5_000), { state: 'ok', changeFen: 1_220 });
    assert.deepEqual(cashChange(3_780, 3_780), { state: 'ok', changeFen: 0 });
    assert.deepEqual(cashChange(3_780, 2_000), { state: 'short', shortFen: 1_780 });
    assert.deepEqual(cashChange(3_780, null), { state: 'none' });
  });
});
