import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAppStore } from '../../app/store';
import { PosError } from '../../contract';
import { fakeApi } from '../../test/fakeApi';
import { cola, completed, line, sale } from '../../test/fixtures';
import { saleChanged } from '../sale/saleSlice';
import { payByCode, payCodeProgressed } from './payCodeSlice';

const CODE = '284112345678901234';

describe('payment code slice', () => {
  const open = sale('s1', [line(cola, 1, 2)]);

  it('keeps only the masked code and the wallet; follows progress; paid completes the sale', async () => {
    let finish: (value: unknown) => void = () => {};
    const { api, calls } = fakeApi({
      'sale.payByCode': () => new Promise((resolve) => (finish = resolve)),
    });
    const store = createAppStore(api);
    store.dispatch(saleChanged(open));
    const run = store.dispatch(payByCode({ saleId: 's1', code: CODE }));
    let state = store.getState().paycode;
    assert.equal(state.phase, 'charging');
    assert.equal(state.masked, '2841…1234');
    assert.equal(state.scheme, 'alipay');
    assert.equal(JSON.stringify(state).includes(CODE), false);
    assert.deepEqual(calls[0]?.payload, { saleId: 's1', code: CODE });

    store.dispatch(
      payCodeProgressed({
        progress: {
          saleId: 's1',
          stage: 'waiting_for_buyer',
          secondsLeft: 27,
          masked: '2841…1234',
        },
        receivedAt: 1_000,
      }),
    );
    state = store.getState().paycode;
    assert.equal(state.phase, 'waiting_for_buyer');
    assert.equal(state.waitingUntil, 28_000);
    // Another sale's progress is not this charge's.
    store.dispatch(
      payCodeProgressed({
        progress: { saleId: 'other', stage: 'cancelling', secondsLeft: null, masked: 'x' },
        receivedAt: 2_000,
      }),
    );
    assert.equal(store.getState().paycode.phase, 'waiting_for_buyer');

    finish({ status: 'paid', sale: completed(open, open.totalFen), replayed: false });
    await run;
    assert.equal(store.getState().paycode.phase, 'paid');
    assert.equal(store.getState().sale.completed?.status, 'completed');
  });

  it('refused and unknown keep the acquirer code and words; a refusal by main is failed', async () => {
    const answers: unknown[] = [
      { status: 'refused', code: 'BUYER_TIMEOUT', message: 'did not confirm' },
      { status: 'unknown', code: 'TIMEOUT', message: 'no answer' },
    ];
    const { api } = fakeApi({
      'sale.payByCode': () => {
        const next = answers.shift();
        if (next === undefined)
          throw new PosError(
            'NOT_SUPPORTED',
            'No acquirer is configured for Alipay codes.',
            'code',
          );
        return next;
      },
    });
    const store = createAppStore(api);
    store.dispatch(saleChanged(open));
    await store.dispatch(payByCode({ saleId: 's1', code: CODE }));
    assert.deepEqual(store.getState().paycode.reason, {
      code: 'BUYER_TIMEOUT',
      message: 'did not confirm',
    });
    assert.equal(store.getState().paycode.phase, 'refused');
    await store.dispatch(payByCode({ saleId: 's1', code: CODE }));
    assert.equal(store.getState().paycode.phase, 'unknown');
    await store.dispatch(payByCode({ saleId: 's1', code: CODE }));
    const failed = store.getState().paycode;
    assert.equal(failed.phase, 'failed');
    assert.deepEqual(failed.error, { kind: 'pos', code: 'NOT_SUPPORTED', field: 'code' });
    assert.equal(failed.scheme, 'alipay');
  });

  it('a code for a sale the screen no longer shows is not sent', async () => {
    const { api, calls } = fakeApi({});
    const store = createAppStore(api);
    store.dispatch(saleChanged(open));
    await store.dispatch(payByCode({ saleId: 'gone', code: CODE }));
    assert.equal(calls.length, 0);
    assert.equal(store.getState().paycode.phase, 'failed');
  });
});
