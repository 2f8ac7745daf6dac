import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Settings } from '../../contract';
import { fromMain, minPinDigits, newPinProblem } from './staffProblems';

const shop = { cashierPinDigits: 5, managerPinDigits: 6 } as Settings;

test("a new PIN is checked on the screen: the role's length (the shop's, never below the floor), then guessability", () => {
  assert.equal(minPinDigits('cashier', null), 4);
  assert.equal(minPinDigits('cashier', shop), 5);
  assert.equal(minPinDigits('manager', { ...shop, managerPinDigits: 4 }), 6);
  assert.deepEqual(newPinProblem('2580', 'cashier', shop), {
    kind: 'staff',
    reason: 'pinTooShort',
  });
  assert.deepEqual(newPinProblem('25803', 'manager', null), {
    kind: 'staff',
    reason: 'pinTooShort',
  });
  assert.deepEqual(newPinProblem('12345', 'cashier', shop), {
    kind: 'staff',
    reason: 'pinGuessable',
  });
  assert.equal(newPinProblem('25803', 'cashier', shop), null);
});

test("main's refusals read as the staff screen's reasons by field, others pass through", () => {
  const pos = (code: 'VALIDATION' | 'FORBIDDEN' | 'PIN_WRONG', field?: string) =>
    fromMain({ kind: 'pos', code, ...(field === undefined ? {} : { field }) });
  assert.deepEqual(pos('VALIDATION', 'name'), { kind: 'staff', reason: 'nameTaken' });
  assert.deepEqual(pos('VALIDATION', 'payload.pin'), { kind: 'staff', reason: 'pinRefused' });
  assert.deepEqual(pos('VALIDATION', 'staffId'), { kind: 'staff', reason: 'lastManager' });
  assert.deepEqual(pos('FORBIDDEN', 'staffId'), { kind: 'staff', reason: 'notYours' });
  assert.deepEqual(pos('PIN_WRONG', 'managerPin'), {
    kind: 'pos',
    code: 'PIN_WRONG',
    field: 'managerPin',
  });
});
