import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callerKindOfScreen, isTrustedSender } from './sender';

const index = 'app://pos/index.html';
const own = new Set([3, 4]);

test('the main frame of our own window showing our bundle is trusted', () => {
  const facts = { webContentsId: 3, frameUrl: `${index}?screen=customer`, isMainFrame: true };
  assert.equal(isTrustedSender(facts, own, index), true);
});

test('other windows, iframes, destroyed frames and foreign pages are refused', () => {
  assert.equal(
    isTrustedSender({ webContentsId: 9, frameUrl: index, isMainFrame: true }, own, index),
    false,
  );
  assert.equal(
    isTrustedSender({ webContentsId: 3, frameUrl: index, isMainFrame: false }, own, index),
    false,
  );
  assert.equal(
    isTrustedSender({ webContentsId: 3, frameUrl: null, isMainFrame: true }, own, index),
    false,
  );
  for (const url of [
    'https://evil.example/index.html',
    'file:///opt/pos/build/renderer/index.html',
    'app://pos.evil.example/index.html',
    'app://pos/other.html',
    'not a url',
  ]) {
    assert.equal(
      isTrustedSender({ webContentsId: 3, frameUrl: url, isMainFrame: true }, own, index),
      false,
    );
  }
});

test("a window's caller kind comes from the screen main loaded, the customer's the narrow one", () => {
  assert.equal(callerKindOfScreen('customer'), 'customer');
  assert.equal(callerKindOfScreen('cashier'), 'staff');
  assert.equal(callerKindOfScreen('manager'), 'staff');
});
