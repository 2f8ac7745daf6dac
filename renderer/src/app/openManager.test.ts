import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Channel } from '../contract';
import type { Call } from './invoke';
import { MANAGER_TAB, managerOpening, managerPageUrl, openManagerScreen } from './openManager';

const KEY = 's'.repeat(43);

/** The parts of a window the choice looks at, recording what it was asked to open. */
function windowLike(withBridge: boolean) {
  const opened: [string, string][] = [];
  const win = {
    location: { href: 'http://127.0.0.1:5180/?lang=en' },
    sessionStorage: { getItem: (k: string) => (k === 'pos.hostKey' ? KEY : null) },
    open(url: string, name: string) {
      opened.push([url, name]);
      return {};
    },
    ...(withBridge ? { pos: { invoke: () => undefined, subscribe: () => () => undefined } } : {}),
  };
  return { win: win as unknown as Window, opened };
}

function recordingCall(answer: Awaited<ReturnType<Call>>) {
  const calls: Channel[] = [];
  const call = (async (channel: Channel) => {
    calls.push(channel);
    return answer;
  }) as Call;
  return { call, calls };
}

describe('the way to the manager screen', () => {
  it('in Electron asks main to open its window, and opens no page', async () => {
    const { win, opened } = windowLike(true);
    const { call, calls } = recordingCall({ ok: true, value: null });
    assert.equal(managerOpening(win), 'shell');
    assert.equal(await openManagerScreen(win, call), null);
    assert.deepEqual(calls, ['screen.openManager']);
    assert.deepEqual(opened, []);
  });

  it('passes on main refusing (e.g. a shell without the window)', async () => {
    const { win } = windowLike(true);
    const refusal = { kind: 'pos', code: 'NOT_SUPPORTED' } as const;
    const { call } = recordingCall({ ok: false, error: refusal });
    assert.deepEqual(await openManagerScreen(win, call), refusal);
  });

  it('in the browser host opens /manager in its own named tab, without asking main', async () => {
    const { win, opened } = windowLike(false);
    const { call, calls } = recordingCall({ ok: true, value: null });
    assert.equal(managerOpening(win), 'page');
    assert.equal(await openManagerScreen(win, call), null);
    // The new tab is a staff screen because this one is: it gets this tab's launch secret.
    assert.deepEqual(opened, [[`http://127.0.0.1:5180/manager#k=${KEY}`, MANAGER_TAB]]);
    assert.deepEqual(calls, []);
    assert.equal(managerPageUrl({ href: 'http://h:1/customer' }), 'http://h:1/manager');
  });
});
