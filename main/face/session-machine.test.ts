import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FaceAnalysis, FrameAnalysis } from './pipeline';
import type { QualityReason } from './quality';
import { DEFAULT_SESSION_CONFIG, SessionMachine, type SessionEvent } from './session';

const timings = {
  detectMs: 0,
  landmarkMs: 0,
  alignMs: 0,
  qualityMs: 0,
  livenessMs: 0,
  embedMs: 0,
  totalMs: 0,
  modelMs: 0,
};

interface FaceOptions {
  trackId?: number;
  x?: number;
  live?: number;
  refusals?: QualityReason[];
  relief?: number;
  quality?: number;
  embedding?: number;
}

function frame(face: FaceOptions | null, faceCount = face ? 1 : 0): FrameAnalysis {
  if (face === null)
    return { width: 640, height: 480, faceCount, comparableFaces: 0, face: null, timings };
  const x = face.x ?? 200;
  const embedding = new Float32Array(4);
  embedding[face.embedding ?? 0] = 1;
  const f: FaceAnalysis = {
    box: { x1: x, y1: 100, x2: x + 200, y2: 340 },
    score: 0.99,
    trackId: face.trackId ?? 1,
    points: [],
    quality: {
      interocularPx: 80,
      yaw: 0,
      pitch: 0,
      roll: 0,
      sharpness: 100,
      brightness: 120,
      clipped: 0,
      eyesOpen: 1,
    },
    qualityScore: face.quality ?? 0.9,
    refusals: face.refusals ?? [],
    liveScore: face.live ?? 0.95,
    embedding,
  };
  if (face.relief !== undefined) f.depth = { reliefMm: face.relief, samples: 5000 };
  return { width: 640, height: 480, faceCount, comparableFaces: 0, face: f, timings };
}

/** Runs frames 100 ms apart; returns every event and the machine. */
function run(
  frames: FrameAnalysis[],
  config = DEFAULT_SESSION_CONFIG,
): { events: SessionEvent[]; machine: SessionMachine } {
  const machine = new SessionMachine(config);
  const events = machine.start(0);
  frames.forEach((f, i) => events.push(...machine.onFrame(f, (i + 1) * 100)));
  return { events, machine };
}

const states = (events: SessionEvent[]): string[] =>
  events.filter((e) => e.type === 'state').map((e) => (e as { state: string }).state);

test('five good, steady frames: searching, hold still, checking liveness, ready', () => {
  const { events, machine } = run([frame(null), ...Array.from({ length: 5 }, () => frame({}))]);
  assert.deepEqual(states(events), ['searching', 'holdStill', 'checkingLiveness', 'ready']);
  const ready = events.find((e) => e.type === 'ready');
  assert.ok(ready && ready.type === 'ready');
  assert.equal(ready.framesFused, 5);
  assert.ok(Math.abs(ready.liveScore - 0.95) < 1e-9);
  assert.deepEqual(Array.from(ready.embedding), [1, 0, 0, 0]);
  assert.ok(machine.done);
  const hints = events.filter((e) => e.type === 'frame').map((e) => (e as { hint: string }).hint);
  assert.deepEqual(hints, ['LOOK_AT_CAMERA', 'HOLD_STILL', 'HOLD_STILL', 'CHECKING', 'CHECKING']);
});

test('the fused embedding weights the best frames', () => {
  const { events } = run([
    frame({ embedding: 0, quality: 0.9 }),
    frame({ embedding: 0, quality: 0.9 }),
    frame({ embedding: 1, quality: 0.1 }),
    frame({ embedding: 0, quality: 0.9 }),
    frame({ embedding: 0, quality: 0.9 }),
  ]);
  const ready = events.find((e) => e.type === 'ready');
  assert.ok(ready && ready.type === 'ready');
  const [a, b] = Array.from(ready.embedding);
  assert.ok((a as number) > 0.99 && (b as number) > 0 && (b as number) < 0.05);
});

