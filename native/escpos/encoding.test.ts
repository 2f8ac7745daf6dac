import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { charWidth, encodeText, printable, textWidth } from './encoding';

describe('GB text and its width on paper', () => {
  it('CJK takes two columns, ASCII one', () => {
    assert.equal(textWidth('可口可乐 330ml'), 4 * 2 + 6);
    assert.equal(textWidth(''), 0);
    assert.equal(charWidth('A'), 1);
    assert.equal(charWidth('乐'), 2);
  });

  it('full-width punctuation and GB symbols are two columns too, as the printer draws them', () => {
    assert.equal(textWidth('，'), 2);
    assert.equal(textWidth('×'), 2);
    assert.equal(textWidth('é'), 2);
    // Outside the BMP: one character, four bytes, still one full-width glyph.
    assert.equal(textWidth('😀'), 2);
  });

  it('controls are replaced before encoding and count as one space', () => {
    assert.equal(printable('a\tb\u0085c'), 'a b c');
    assert.equal(textWidth('a\u001bb'), 3);
    assert.deepEqual([...encodeText('\r\n')], [0x20, 0x20]);
  });
});
