/** `npm test` on a machine without Chromium says so first, in one line with the fix. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(root, 'scripts/check-chromium.mjs');
const dir = mkdtempSync(join(tmpdir(), 'check-chromium-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function check(chromium: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [script], {
    encoding: 'utf8',
    env: { ...process.env, CHROMIUM_PATH: chromium },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('a missing Chromium: exit 1 with one line naming the path and the command that fixes it', () => {
  const missing = join(dir, 'no-chromium-here');
  const run = check(missing);
  assert.equal(run.status, 1);
  assert.equal(run.stdout, '');
  assert.equal(
    run.stderr,
    `npm test: Chromium not found at ${missing} — install it: sudo apt-get install -y chromium (or set CHROMIUM_PATH)\n`,
  );
  // A folder by that name is not a browser either.
  assert.equal(check(dir).status, 1);
});

test('a Chromium that is there: exit 0, silent', () => {
  const run = check(process.execPath); // any executable file stands for it here
  assert.equal(run.status, 0);
  assert.equal(run.stdout + run.stderr, '');
});

test('npm test runs the check before anything else', async () => {
  const { readFileSync } = await import('node:fs');
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
  assert.match(scripts.test, /^node scripts\/check-chromium\.mjs && /);
});
