/**
 * Whole camera sessions through the worker, on the real clips: the enrolled person is
 * identified, an empty scene fails with "no face", broken input fails clearly, frames pushed in
 * over the wire format work like a file, and depth catches a flat face.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FaceEngine } from './engine';
import { runFaceSession, type FaceSessionEvent, type SessionOutcome } from './face-session';
import type { DepthMap } from './frame';
import { Gallery } from './gallery';
import { PushFrameSource, encodeWireFrame } from './push-source';
import { THRESHOLDS, thresholdFor } from './thresholds';
import { Y4mError, Y4mFileSource, Y4mReader } from './y4m';
import { FACES, devSetForTests } from './test-faces';

const dev = devSetForTests();
const clip = (name: string): string => join(dev.dir, 'camera', name);
const scratch = mkdtempSync(join(tmpdir(), 'face-session-test-'));
let engine: FaceEngine;
before(async () => (engine = await FaceEngine.start()));
after(async () => {
  await engine.close();
  rmSync(scratch, { recursive: true, force: true });
});

test(
  'face.y4m ends ready and identifies the enrolled person among 200 others',
  { skip: FACES.skip },
  async () => {
    const gallery = new Gallery();
    const { identity, enrolWith } = dev.camera.face;
    for (const file of enrolWith) {
      const e = (await engine.embedFile(join(dev.dir, file))).face?.embedding;
      assert.ok(e, file);
      gallery.add(identity, e);
    }
    const identityOf = new Map(dev.images.map((i) => [i.file, i.identity]));
    for (const file of dev.gallery.filter((f) => identityOf.get(f) !== identity).slice(0, 200)) {
      const e = (await engine.embedFile(join(dev.dir, file))).face?.embedding;
      if (e) gallery.add(identityOf.get(file) as string, e);
    }
    const events: FaceSessionEvent[] = [];
    const source = new Y4mFileSource(clip('face.y4m'));
    const outcome = await runFaceSession(engine, source, { onEvent: (e) => events.push(e) }).result;
    source.close();
    assert.equal(outcome.status, 'ready', JSON.stringify(outcome));
    assert.ok(outcome.status === 'ready' && outcome.liveScore > 0.8);
    const states = events
      .filter((e) => e.type === 'state')
      .map((e) => (e as { state: string }).state);
    assert.deepEqual(states, ['searching', 'holdStill', 'checkingLiveness', 'ready']);
    // Frame events carry a small preview and the box in 0-1 of the frame.
    const frame = events.find((e) => e.type === 'frame');
    assert.ok(frame && frame.type === 'frame' && frame.preview && frame.box);
    assert.deepEqual(
      [frame.preview.width, frame.preview.height, frame.preview.data.length],
      [160, 120, 160 * 120 * 3],
    );
    assert.ok(frame.box.x > 0 && frame.box.x + frame.box.width < 1);

    const [best, second] = gallery.identify(outcome.embedding, 2);
    assert.equal(best?.id, identity);
    assert.ok(
      (best?.similarity ?? 0) >= thresholdFor(THRESHOLDS.identifyFar).threshold,
      `best ${best?.similarity}`,
    );
    assert.ok(
      (second?.similarity ?? 1) < thresholdFor(1e-3).threshold,
      `runner-up ${second?.id} ${second?.similarity}`,
    );
  },
);

test(
  'empty.y4m fails with NO_FACE and a message a customer can read',
  { skip: FACES.skip },
  async () => {
    const source = new Y4mFileSource(clip('empty.y4m'));
    const outcome = await runFaceSession(engine, source, { config: { searchTimeoutMs: 2000 } })
      .result;
    source.close();
    assert.equal(outcome.status, 'failed');
    assert.ok(outcome.status === 'failed' && outcome.code === 'NO_FACE');
    assert.equal(outcome.message, 'No face was found. Please look at the camera and try again.');
    assert.ok(outcome.frames > 5);
  },
);

test(
  'a corrupt Y4M: a clear error before the session, or CAMERA_ERROR with the cause',
  { skip: FACES.skip },
  async () => {
    const garbage = join(scratch, 'garbage.y4m');
    writeFileSync(garbage, 'GIF89a not a clip\n');
    assert.throws(
      () => new Y4mFileSource(garbage),
      (e: Error) =>
        e instanceof Y4mError &&
        e.message === 'garbage.y4m: not a YUV4MPEG2 stream (starts with "GIF89a not a")',
    );
    // A clip cut off in its second frame: the first frame plays, then the session stops clearly.
    const reader = new Y4mReader(clip('face.y4m'));
    const frameBytes = reader.header.frameBytes;
    reader.close();
    const header = 'YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n';
    const cut = join(scratch, 'cut.y4m');
    const whole = readFileSync(clip('face.y4m'));
    writeFileSync(cut, whole.subarray(0, header.length + 2 * (6 + frameBytes) - 1000));
    const source = new Y4mFileSource(cut);
    const outcome: SessionOutcome = await runFaceSession(engine, source).result;
    source.close();
    assert.ok(
      outcome.status === 'failed' && outcome.code === 'CAMERA_ERROR',
      JSON.stringify(outcome),
    );
    assert.match(outcome.detail ?? '', /cut.y4m: frame 1 is truncated/);
  },
);

/** Pushes the clip's frames as wire messages (RGBA, as a capture page sends) until stopped. */
function pushClip(
  source: PushFrameSource,
  depth?: (box: { cx: number; cy: number }) => DepthMap,
): () => void {
  let stopped = false;
  const reader = new Y4mFileSource(clip('face.y4m'));
  void (async () => {
    while (!stopped) {
      const f = await reader.next();
      if (f === null) break;
      const rgba = new Uint8Array(f.width * f.height * 4);
      for (let i = 0; i < f.width * f.height; i++)
        rgba.set(
          [f.data[i * 3] as number, f.data[i * 3 + 1] as number, f.data[i * 3 + 2] as number, 255],
          i * 4,
        );
      const message = encodeWireFrame({
        width: f.width,
        height: f.height,
        rgba,
        timestampMs: f.timestampMs,
        ...(depth ? { depth: depth({ cx: 322, cy: 236 }) } : {}),
      });
      if (!stopped) source.pushWire(message);
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  return () => {
    stopped = true;
    reader.close();
  };
}

/** Depth at 320x240 for a 640x480 frame: flat (a held photo) or face-shaped about (cx, cy). */
function depthMap(shape: 'flat' | 'face'): (c: { cx: number; cy: number }) => DepthMap {
  return ({ cx, cy }) => {
    const data = new Uint16Array(320 * 240);
    let seed = 11;
    for (let y = 0; y < 240; y++) {
      for (let x = 0; x < 320; x++) {
        const noise = ((seed = (seed * 48271) % 2147483647) / 2147483647 - 0.5) * 3;
        const u = (x * 2 - cx) / 112;
        const v = (y * 2 - cy) / 170;
        const dome = 35 * Math.sqrt(Math.max(0, 1 - u * u - v * v));
        const nose = 20 * Math.exp(-((x * 2 - cx) ** 2 + (y * 2 - cy - 10) ** 2) / (2 * 18 ** 2));
        data[y * 320 + x] = Math.round(500 + noise - (shape === 'face' ? dome + nose : 0));
      }
    }
    return { width: 320, height: 240, data };
  };
}

test(
  'frames pushed over the wire format run a session like a file',
  { skip: FACES.skip },
  async () => {
    const source = new PushFrameSource({ description: 'test capture' });
    const stop = pushClip(source);
    const outcome = await runFaceSession(engine, source).result;
    stop();
    source.close();
    assert.equal(outcome.status, 'ready', JSON.stringify(outcome));
  },
);

test(
  'with depth: a flat face is refused although the colour model passes it; a real relief passes',
  { skip: FACES.skip },
  async () => {
    for (const [shape, expected] of [
      ['flat', 'failed'],
      ['face', 'ready'],
    ] as const) {
      const source = new PushFrameSource();
      const stop = pushClip(source, depthMap(shape));
      const outcome = await runFaceSession(engine, source).result;
      stop();
      source.close();
      assert.equal(outcome.status, expected, `${shape}: ${JSON.stringify(outcome)}`);
      if (outcome.status === 'failed') assert.equal(outcome.code, 'NOT_LIVE');
      else assert.ok((outcome.reliefMm ?? 0) > 3, `relief ${outcome.reliefMm}`);
    }
  },
);

test(
  'a session can be cancelled; a source that ends is a camera error',
  { skip: FACES.skip },
  async () => {
    const waiting = new PushFrameSource();
    const session = runFaceSession(engine, waiting);
    setTimeout(() => session.cancel(), 50);
    const cancelled = await session.result;
    assert.ok(cancelled.status === 'failed' && cancelled.code === 'CANCELLED');
    const ending = new PushFrameSource({ description: 'unplugged camera' });
    ending.end();
    const ended = await runFaceSession(engine, ending).result;
    assert.ok(
      ended.status === 'failed' &&
        ended.code === 'CAMERA_ERROR' &&
        ended.detail === 'unplugged camera ended',
    );
  },
);
