import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBarcode, makeEan13 } from './barcode';
import { classifyPaymentCode, maskPaymentCode } from './payment-code';

function digits(prefix: string, total: number, fill = '7'): string {
  return prefix + fill.repeat(total - prefix.length);
}

describe('payment codes', () => {
  it('Alipay: 25–30 then 14–22 digits (16–24 in all)', () => {
    for (const prefix of ['25', '26', '27', '28', '29', '30'])
      for (const total of [16, 18, 24])
        assert.deepEqual(classifyPaymentCode(digits(prefix, total)), {
          ok: true,
          scheme: 'alipay',
          code: digits(prefix, total),
        });
    for (const code of [digits('28', 15), digits('28', 25), digits('31', 18), digits('24', 18)])
      assert.equal(classifyPaymentCode(code).ok, false, code);
  });

  it('WeChat: 10–15 then 16 more (18 digits); UnionPay: 62 then 17 more (19 digits)', () => {
    for (const prefix of ['10', '11', '12', '13', '14', '15'])
      assert.equal(classifyPaymentCode(digits(prefix, 18)).ok && 'wechat', 'wechat');
    for (const code of [digits('13', 17), digits('13', 19), digits('16', 18), digits('09', 18)])
      assert.equal(classifyPaymentCode(code).ok, false, code);
    const union = classifyPaymentCode(digits('62', 19));
    assert.equal(union.ok && union.scheme, 'unionpay');
    assert.equal(classifyPaymentCode(digits('62', 18)).ok, false);
    assert.equal(classifyPaymentCode(digits('62', 20)).ok, false);
  });

  it("reference: the reference cloud's codes, 99 then 16 more (18 digits), and nothing else", () => {
    const reference = classifyPaymentCode(digits('99', 18, '3'));
    assert.deepEqual(reference, { ok: true, scheme: 'reference', code: digits('99', 18, '3') });
    // No real wallet's code is taken for the reference wallet's, at any length.
    for (const prefix of ['10', '15', '25', '30', '62'])
      for (const total of [18, 19]) {
        const check = classifyPaymentCode(digits(prefix, total));
        assert.notEqual(check.ok && check.scheme, 'reference', digits(prefix, total));
      }
  });

  it('scanner whitespace is ignored; letters, signs and blanks are not payment codes', () => {
    assert.equal(classifyPaymentCode(` ${digits('28', 18)}\r\n`).ok, true);
    for (const code of [
      '',
      '   ',
      '28a456789012345678',
      '+28456789012345678',
      '28 456789012345678',
    ]) {
      const check = classifyPaymentCode(code);
      assert.equal(!check.ok && check.reason, 'not_a_payment_code', JSON.stringify(code));
    }
  });

  it('codes of payment-code length from no known wallet are "foreign", with a clear message', () => {
    for (const code of [
      digits('99', 20),
      digits('99', 17),
      digits('40', 20),
      digits('62', 24),
      digits('13', 22),
    ]) {
      const check = classifyPaymentCode(code);
      assert.equal(!check.ok && check.reason, 'foreign', code);
      assert.match(!check.ok ? check.message : '', /Alipay, WeChat Pay, UnionPay/);
    }
  });

  it('a valid EAN-13 or UPC-A is never a payment code, and a payment code never a product', () => {
    // Every EAN-13 shape, including ones that start like a wallet's prefix.
    for (const payload of [
      '690123456789',
      '280000000001',
      '134567890123',
      '620000000000',
      '036000291452',
    ]) {
      const ean = makeEan13(payload);
      assert.equal(checkBarcode(ean).ok, true, ean);
      assert.equal(classifyPaymentCode(ean).ok, false, ean);
      assert.equal(classifyPaymentCode(ean.slice(1)).ok, false, `UPC-A ${ean.slice(1)}`);
    }
    for (const code of [digits('28', 16), digits('13', 18), digits('62', 19), digits('30', 24)]) {
      assert.equal(classifyPaymentCode(code).ok, true, code);
      assert.equal(checkBarcode(code).ok, false, code);
    }
  });

  it('masks all but the ends', () => {
    assert.equal(maskPaymentCode('284112345678901234'), '2841…1234');
    assert.equal(maskPaymentCode('123'), '****');
  });
});
