import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CASHIER_COMMANDS, commandFor, EDIT_KEYS, FUNCTION_KEYS } from './keymap';

describe('cashier keys', () => {
  it('function keys work wherever focus is', () => {
    assert.equal(commandFor({ key: 'F12' }, { typing: true }), 'pay');
    assert.equal(commandFor({ key: 'F1' }, { typing: false }), 'help');
    assert.equal(commandFor({ key: 'F8' }, { typing: true }), 'receipts');
    assert.equal(commandFor({ key: 'F12', ctrlKey: true }, { typing: false }), null);
  });

  it('editing keys act on the cart only when no field wants them', () => {
    assert.equal(commandFor({ key: '+' }, { typing: false }), 'qtyUp');
    assert.equal(commandFor({ key: '-' }, { typing: false }), 'qtyDown');
    assert.equal(commandFor({ key: 'Delete' }, { typing: false }), 'removeLine');
    assert.equal(commandFor({ key: 'ArrowDown' }, { typing: false }), 'selectDown');
    assert.equal(commandFor({ key: 'Escape' }, { typing: false }), 'back');
    for (const key of ['+', '-', 'Delete', 'ArrowUp', 'Escape', 'a', '5'])
      assert.equal(commandFor({ key }, { typing: true }), null, key);
  });

  it('every command has a key, and each key listed runs its command', () => {
    // The help overlay and the function-key bar are drawn from these tables: what they show is
    // what the keys do.
    for (const f of FUNCTION_KEYS)
      assert.equal(commandFor({ key: f.key }, { typing: true }), f.command);
    for (const e of EDIT_KEYS)
      assert.equal(commandFor({ key: e.event }, { typing: false }), e.command);
    const keyed = new Set([...FUNCTION_KEYS, ...EDIT_KEYS].map((k) => k.command));
    for (const command of CASHIER_COMMANDS) assert.ok(keyed.has(command), command);
    assert.equal(new Set(FUNCTION_KEYS.map((f) => f.key)).size, FUNCTION_KEYS.length);
    assert.equal(new Set(EDIT_KEYS.map((e) => e.event)).size, EDIT_KEYS.length);
  });

  it('F11 is face pay, in the bar between F10 and F12', () => {
    assert.equal(commandFor({ key: 'F11' }, { typing: true }), 'facePay');
    assert.deepEqual(
      FUNCTION_KEYS.slice(-3).map((f) => f.key),
      ['F10', 'F11', 'F12'],
    );
  });
});
