import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_QTY } from '../../contract';
import { quantityFromTyped } from './quantityEntry';

test('digits before * are the next item’s quantity, only a whole 1..MAX_QTY', () => {
  assert.equal(quantityFromTyped('24'), 24);
  assert.equal(quantityFromTyped(' 3 '), 3);
  assert.equal(quantityFromTyped(String(MAX_QTY)), MAX_QTY);
  for (const bad of ['', '0', '00', String(MAX_QTY + 1), '2.5', '-2', 'abc', '6901234567892'])
    assert.equal(quantityFromTyped(bad), null, bad);
});
