import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(root, 'scripts/fetch-models.mjs');
const models = join(root, 'assets/models');
const dir = mkdtempSync(join(tmpdir(), 'fetch-models-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fetchModels(
  args: string[],
  env: Record<string, string> = {},
): { status: number | null; log: string } {
  // The plain-JavaScript script must run under whatever Node npm uses (maybe 20): use this one.
  const run = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: run.status, log: run.stderr };
}

const pinned = [
  'fr_detect.onnx',
  'fr_landmark.onnx',
  'fr_liveness.onnx',
  'fr_feature.onnx',
  'fr_eye.onnx',
];

test('already present and correct: verifies and touches nothing', () => {
  const before = pinned.map((f) => statSync(join(models, f)).mtimeMs);
  const run = fetchModels([]);
  assert.equal(run.status, 0, run.log);
  assert.match(run.log, /all 5 face models present in .* and verified/);
  assert.doesNotMatch(run.log, /fetching/);
  assert.deepEqual(
    pinned.map((f) => statSync(join(models, f)).mtimeMs),
    before,
  );
  assert.equal(fetchModels(['--check']).status, 0);
});

test('--check names each missing or wrong file and what to run', () => {
  const folder = join(dir, 'checked');
  mkdirSync(folder);
  for (const f of pinned) copyFileSync(join(models, f), join(folder, f));
  rmSync(join(folder, 'fr_detect.onnx'));
  writeFileSync(join(folder, 'fr_feature.onnx'), 'tampered');
  const run = fetchModels(['--check'], { FACE_MODELS_DIR: folder });
  assert.equal(run.status, 1);
  assert.match(run.log, /fr_detect\.onnx: .*fr_detect\.onnx is missing/);
  assert.match(run.log, /fr_feature\.onnx: .* has SHA-256 [0-9a-f]{64}, expected 87aacdfe/);
  assert.match(run.log, /to fix: run `node scripts\/fetch-models\.mjs` \(or `npm install`\)/);
  assert.doesNotMatch(run.log, /fr_eye/);
});

test('missing or wrong files are fetched (from the cached package) and verified', () => {
  const folder = join(dir, 'fetched');
  mkdirSync(folder);
  for (const f of pinned) copyFileSync(join(models, f), join(folder, f));
  rmSync(join(folder, 'fr_eye.onnx'));
  writeFileSync(join(folder, 'fr_landmark.onnx'), 'tampered');
  const untouched = statSync(join(folder, 'fr_detect.onnx')).mtimeMs;
  const run = fetchModels([], { FACE_MODELS_DIR: folder });
  assert.equal(run.status, 0, run.log);
  assert.match(run.log, /\[1\/2\] fr_landmark\.onnx \(1\.2 MB\) written, SHA-256 verified/);
  assert.match(run.log, /\[2\/2\] fr_eye\.onnx \(0\.2 MB\) written, SHA-256 verified/);
  assert.match(run.log, /all 5 face models present/);
  assert.equal(
    statSync(join(folder, 'fr_detect.onnx')).mtimeMs,
    untouched,
    'correct files are left alone',
  );
  assert.deepEqual(readdirSync(folder).sort(), [...pinned].sort(), 'no partial files left');
  assert.equal(fetchModels(['--check'], { FACE_MODELS_DIR: folder }).status, 0);
});

test('FACE_MODELS_SKIP=1 skips the step', () => {
  const run = fetchModels([], { FACE_MODELS_SKIP: '1', FACE_MODELS_DIR: join(dir, 'nowhere') });
  assert.equal(run.status, 0);
  assert.match(run.log, /not fetching or checking/);
});
