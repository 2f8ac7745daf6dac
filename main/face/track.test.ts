import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Box } from './image';
import { FaceTracker, chooseMainFace, prominence } from './track';

const at = (cx: number, cy: number, side: number): Box => ({
  x1: cx - side / 2,
  y1: cy - side / 2,
  x2: cx + side / 2,
  y2: cy + side / 2,
});

test('the main face is the largest, weighted towards the centre', () => {
  const centre = { box: at(320, 240, 100), score: 0.9 };
  const corner = { box: at(60, 60, 110), score: 0.99 };
  assert.equal(chooseMainFace([corner, centre], 640, 480), centre);
  const bigCorner = { box: at(60, 60, 160), score: 0.9 };
  assert.equal(chooseMainFace([centre, bigCorner], 640, 480), bigCorner);
  assert.ok(prominence(at(320, 240, 100), 640, 480) === 10000);
  assert.equal(chooseMainFace([], 640, 480), null);
});

test('the tracker follows one face, survives a detector blink, and renumbers a new one', () => {
  const tracker = new FaceTracker();
  const first = tracker.update([{ box: at(300, 240, 120), score: 0.99 }], 640, 480);
  const id = first?.trackId;
  assert.equal(tracker.update([{ box: at(310, 244, 122), score: 0.99 }], 640, 480)?.trackId, id);
  // A passer-by, slightly more prominent, does not take the session over.
  const withOther = tracker.update(
    [
      { box: at(316, 246, 121), score: 0.99 },
      { box: at(330, 240, 140), score: 0.99 },
    ],
    640,
    480,
  );
  assert.equal(withOther?.trackId, id);
  assert.equal(withOther?.box.x1, 316 - 60.5);
  assert.equal(tracker.update([], 640, 480), null); // one missed frame
  assert.equal(tracker.update([{ box: at(318, 246, 121), score: 0.99 }], 640, 480)?.trackId, id);
  // Someone steps much closer: twice as prominent takes over, with a new id.
  const takeover = tracker.update(
    [
      { box: at(318, 246, 121), score: 0.99 },
      { box: at(330, 250, 260), score: 0.99 },
    ],
    640,
    480,
  );
  assert.notEqual(takeover?.trackId, id);
  // Gone for longer than a blink: the next face is a new track.
  const newId = takeover?.trackId;
  for (let i = 0; i < 3; i++) tracker.update([], 640, 480);
  assert.notEqual(
    tracker.update([{ box: at(330, 250, 260), score: 0.99 }], 640, 480)?.trackId,
    newId,
  );
});
