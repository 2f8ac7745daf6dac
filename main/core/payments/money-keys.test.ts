/** The small pure parts at the acquirer's door: amounts on the wire and out_trade_no keys. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_AMOUNT_FEN, PosError } from '../../contract';
import { checkChargeFen, fenField, fenToYuan, yuanToFen } from './amount';
import { outTradeNo, parseOutTradeNo } from './trade-no';

describe('amounts', () => {
  it('fen and yuan strings convert exactly both ways (no float rounding)', () => {
    for (const fen of [1, 9, 10, 99, 100, 1234, 1999, 100_000_000, MAX_AMOUNT_FEN]) {
      assert.equal(yuanToFen(fenToYuan(fen)), fen);
    }
    assert.equal(fenToYuan(1), '0.01');
    assert.equal(fenToYuan(1234), '12.34');
    assert.equal(yuanToFen('0.29'), 29); // 0.29 * 100 is 28.999999999999996 as a float
    assert.equal(yuanToFen('12.3'), 1230);
    assert.equal(yuanToFen('12'), 1200);
    for (const bad of ['1.234', '-1.00', '1e3', '', ' ', 'abc', '1.2.3', undefined, 12.34])
      assert.equal(yuanToFen(bad), null, String(bad));
    assert.equal(fenField('1234'), 1234);
    assert.equal(fenField('12.34'), null);
  });

  it('zero, negative, fractional, non-number and over-limit charges are refused', () => {
    assert.equal(checkChargeFen(1), 1);
    assert.equal(checkChargeFen(MAX_AMOUNT_FEN), MAX_AMOUNT_FEN);
    for (const bad of [0, -1, 0.5, MAX_AMOUNT_FEN + 1, Number.NaN, Infinity, '100', null])
      assert.throws(
        () => checkChargeFen(bad),
        (error: unknown) => PosError.is(error) && error.code === 'AMOUNT_OUT_OF_RANGE',
        String(bad),
      );
    assert.throws(() => checkChargeFen(501, 500), /over the limit of 5.00 yuan/);
  });
});

describe('out_trade_no', () => {
  const sale = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

  it('is the sale id and attempt, fits WeChat (≤32) and Alipay (letters, digits, _), and maps back', () => {
    for (const attempt of [1, 2, 99]) {
      const no = outTradeNo(sale, attempt);
      assert.ok(no.length <= 32, no);
      assert.match(no, /^[0-9a-z_]+$/);
      assert.deepEqual(parseOutTradeNo(no), { saleId: sale, attempt });
    }
    assert.deepEqual(parseOutTradeNo(outTradeNo('ffffffff-ffff-ffff-ffff-ffffffffffff', 7)), {
      saleId: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
      attempt: 7,
    });
    assert.notEqual(outTradeNo(sale, 1), outTradeNo(sale, 2));
    assert.notEqual(outTradeNo(sale, 1), outTradeNo('0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c', 1));
  });

  it('refuses what cannot key a trade', () => {
    assert.throws(() => outTradeNo('not-a-uuid', 1));
    assert.throws(() => outTradeNo(sale, 0));
    assert.throws(() => outTradeNo(sale, 100));
    assert.equal(parseOutTradeNo('2026000000000001'), null);
    assert.equal(parseOutTradeNo('zzzzzzzzzzzzzzzzzzzzzzzzz_1'), null); // over 128 bits
  });
});
