import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGuessablePin, newPin } from './staff';

test('guessable PINs: one digit repeated, or a run up or down (wrapping past 9)', () => {
  for (const pin of [
    '1111',
    '888888',
    '1234',
    '123456',
    '4321',
    '987654',
    '7890',
    '0987',
    '34567890',
  ])
    assert.equal(isGuessablePin(pin), true, pin);
  for (const pin of ['2580', '1357', '135792', '1122', '12345679', '1243'])
    assert.equal(isGuessablePin(pin), false, pin);
});

test('a new PIN must be a PIN and not guessable; the demo PINs are both', () => {
  assert.equal(newPin.safeParse('2580').success, true);
  for (const bad of ['1234', '888888', '123', '123456789', '12a4', ''])
    assert.equal(newPin.safeParse(bad).success, false, bad);
});