test('refused or moving frames reset the hold-still count and say why', () => {
  const { events, machine } = run([
    frame({}),
    frame({ refusals: ['FACE_TOO_SMALL'] }),
    frame({}),
    frame({ x: 300 }), // jumped half a face
    frame({ x: 300 }),
  ]);
  assert.equal(machine.state, 'holdStill');
  const hints = events.filter((e) => e.type === 'frame').map((e) => (e as { hint: string }).hint);
  assert.deepEqual(hints, [
    'HOLD_STILL',
    'FACE_TOO_SMALL',
    'HOLD_STILL',
    'HOLD_STILL',
    'HOLD_STILL',
  ]);
});

test('a low mean live score fails the session as NOT_LIVE', () => {
  const { events } = run(Array.from({ length: 5 }, (_, i) => frame({ live: i === 0 ? 0.9 : 0.2 })));
  const failed = events.find((e) => e.type === 'failed');
  assert.ok(failed && failed.type === 'failed' && failed.code === 'NOT_LIVE');
  assert.match(failed.message, /did not pass/);
});

test('depth: a flat face fails even when the colour model says live; relief passes', () => {
  const flat = run(Array.from({ length: 5 }, () => frame({ relief: 0.8 }))).events.find(
    (e) => e.type === 'failed',
  );
  assert.ok(flat && flat.type === 'failed' && flat.code === 'NOT_LIVE');
  const real = run(Array.from({ length: 5 }, () => frame({ relief: 7 }))).events.find(
    (e) => e.type === 'ready',
  );
  assert.ok(real && real.type === 'ready' && real.reliefMm === 7);
});

test('a different face restarts the session; a short dropout does not', () => {
  const { events, machine } = run([
    frame({}),
    frame(null),
    frame({}),
    frame({ trackId: 2 }),
    frame({ trackId: 2 }),
  ]);
  assert.deepEqual(states(events), ['searching', 'holdStill', 'searching', 'holdStill']);
  assert.equal(machine.state, 'holdStill');
});

test('timeouts: no face, never usable (with the commonest reason), whole session', () => {
  const noFace = new SessionMachine();
  noFace.start(0);
  noFace.onFrame(frame(null), 100);
  const e1 = noFace.onTick(DEFAULT_SESSION_CONFIG.searchTimeoutMs);
  assert.ok(e1.some((e) => e.type === 'failed' && e.code === 'NO_FACE'));

  const blurry = new SessionMachine();
  blurry.start(0);
  blurry.onFrame(frame({ refusals: ['BLURRY'] }), 100);
  blurry.onFrame(frame({ refusals: ['BLURRY'] }), 200);
  blurry.onFrame(frame({ refusals: ['TOO_DARK'] }), 300);
  const e2 = blurry.onTick(100 + DEFAULT_SESSION_CONFIG.holdStillTimeoutMs);
  const failed = e2.find((e) => e.type === 'failed');
  assert.ok(
    failed &&
      failed.type === 'failed' &&
      failed.code === 'FACE_NOT_USABLE' &&
      failed.reason === 'BLURRY',
  );

  const slow = new SessionMachine({ ...DEFAULT_SESSION_CONFIG, holdStillTimeoutMs: 1e9 });
  slow.start(0);
  slow.onFrame(frame({ refusals: ['BLURRY'] }), 100);
  assert.ok(
    slow
      .onTick(DEFAULT_SESSION_CONFIG.totalTimeoutMs)
      .some((e) => e.type === 'failed' && e.code === 'TIMEOUT'),
  );
  assert.deepEqual(slow.onFrame(frame({}), 1e6), [], 'nothing after the end');
});

test('cancel and camera errors end the session with their code', () => {
  const m = new SessionMachine();
  m.start(0);
  const events = m.abort('CANCELLED', 50);
  assert.ok(events.some((e) => e.type === 'failed' && e.code === 'CANCELLED'));
  assert.deepEqual(m.abort('CAMERA_ERROR', 60), []);
});
