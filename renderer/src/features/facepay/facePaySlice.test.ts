import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IDLE_FACEPAY_STATE, type FacePayPreview, type FacePayState } from '../../contract';
import {
  attemptFor,
  facePayPreviewReceived,
  facePaySlice,
  facePayStateChanged,
  initialFacePayState,
  isActive,
} from './facePaySlice';

const reduce = facePaySlice.reducer;

function state(phase: FacePayState['phase'], saleId = 's1'): FacePayState {
  return { ...IDLE_FACEPAY_STATE, saleId, phase, attempt: 1 };
}

const preview = (saleId = 's1'): FacePayPreview => ({
  saleId,
  image: 'data:image/jpeg;base64,AAAA',
  box: { x: 0.3, y: 0.2, width: 0.3, height: 0.5 },
  hint: 'HOLD_STILL',
});

describe('face pay slice', () => {
  it('keeps a preview only while capturing for that sale, and drops it after', () => {
    let s = reduce(initialFacePayState, facePayPreviewReceived(preview()));
    assert.equal(s.preview, null, 'no attempt: ignored');
    s = reduce(s, facePayStateChanged(state('capturing')));
    s = reduce(s, facePayPreviewReceived(preview('other-sale')));
    assert.equal(s.preview, null, 'another sale: ignored');
    s = reduce(s, facePayPreviewReceived(preview()));
    assert.equal(s.preview?.hint, 'HOLD_STILL');
    s = reduce(s, facePayStateChanged(state('identifying')));
    assert.equal(s.preview, null, 'the picture goes once the camera is done');
  });

  it('shows an attempt only for its own sale', () => {
    const confirm = state('confirm');
    assert.equal(attemptFor(confirm, 's1'), confirm);
    assert.equal(attemptFor(confirm, 's2'), null);
    assert.equal(attemptFor(confirm, null), null);
    assert.equal(attemptFor(IDLE_FACEPAY_STATE, 's1'), null);
    assert.equal(isActive(confirm), true);
    assert.equal(isActive(state('failed')), false);
    assert.equal(isActive(null), false);
  });
});
