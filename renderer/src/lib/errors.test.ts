import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TransportError } from '../api/transport';
import { PosError } from '../contract';
import { errorMessage, toUiError } from './errors';

describe('UI errors', () => {
  it('keep the PosError code (and field), never the message or stack', () => {
    const ui = toUiError(new PosError('VALIDATION', 'payload.qty: bad', 'payload.qty'));
    assert.deepEqual(ui, { kind: 'pos', code: 'VALIDATION', field: 'payload.qty' });
    assert.deepEqual(toUiError(new Error('boom')), { kind: 'unknown' });
    assert.deepEqual(toUiError(new TransportError('timeout', 'x')), {
      kind: 'transport',
      reason: 'timeout',
    });
  });

  it('map to translation keys, naming the barcode when known', () => {
    assert.deepEqual(
      errorMessage(toUiError(new PosError('UNKNOWN_BARCODE', 'x'), { barcode: '123' })),
      { key: 'errors.code.UNKNOWN_BARCODE_barcode', values: { barcode: '123' } },
    );
    assert.deepEqual(errorMessage(toUiError(new PosError('UNKNOWN_BARCODE', 'x'))), {
      key: 'errors.code.UNKNOWN_BARCODE',
      values: {},
    });
    assert.deepEqual(errorMessage({ kind: 'transport', reason: 'lost' }), {
      key: 'errors.transport.lost',
      values: {},
    });
    assert.deepEqual(errorMessage({ kind: 'unknown' }), { key: 'errors.unknown', values: {} });
  });
});
