import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Y4mError, Y4mFileSource, Y4mReader, parseY4mHeader, yuvToRgb } from './y4m';
import { FACES } from './test-faces';

const dir = mkdtempSync(join(tmpdir(), 'y4m-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('header: size, rate, colour space and range', () => {
  const h = parseY4mHeader('YUV4MPEG2 W640 H480 F30000:1001 Ip A1:1 C420jpeg XYSCSS=420JPEG');
  assert.equal(h.width, 640);
  assert.equal(h.height, 480);
  assert.ok(Math.abs(h.fps - 29.97) < 0.01);
  assert.equal(h.frameBytes, 640 * 480 * 1.5);
  assert.equal(h.fullRange, false);
  assert.equal(parseY4mHeader('YUV4MPEG2 W4 H2 C444 XCOLORRANGE=FULL').fullRange, true);
  assert.equal(parseY4mHeader('YUV4MPEG2 W4 H2 C444').frameBytes, 24);
  assert.equal(parseY4mHeader('YUV4MPEG2 W4 H2 C422').frameBytes, 16);
  assert.equal(parseY4mHeader('YUV4MPEG2 W4 H2 Cmono').frameBytes, 8);
  assert.equal(parseY4mHeader('YUV4MPEG2 W5 H3').frameBytes, 15 + 2 * 3 * 2); // odd sizes round up
});

test('header errors say what is wrong', () => {
  assert.throws(() => parseY4mHeader('RIFF....'), /not a YUV4MPEG2 stream/);
  assert.throws(() => parseY4mHeader('YUV4MPEG2 H480'), /missing or bad frame size/);
  assert.throws(() => parseY4mHeader('YUV4MPEG2 W640 H480 C420p10'), /C420p10 is not supported/);
  assert.throws(() => parseY4mHeader('YUV4MPEG2 W640 H480 It'), /interlaced/);
  assert.throws(() => parseY4mHeader('YUV4MPEG2 W640 H480 F0:0'), /bad frame rate/);
});

test('BT.601 conversion: studio-range black, white and red; full range grey', () => {
  const studio = parseY4mHeader('YUV4MPEG2 W2 H2 C420');
  const rgb = (y: number, u: number, v: number, h = studio): number[] =>
    Array.from(yuvToRgb(new Uint8Array([y, y, y, y, u, v]), h).data.subarray(0, 3));
  assert.deepEqual(rgb(16, 128, 128), [0, 0, 0]);
  assert.deepEqual(rgb(235, 128, 128), [255, 255, 255]);
  // Pure red in BT.601 studio range is Y 81, U 90, V 240.
  const red = rgb(81, 90, 240);
  assert.ok(
    (red[0] as number) > 250 && (red[1] as number) < 5 && (red[2] as number) < 5,
    String(red),
  );
  assert.deepEqual(
    rgb(128, 128, 128, parseY4mHeader('YUV4MPEG2 W2 H2 C420 XCOLORRANGE=FULL')),
    [128, 128, 128],
  );
});

test('4:2:0 chroma covers 2x2 pixels', () => {
  const h = parseY4mHeader('YUV4MPEG2 W4 H2 C420 XCOLORRANGE=FULL');
  // Y all 128; U plane [128, 200], V plane [128, 128]: right half bluish.
  const img = yuvToRgb(
    new Uint8Array([128, 128, 128, 128, 128, 128, 128, 128, 128, 200, 128, 128]),
    h,
  );
  const blue = (x: number, y: number): number => img.data[(y * 4 + x) * 3 + 2] as number;
  assert.equal(blue(0, 0), 128);
  assert.equal(blue(1, 1), 128);
  assert.ok(blue(2, 0) > 200 && blue(3, 1) > 200);
});

function writeClip(name: string, header: string, frames: Uint8Array[]): string {
  const parts: Uint8Array[] = [new TextEncoder().encode(`${header}\n`)];
  for (const f of frames) parts.push(new TextEncoder().encode('FRAME\n'), f);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

test('a clip plays its frames in order and loops, timestamps continuing', async () => {
  const grey = (y: number): Uint8Array => new Uint8Array([y, y, y, y, 128, 128]);
  const path = writeClip('two.y4m', 'YUV4MPEG2 W2 H2 F5:1 C420 XCOLORRANGE=FULL', [
    grey(10),
    grey(200),
  ]);
  const source = new Y4mFileSource(path, { loop: true });
  const seen: number[][] = [];
  for (let i = 0; i < 5; i++) {
    const f = await source.next();
    assert.ok(f);
    seen.push([f.data[0] as number, f.timestampMs]);
  }
  source.close();
  assert.deepEqual(seen, [
    [10, 0],
    [200, 200],
    [10, 400],
    [200, 600],
    [10, 800],
  ]);
  assert.equal(await source.next(), null, 'closed');
  const once = new Y4mFileSource(path, { loop: false });
  assert.ok(await once.next());
  assert.ok(await once.next());
  assert.equal(await once.next(), null);
  once.close();
});

test('corrupt clips give clear errors', async () => {
  const notY4m = join(dir, 'not.y4m');
  writeFileSync(notY4m, 'hello world\n');
  assert.throws(
    () => new Y4mReader(notY4m),
    (e: Error) => e instanceof Y4mError && /not.y4m: not a YUV4MPEG2/.test(e.message),
  );
  const truncated = writeClip('short.y4m', 'YUV4MPEG2 W2 H2 C420', [new Uint8Array([1, 2, 3])]);
  const source = new Y4mFileSource(truncated);
  await assert.rejects(source.next(), /short.y4m: frame 0 is truncated \(3 of 6 bytes\)/);
  source.close();
  const badFrame = join(dir, 'badframe.y4m');
  writeFileSync(badFrame, 'YUV4MPEG2 W2 H2 C420\nFRAMX\n123456');
  const bad = new Y4mFileSource(badFrame);
  await assert.rejects(bad.next(), /frame 0 does not start with FRAME/);
  bad.close();
});

test('the camera clip: 30 frames of 640x480 at 10 fps', { skip: FACES.skip }, async () => {
  const source = new Y4mFileSource(join(FACES.dir, 'camera/face.y4m'), { loop: false });
  assert.equal(source.description, 'y4m face.y4m 640x480 @10fps');
  let frames = 0;
  let last = null;
  for (let f = await source.next(); f !== null; f = await source.next()) {
    frames += 1;
    last = f;
  }
  source.close();
  assert.equal(frames, 30);
  assert.ok(last && last.width === 640 && last.data.length === 640 * 480 * 3);
  assert.equal(last?.timestampMs, 2900);
});
