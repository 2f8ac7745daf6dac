import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyKeypadKey, type KeypadKey } from './keypad';

const amount = { maxLength: 10, decimals: 2 };
const pin = { maxLength: 6, decimals: 0 };

function press(keys: KeypadKey[], rules = amount, start = ''): string {
  return keys.reduce((value, key) => applyKeypadKey(value, key, rules), start);
}

describe('keypad', () => {
  it('types amounts with at most two decimals and one point', () => {
    assert.equal(press(['1', '2', '.', '5', '0', '9']), '12.50');
    assert.equal(press(['.', '5']), '0.5');
    assert.equal(press(['1', '.', '.', '2']), '1.2');
    assert.equal(press(['0', '0', '7']), '7');
    assert.equal(press(['1', '00']), '100');
  });

  it('PINs keep leading zeros, have no point and stop at their length', () => {
    assert.equal(press(['0', '1', '.', '2'], pin), '012');
    assert.equal(press(['1', '2', '3', '4', '5', '6', '7'], pin), '123456');
  });

  it('back and clear', () => {
    assert.equal(press(['1', '2', 'back']), '1');
    assert.equal(press(['1', '2', 'clear', '3']), '3');
    assert.equal(press(['back']), '');
  });
});
