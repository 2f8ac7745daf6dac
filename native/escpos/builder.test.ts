/**
 * Byte-exact: every expected sequence is written out by hand from Epson's ESC/POS command
 * reference (command name, then its bytes in hex), never computed by the code under test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EscPos, QR_MAX_BYTES } from './builder';

const bytes = (b: EscPos): number[] => [...b.bytes()];

describe('ESC/POS commands', () => {
  it('ESC @ initialises, FS & / FS . switch Chinese mode', () => {
    assert.deepEqual(bytes(new EscPos().init()), [0x1b, 0x40]);
    assert.deepEqual(bytes(new EscPos().chinese()), [0x1c, 0x26]);
    assert.deepEqual(bytes(new EscPos().chinese(false)), [0x1c, 0x2e]);
  });

  it('ESC a n aligns left, centre, right', () => {
    assert.deepEqual(bytes(new EscPos().align('left')), [0x1b, 0x61, 0x00]);
    assert.deepEqual(bytes(new EscPos().align('center')), [0x1b, 0x61, 0x01]);
    assert.deepEqual(bytes(new EscPos().align('right')), [0x1b, 0x61, 0x02]);
  });

  it('ESC E n turns bold on and off', () => {
    assert.deepEqual(
      bytes(new EscPos().bold(true).bold(false)),
      [0x1b, 0x45, 0x01, 0x1b, 0x45, 0x00],
    );
  });

  it('GS ! n: width in the high nibble, height in the low one', () => {
    assert.deepEqual(bytes(new EscPos().size(1, 1)), [0x1d, 0x21, 0x00]);
    assert.deepEqual(bytes(new EscPos().size(1, 2)), [0x1d, 0x21, 0x01]);
    assert.deepEqual(bytes(new EscPos().size(2, 1)), [0x1d, 0x21, 0x10]);
    assert.deepEqual(bytes(new EscPos().size(2, 2)), [0x1d, 0x21, 0x11]);
    assert.deepEqual(bytes(new EscPos().size(8, 8)), [0x1d, 0x21, 0x77]);
    assert.throws(() => new EscPos().size(0, 1), RangeError);
    assert.throws(() => new EscPos().size(1, 9), RangeError);
  });

  it('LF and ESC d n feed lines', () => {
    assert.deepEqual(bytes(new EscPos().line()), [0x0a]);
    assert.deepEqual(bytes(new EscPos().line('OK')), [0x4f, 0x4b, 0x0a]);
    assert.deepEqual(bytes(new EscPos().feed(3)), [0x1b, 0x64, 0x03]);
    assert.throws(() => new EscPos().feed(256), RangeError);
  });

  it('Chinese text is GB18030: 中文 is D6 D0 CE C4, ASCII stays one byte', () => {
    assert.deepEqual(
      bytes(new EscPos().text('中文 A1')),
      [0xd6, 0xd0, 0xce, 0xc4, 0x20, 0x41, 0x31],
    );
    // ¥ (U+00A5) is outside GBK: four bytes in GB18030, '?' in GBK.
    assert.deepEqual(bytes(new EscPos().text('¥')), [0x81, 0x30, 0x84, 0x36]);
    assert.deepEqual(bytes(new EscPos('gbk').text('¥中')), [0x3f, 0xd6, 0xd0]);
  });

  it('text cannot smuggle commands: controls in it print as spaces', () => {
    // A product name holding ESC p 0 (drawer kick) and a line feed.
    assert.deepEqual(
      bytes(new EscPos().text('A\u001bp\u0000B\nC')),
      [0x41, 0x20, 0x70, 0x20, 0x42, 0x20, 0x43],
    );
  });

  it('GS ( k: a model 2 QR code of T01-000123', () => {
    const expected = [
      // Function 165: select model 2 (n1 = 50, n2 = 0)
      0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,
      // Function 167: module size 6 dots
      0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x06,
      // Function 169: error correction M (49)
      0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31,
      // Function 180: store 10 bytes (pL = 10 + 3 = 13, pH = 0), m = 48
      0x1d, 0x28, 0x6b, 0x0d, 0x00, 0x31, 0x50, 0x30, 0x54, 0x30, 0x31, 0x2d, 0x30, 0x30, 0x30,
      0x31, 0x32, 0x33,
      // Function 181: print the stored symbol
      0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30,
    ];
    assert.deepEqual(bytes(new EscPos().qr('T01-000123')), expected);
  });

  it('GS ( k stores longer data with pH: 300 bytes is pL = 0x2F, pH = 0x01', () => {
    const out = bytes(new EscPos().qr('x'.repeat(300), { moduleSize: 3, level: 'H' }));
    assert.deepEqual(out.slice(9, 17), [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x03]);
    assert.deepEqual(out.slice(17, 25), [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x33]);
    assert.deepEqual(out.slice(25, 33), [0x1d, 0x28, 0x6b, 0x2f, 0x01, 0x31, 0x50, 0x30]);
    assert.equal(out.length, 9 + 8 + 8 + 8 + 300 + 8);
    assert.throws(() => new EscPos().qr(''), RangeError);
    assert.throws(() => new EscPos().qr('x'.repeat(QR_MAX_BYTES + 1)), RangeError);
    assert.throws(() => new EscPos().qr('x', { moduleSize: 17 }), RangeError);
  });

  it('GS V cuts: Function A (m = 1 / 0) and Function B with feed (m = 66 / 65, n)', () => {
    assert.deepEqual(bytes(new EscPos().cut()), [0x1d, 0x56, 0x01]);
    assert.deepEqual(bytes(new EscPos().cut({ partial: false })), [0x1d, 0x56, 0x00]);
    assert.deepEqual(bytes(new EscPos().cut({ feed: 3 })), [0x1d, 0x56, 0x42, 0x03]);
    assert.deepEqual(
      bytes(new EscPos().cut({ partial: false, feed: 0 })),
      [0x1d, 0x56, 0x41, 0x00],
    );
  });

  it('ESC p m t1 t2 kicks the drawer on pin 2 or pin 5', () => {
    // 50 ms on (t1 = 25 = 0x19), 500 ms off (t2 = 250 = 0xFA).
    assert.deepEqual(bytes(new EscPos().kick()), [0x1b, 0x70, 0x00, 0x19, 0xfa]);
    assert.deepEqual(bytes(new EscPos().kick(5)), [0x1b, 0x70, 0x01, 0x19, 0xfa]);
    assert.deepEqual(bytes(new EscPos().kick(2, 100, 200)), [0x1b, 0x70, 0x00, 0x32, 0x64]);
    assert.throws(() => new EscPos().kick(3 as 2), RangeError);
    assert.throws(() => new EscPos().kick(2, 51), RangeError, 'odd milliseconds have no t1');
    assert.throws(() => new EscPos().kick(2, 50, 512), RangeError);
  });

  it('commands chain in order into one buffer', () => {
    const out = bytes(new EscPos().init().chinese().align('center').bold(true).line('好').cut());
    assert.deepEqual(
      out,
      [
        0x1b, 0x40, 0x1c, 0x26, 0x1b, 0x61, 0x01, 0x1b, 0x45, 0x01, 0xba, 0xc3, 0x0a, 0x1d, 0x56,
        0x01,
      ],
    );
  });
});
