import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import jpeg from 'jpeg-js';
import { repoRoot } from './models';
import { THRESHOLDS, thresholdFor } from './thresholds';
import { FACES, devSetForTests } from './test-faces';

const dev = devSetForTests();
const scratch = mkdtempSync(join(tmpdir(), 'face-cli-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function face(...args: string[]): {
  lines: Record<string, unknown>[];
  status: number | null;
  stderr: string;
} {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'main/face/cli.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  const lines = run.stdout
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { lines, status: run.status, stderr: run.stderr };
}

test(
  'embed: one line per file; faceless and unreadable files say why and the run goes on',
  { skip: FACES.skip },
  () => {
    // A plain grey picture: a valid JPEG with no face in it.
    const grey = join(scratch, 'grey.jpg');
    writeFileSync(
      grey,
      jpeg.encode({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 4).fill(128) }, 90).data,
    );
    const photo = join(dev.dir, 'lfw/Nicole_Kidman/Nicole_Kidman_0002.jpg');
    const { lines, status } = face(
      'embed',
      photo,
      grey,
      join(scratch, 'missing.jpg'),
      join(dev.dir, 'spoof/image_F1.jpg'),
    );
    assert.equal(status, 1, 'some files failed');
    assert.equal(lines.length, 4);
    const [ok, faceless, missing, spoof] = lines as [
      Record<string, unknown>,
      ...Record<string, unknown>[],
    ];
    assert.deepEqual(Object.keys(ok), ['file', 'ok', 'box', 'quality', 'liveness', 'embedding']);
    assert.equal(ok.ok, true);
    const embedding = ok.embedding as number[];
    assert.equal(embedding.length, 512);
    assert.ok(Math.abs(embedding.reduce((s, v) => s + v * v, 0) - 1) < 1e-3, 'unit length');
    assert.deepEqual(Object.keys(ok.liveness as object), ['score', 'live']);
    assert.deepEqual(faceless, { file: grey, ok: false, error: 'no face found' });
    assert.deepEqual(missing, {
      file: join(scratch, 'missing.jpg'),
      ok: false,
      error: 'missing.jpg: cannot read file (ENOENT)',
    });
    assert.equal(
      (spoof?.liveness as { live: boolean }).live,
      false,
      'the print attack, judged on one image',
    );
  },
);

test(
  'compare: similarity and match at the calibrated default threshold',
  { skip: FACES.skip },
  () => {
    const kidman = (n: string): string => join(dev.dir, `lfw/Nicole_Kidman/Nicole_Kidman_${n}.jpg`);
    const same = face('compare', kidman('0002'), kidman('0008'));
    assert.equal(same.status, 0, same.stderr);
    const result = same.lines[0] as {
      similarity: number;
      match: boolean;
      threshold: number;
      far: number;
    };
    assert.deepEqual(Object.keys(result), ['similarity', 'match', 'threshold', 'far']);
    assert.equal(result.far, THRESHOLDS.defaultFar);
    assert.equal(result.threshold, thresholdFor().threshold);
    // Two photos of one person, years apart: well over the threshold (measured 0.63 against 0.40).
    assert.equal(result.match, true, `same person scored ${result.similarity}`);
    assert.ok(result.similarity >= result.threshold);
    const other = face(
      'compare',
      kidman('0002'),
      join(dev.dir, dev.gallery[0] as string),
      '--far',
      '0.001',
    );
    assert.deepEqual((other.lines[0] as { match: boolean; far: number }).match, false);
    assert.equal((other.lines[0] as { far: number }).far, 0.001);
  },
);

test(
  'session: events without pixels, the outcome, and who was identified',
  { skip: FACES.skip },
  () => {
    const { identity, enrolWith } = dev.camera.face;
    const run = face(
      'session',
      join(dev.dir, 'camera/face.y4m'),
      '--enrol',
      ...enrolWith.map((f) => join(dev.dir, f)),
    );
    assert.equal(run.status, 0, run.stderr);
    const states = run.lines.filter((l) => l.type === 'state').map((l) => l.state);
    assert.deepEqual(states, ['searching', 'holdStill', 'checkingLiveness', 'ready']);
    const frame = run.lines.find((l) => l.type === 'frame');
    assert.equal(frame?.preview, '160x120 rgb');
    const outcome = run.lines.find((l) => 'outcome' in l)?.outcome as { status: string };
    assert.equal(outcome.status, 'ready');
    const identification = run.lines.find((l) => 'identification' in l)?.identification as {
      match: { id: string } | null;
    };
    assert.equal(identification.match?.id, identity);
    for (const l of run.lines)
      assert.ok(JSON.stringify(l).length < 600, 'no pixel or embedding arrays');
  },
);

test('usage errors exit 2', () => {
  assert.equal(face().status, 2);
  assert.equal(face('compare', 'one.jpg').status, 2);
});
