/**
 * Privacy: frames live in memory only, for the session only. A whole session (file replay and
 * pushed frames, plus still-image embedding) runs here while we watch the disk and the logs:
 * no file with image content appears anywhere we can see, and no output line holds pixel data.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { FaceEngine } from './engine';
import { runFaceSession } from './face-session';
import { repoRoot } from './models';
import { PushFrameSource } from './push-source';
import { Y4mFileSource } from './y4m';
import { FACES, devSetForTests } from './test-faces';

const dev = devSetForTests();

/** path -> "size:mtime" of every file under dir (skipping dependency and git folders). */
function snapshot(dir: string, skip = new Set(['node_modules', '.git'])): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (skip.has(entry.name)) continue;
      const path = join(d, entry.name);
      try {
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) {
          const s = statSync(path);
          files.set(path, `${s.size}:${s.mtimeMs}`);
        }
      } catch {
        // a file another process removed while we looked: not ours
      }
    }
  };
  walk(dir);
  return files;
}

const IMAGE_MAGIC: [string, number[]][] = [
  ['JPEG', [0xff, 0xd8, 0xff]],
  ['PNG', [0x89, 0x50, 0x4e, 0x47]],
  ['GIF', [0x47, 0x49, 0x46, 0x38]],
  ['BMP', [0x42, 0x4d]],
  ['Y4M', [...'YUV4MPEG2'].map((c) => c.charCodeAt(0))],
  ['PPM', [0x50, 0x36, 0x0a]],
  ['WebP/RIFF', [0x52, 0x49, 0x46, 0x46]],
];

test(
  'a whole session writes no image anywhere and logs no pixels',
  { skip: FACES.skip },
  async () => {
    // A pixel run from the middle of the clip's face: if frames were dumped raw, it would show.
    const reader = new Y4mFileSource(join(dev.dir, 'camera/face.y4m'), { loop: false });
    const first = await reader.next();
    reader.close();
    assert.ok(first);
    const at = (240 * 640 + 300) * 3;
    const pixelRun = Buffer.from(first.data.subarray(at, at + 48));

    const privateTmp = mkdtempSync(join(tmpdir(), 'face-privacy-'));
    const savedTmp = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp; // the worker inherits it: its tmpdir() is this empty folder
    const before = snapshot(repoRoot);
    const ortStore =
      [join(homedir(), '.cache/Microsoft/DeveloperTools/.onnxruntime/onnxruntime.db')].find((f) =>
        existsSync(f),
      ) ?? null;
    const ortStoreMtime = ortStore === null ? 0 : statSync(ortStore).mtimeMs;
    const facesBefore = snapshot(dev.dir);

    const output: string[] = [];
    const writes = { out: process.stdout.write, err: process.stderr.write };
    const capture =
      (original: typeof process.stdout.write) =>
      (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'));
        return (original as (c: string | Uint8Array, ...r: unknown[]) => boolean).call(
          process.stdout,
          chunk,
          ...rest,
        );
      };
    process.stdout.write = capture(writes.out) as typeof process.stdout.write;
    process.stderr.write = capture(writes.err) as typeof process.stderr.write;
    let outcomes: string[] | undefined;
    try {
      const engine = await FaceEngine.start();
      const clip = new Y4mFileSource(join(dev.dir, 'camera/face.y4m'));
      const fromFile = await runFaceSession(engine, clip, {
        onEvent: (e) => console.log(`event ${e.type}`),
      }).result;
      clip.close();
      const pushed = new PushFrameSource();
      const replay = new Y4mFileSource(join(dev.dir, 'camera/face.y4m'));
      const feeding = setInterval(() => {
        void replay.next().then((f) => {
          if (f)
            pushed.push({
              width: f.width,
              height: f.height,
              rgb: f.data,
              timestampMs: f.timestampMs,
            });
        });
      }, 20);
      const fromPush = await runFaceSession(engine, pushed).result;
      clearInterval(feeding);
      replay.close();
      pushed.close();
      const still = await engine.embedFile(join(dev.dir, 'spoof/image_T1.jpg'));
      await engine.close();
      outcomes = [fromFile.status, fromPush.status, still.face ? 'face' : 'none'];
    } finally {
      process.stdout.write = writes.out;
      process.stderr.write = writes.err;
      process.env.TMPDIR = savedTmp;
    }
    assert.deepEqual(outcomes, ['ready', 'ready', 'face']);

    // Disk: nothing in the private temp folder but tsx's cache of transpiled source (present only
    // when running TypeScript through tsx); in particular no onnxruntime telemetry files (.ses,
    // mat-debug-*.log), which appear unless telemetry is off (models.ts). Nothing new or changed
    // there, in the project or in the faces folder holds image content. (Other people's files may
    // appear in the project while this runs; only image-like content would be ours.)
    assert.deepEqual(
      readdirSync(privateTmp).filter((f) => !f.startsWith('tsx-')),
      [],
    );
    if (ortStore !== null) {
      assert.equal(
        statSync(ortStore).mtimeMs,
        ortStoreMtime,
        'onnxruntime telemetry store untouched',
      );
    }
    assert.deepEqual(snapshot(dev.dir), facesBefore);
    const changed = [...snapshot(repoRoot), ...snapshot(privateTmp)].filter(
      ([path, stamp]) => before.get(path) !== stamp,
    );
    for (const [path] of changed) {
      const bytes = readFileSync(path);
      for (const [kind, magic] of IMAGE_MAGIC) {
        assert.ok(
          !magic.every((b, i) => bytes[i] === b),
          `${relative(repoRoot, path)} appeared and is ${kind}`,
        );
      }
      assert.ok(!bytes.includes(pixelRun), `${relative(repoRoot, path)} holds frame pixels`);
    }
    rmSync(privateTmp, { recursive: true, force: true });

    // Logs: no line carries pixel data in any form we would write it.
    const text = output.join('');
    assert.ok(text.includes('event ready'), 'output was captured');
    assert.ok(!text.includes(pixelRun.toString('latin1')), 'raw pixels');
    assert.ok(!text.includes(pixelRun.toString('base64').slice(0, 32)), 'base64 pixels');
    assert.doesNotMatch(text, /(\d+(\.\d+)?,\s*){64}/, 'a long list of numbers');
    assert.doesNotMatch(text, /[A-Za-z0-9+/]{200,}/, 'a long base64 run');
  },
);
