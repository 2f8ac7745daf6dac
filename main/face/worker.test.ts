import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { FaceEngine } from './engine';
import { response } from './messages';
import { FACES } from './test-faces';

let engine: FaceEngine;
before(async () => (engine = await FaceEngine.start()));
after(async () => engine.close());

/** Posts one raw message to a bare worker and returns its reply. */
async function ask(message: unknown): Promise<unknown> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url));
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.postMessage(message);
    });
  } finally {
    await worker.terminate();
  }
}

test('the worker answers malformed requests with an error naming the field, never the content', async () => {
  const reply = response.parse(
    await ask({
      id: 7,
      type: 'analyse',
      frame: { width: 2, height: 1, data: [1, 2, 3], timestampMs: 0 },
      options: {},
    }),
  );
  assert.equal(reply.id, 7);
  assert.ok(!reply.ok);
  assert.match(reply.error.message, /^bad request: frame\.data: expected a Uint8Array$/);
  const unknown = response.parse(await ask({ id: 8, type: 'format-disk' }));
  assert.ok(!unknown.ok && /bad request/.test(unknown.error.message));
  const early = response.parse(
    await ask({
      id: 9,
      type: 'embedImage',
      image: { width: 1, height: 1, data: new Uint8Array(3) },
    }),
  );
  assert.ok(!early.ok && /not been initialised/.test(early.error.message));
});

test('the engine checks frames before sending them and takes over their buffer', async () => {
  assert.throws(
    () => engine.processFrame({ width: 4, height: 4, data: new Uint8Array(10), timestampMs: 0 }),
    /4x4 RGB needs 48 bytes, got 10/,
  );
  const data = new Uint8Array(64 * 48 * 3).fill(90);
  const { analysis, preview } = await engine.processFrame(
    { width: 64, height: 48, data, timestampMs: 0 },
    { previewWidth: 32 },
  );
  assert.equal(analysis.face, null);
  assert.equal(analysis.faceCount, 0);
  assert.deepEqual([preview?.width, preview?.height, preview?.data[0]], [32, 24, 90]);
  assert.equal(
    data.byteLength,
    0,
    'transferred, not copied: the caller no longer holds the pixels',
  );
});

test('requests run in order even when sent together', async () => {
  const frames = [0, 1, 2].map((i) => ({
    width: 32,
    height: 24,
    data: new Uint8Array(32 * 24 * 3).fill(i * 50),
    timestampMs: i,
  }));
  const results = await Promise.all(
    frames.map((f) => engine.processFrame(f, { previewWidth: 16 })),
  );
  assert.deepEqual(
    results.map((r) => r.preview?.data[0]),
    [0, 50, 100],
  );
});

test(
  'a photo held in memory (an upload) is embedded like the same file read from disk',
  { skip: FACES.skip },
  async () => {
    const file = join(FACES.dir, 'camera/camera.json');
    const { face } = JSON.parse(readFileSync(file, 'utf8')) as { face: { source: string } };
    const path = join(FACES.dir, face.source);
    const bytes = readFileSync(path);
    const fromMemory = await engine.embedEncoded(bytes);
    const fromDisk = await engine.embedFile(path);
    assert.equal(fromMemory.faceCount, fromDisk.faceCount);
    assert.ok(fromMemory.face?.embedding && fromDisk.face?.embedding);
    assert.deepEqual(Array.from(fromMemory.face.embedding), Array.from(fromDisk.face.embedding));
    assert.equal(bytes.length > 0, true, "the caller's buffer is left alone (a copy travels)");
    await assert.rejects(engine.embedEncoded(Buffer.from('not a jpeg')), {
      name: 'ImageDecodeError',
    });
  },
);
