/** Where the tests find the shared face set, and what a clone without it is told. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { missingFacesMessage, resolveFaceData } from './test-faces';

const base = mkdtempSync(join(tmpdir(), 'test-faces-'));
after(() => rmSync(base, { recursive: true, force: true }));

function faceSet(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'images.csv'), 'file,identity\n');
  return dir;
}

test('FACES_DIR first, else ../shared/faces beside the repository', () => {
  const repo = join(base, 'work', 'pos');
  const shared = faceSet(join(base, 'work', 'shared', 'faces'));
  const own = faceSet(join(base, 'elsewhere', 'faces'));
  assert.deepEqual(resolveFaceData({ FACES_DIR: own }, repo), { dir: own, skip: false });
  assert.deepEqual(resolveFaceData({}, repo), { dir: shared, skip: false });
  assert.deepEqual(resolveFaceData({ FACES_DIR: '' }, repo), { dir: shared, skip: false });
});

test('missing: the tests are skipped with one reason naming the folder and FACES_DIR', () => {
  const repo = join(base, 'clone', 'pos');
  const expected = join(base, 'clone', 'shared', 'faces');
  const found = resolveFaceData({}, repo);
  assert.equal(found.skip, missingFacesMessage(expected));
  assert.equal(
    found.skip,
    `face data not found at ${expected}: set FACES_DIR to the folder with images.csv (shared/faces, see README)`,
  );
  // A folder without images.csv is not the face set.
  mkdirSync(expected, { recursive: true });
  assert.equal(resolveFaceData({}, repo).skip, missingFacesMessage(expected));
});

test('missing under CI=true: a failure with the same message, never a silent skip', () => {
  const repo = join(base, 'ci', 'pos');
  assert.throws(
    () => resolveFaceData({ CI: 'true' }, repo),
    new RegExp(`face data not found at ${join(base, 'ci', 'shared', 'faces')}: set FACES_DIR`),
  );
});
