import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppStore } from '../../app/store';
import { PosError, type PoleDisplayStatus } from '../../contract';
import { fakeApi } from '../../test/fakeApi';
import {
  confirmPole,
  dismissPole,
  poleChanged,
  selectPoleError,
  selectPoleOffer,
} from './poleSlice';

const offered = (payableFen: number | null): PoleDisplayStatus => ({
  connection: 'connected',
  lines: ['TOTAL', '12.30'],
  amount: { amountFen: 1230, kind: 'total' },
  payableFen,
});

describe('poleSlice', () => {
  it('confirms the amount on the banner; a refusal shows until the offer changes', async () => {
    const { api, calls } = fakeApi({
      'pole.confirm': () => {
        throw new PosError('VALIDATION', 'the register moved on', 'amountFen');
      },
      'pole.dismiss': () => offered(null),
    });
    const store = createAppStore(api);
    store.dispatch(poleChanged(offered(1230)));
    assert.equal(selectPoleOffer(store.getState()), 1230);

    await store.dispatch(confirmPole(1230));
    assert.deepEqual(calls.at(-1), { channel: 'pole.confirm', payload: { amountFen: 1230 } });
    assert.equal(selectPoleError(store.getState())?.kind, 'pos');
    // The register shows a new total: the old refusal is about another figure.
    store.dispatch(poleChanged(offered(1500)));
    assert.equal(selectPoleError(store.getState()), null);

    await store.dispatch(dismissPole());
    assert.equal(selectPoleOffer(store.getState()), null);
  });
});
