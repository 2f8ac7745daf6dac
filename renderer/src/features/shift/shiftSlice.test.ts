import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppStore } from '../../app/store';
import { PosError } from '../../contract';
import { openShift as openShiftFixture } from '../../test/fixtures';
import { fakeApi } from '../../test/fakeApi';
import { loadShift, openShift, selectNeedsShift, shiftChanged } from './shiftSlice';

describe('shift', () => {
  it('asks for a shift only once the server said there is none', async () => {
    const { api } = fakeApi({ 'shift.current': () => null });
    const store = createAppStore(api);
    assert.equal(selectNeedsShift(store.getState()), false);
    await store.dispatch(loadShift());
    assert.equal(selectNeedsShift(store.getState()), true);
  });

  it('opens a shift with the float in fen', async () => {
    const { api, calls } = fakeApi({ 'shift.open': () => openShiftFixture });
    const store = createAppStore(api);
    await store.dispatch(openShift(20_000));
    assert.deepEqual(calls, [{ channel: 'shift.open', payload: { floatFen: 20_000 } }]);
    assert.equal(store.getState().shift.current, openShiftFixture);
    assert.equal(selectNeedsShift(store.getState()), false);
  });

  it('a shift opened elsewhere meanwhile is taken, not reported as an error', async () => {
    const { api } = fakeApi({
      'shift.open': () => {
        throw new PosError('SHIFT_ALREADY_OPEN', 'already open');
      },
      'shift.current': () => openShiftFixture,
    });
    const store = createAppStore(api);
    await store.dispatch(openShift(0));
    assert.equal(store.getState().shift.current, openShiftFixture);
    assert.equal(store.getState().shift.error, null);
  });

  it('shift.changed events replace the shift; a closed shift counts as none', () => {
    const store = createAppStore(fakeApi({}).api);
    store.dispatch(shiftChanged(openShiftFixture));
    assert.equal(store.getState().shift.current, openShiftFixture);
    store.dispatch(shiftChanged({ ...openShiftFixture, status: 'closed' }));
    assert.equal(store.getState().shift.current, null);
    assert.equal(selectNeedsShift(store.getState()), true);
  });
});
