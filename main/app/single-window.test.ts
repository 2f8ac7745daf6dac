import assert from 'node:assert/strict';
import { test } from 'node:test';
import { singleWindow, type WindowLike } from './single-window';

/** Stands in for a BrowserWindow (Electron cannot run here), recording what was asked of it. */
class Window implements WindowLike {
  destroyed = false;
  minimized = false;
  readonly asked: string[] = [];
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
    this.asked.push('restore');
  }
  show() {
    this.asked.push('show');
  }
  focus() {
    this.asked.push('focus');
  }
}

test('the manager window opens once, comes back to the front, and reopens once closed', () => {
  const opened: Window[] = [];
  const bringUp = singleWindow(() => {
    const w = new Window();
    opened.push(w);
    return w;
  });
  const first = bringUp();
  assert.equal(opened.length, 1);
  first.minimized = true;
  assert.equal(bringUp(), first);
  assert.deepEqual(first.asked, ['restore', 'show', 'focus']);
  assert.equal(opened.length, 1, 'no second window while the first is open');
  first.destroyed = true;
  const second = bringUp();
  assert.notEqual(second, first);
  assert.equal(opened.length, 2);
});
