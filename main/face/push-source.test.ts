import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PushFrameError, PushFrameSource, WIRE_HEADER_BYTES, encodeWireFrame } from './push-source';

const rgba2x1 = new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255]);

test('RGBA frames arrive as RGB copies with their timestamp', async () => {
  const source = new PushFrameSource();
  source.push({ width: 2, height: 1, rgba: rgba2x1, timestampMs: 40 });
  rgba2x1[0] = 99; // the caller reuses its buffer: the queued frame must not change
  const frame = await source.next();
  assert.ok(frame);
  assert.deepEqual(Array.from(frame.data), [1, 2, 3, 4, 5, 6]);
  assert.equal(frame.timestampMs, 40);
  rgba2x1[0] = 1;
});

test('bad frames are refused with a reason', () => {
  const source = new PushFrameSource();
  const cases: [Parameters<PushFrameSource['push']>[0], RegExp][] = [
    [
      { width: 2, height: 1, rgba: new Uint8Array(7), timestampMs: 0 },
      /2x1 RGBA needs 8 bytes, got 7/,
    ],
    [
      { width: 2, height: 1, rgb: new Uint8Array(8), timestampMs: 0 },
      /2x1 RGB needs 6 bytes, got 8/,
    ],
    [
      { width: 0, height: 1, rgb: new Uint8Array(0), timestampMs: 0 },
      /width must be an integer from 1 to 4096, got 0/,
    ],
    [{ width: 2.5, height: 1, rgb: new Uint8Array(6), timestampMs: 0 }, /width must be an integer/],
    [{ width: 2, height: 1, timestampMs: 0 }, /exactly one of rgba or rgb/],
    [
      { width: 2, height: 1, rgb: new Uint8Array(6), rgba: rgba2x1, timestampMs: 0 },
      /exactly one of rgba or rgb/,
    ],
    [
      { width: 2, height: 1, rgb: new Uint8Array(6), timestampMs: Number.NaN },
      /timestampMs must be a finite number/,
    ],
    [
      {
        width: 2,
        height: 1,
        rgb: new Uint8Array(6),
        timestampMs: 0,
        depth: { width: 2, height: 2, data: new Uint16Array(3) },
      },
      /depth 2x2 needs 4 values, got 3/,
    ],
  ];
  for (const [frame, message] of cases) {
    assert.throws(
      () => source.push(frame),
      (e: Error) => e instanceof PushFrameError && message.test(e.message),
    );
  }
});

test('only the newest frames wait; a waiting reader gets the next frame at once', async () => {
  const source = new PushFrameSource({ maxQueue: 2 });
  for (let t = 0; t < 5; t++)
    source.push({ width: 1, height: 1, rgb: new Uint8Array([t, 0, 0]), timestampMs: t });
  assert.equal(source.dropped, 3);
  assert.equal((await source.next())?.timestampMs, 3);
  assert.equal((await source.next())?.timestampMs, 4);
  const waiting = source.next();
  source.push({ width: 1, height: 1, rgb: new Uint8Array(3), timestampMs: 9 });
  assert.equal((await waiting)?.timestampMs, 9);
  const pending = source.next();
  source.end();
  assert.equal(await pending, null);
  assert.throws(
    () => source.push({ width: 1, height: 1, rgb: new Uint8Array(3), timestampMs: 10 }),
    /has ended/,
  );
});

test('wire format round trip, with and without depth', async () => {
  const source = new PushFrameSource({ maxQueue: 4 });
  const depth = new Uint16Array([500, 0, 650, 1200]);
  source.pushWire(encodeWireFrame({ width: 2, height: 1, rgba: rgba2x1, timestampMs: 123.5 }));
  source.pushWire(
    encodeWireFrame({
      width: 1,
      height: 2,
      rgb: new Uint8Array([9, 8, 7, 6, 5, 4]),
      timestampMs: 7,
      depth: { width: 2, height: 2, data: depth },
    }),
  );
  const a = await source.next();
  assert.deepEqual(
    [a?.width, a?.height, a?.timestampMs, Array.from(a?.data ?? [])],
    [2, 1, 123.5, [1, 2, 3, 4, 5, 6]],
  );
  const b = await source.next();
  assert.deepEqual(Array.from(b?.data ?? []), [9, 8, 7, 6, 5, 4]);
  assert.deepEqual(Array.from(b?.depth?.data ?? []), [500, 0, 650, 1200]);
  const message = encodeWireFrame({ width: 2, height: 1, rgba: rgba2x1, timestampMs: 0 });
  assert.equal(message.length, WIRE_HEADER_BYTES + 8);
});

test('malformed wire messages are refused with a reason', () => {
  const source = new PushFrameSource();
  const good = encodeWireFrame({ width: 2, height: 1, rgba: rgba2x1, timestampMs: 0 });
  assert.throws(() => source.pushWire(good.subarray(0, 10)), /too short: 10 bytes/);
  assert.throws(
    () => source.pushWire(good.subarray(0, good.length - 1)),
    /should be 32 bytes, got 31/,
  );
  const badMagic = good.slice();
  badMagic[0] = 0x58;
  assert.throws(() => source.pushWire(badMagic), /not a frame: magic "XPF1"/);
  const badFormat = good.slice();
  badFormat[8] = 7;
  assert.throws(() => source.pushWire(badFormat), /unknown pixel format 7/);
});
