/**
 * The shared face set, as the tests that need it find it (dev-set.ts says what it holds).
 *
 * A newcomer's clone often has no `../shared/faces` beside it. Rather than ENOENT stack traces
 * from a dozen suites, the tests that need the faces are skipped with one reason, printed once
 * per test run: where the data was looked for and that FACES_DIR points at it. Under CI=true
 * the same message fails the run instead: CI must run those tests.
 */
import { closeSync, existsSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { facesDir, loadDevSet, type DevSet } from './dev-set';
import { repoRoot } from './models';

export interface FaceData {
  /** Where the faces are (or were looked for). */
  dir: string;
  /** false when the faces are there; else why the tests that need them are skipped. */
  skip: false | string;
}

export function missingFacesMessage(dir: string): string {
  return `face data not found at ${dir}: set FACES_DIR to the folder with images.csv (shared/faces, see README)`;
}

/** Where the face set is and whether it is there; throws under CI=true when it is not. */
export function resolveFaceData(
  env: NodeJS.ProcessEnv = process.env,
  root: string = repoRoot,
): FaceData {
  const dir = facesDir(env, root);
  if (existsSync(join(dir, 'images.csv'))) return { dir, skip: false };
  const message = missingFacesMessage(dir);
  if (env.CI === 'true') throw new Error(`${message} (CI=true: the face tests must run)`);
  return { dir, skip: message };
}

/**
 * Prints `message` to stderr once for the whole test run: node's runner starts a process per
 * test file, all children of one runner, so the first to claim a marker named after that parent
 * prints and the others stay quiet.
 */
function noteOnce(message: string): void {
  try {
    closeSync(openSync(join(tmpdir(), `facepay-faces-note-${process.ppid}`), 'wx'));
  } catch {
    return;
  }
  process.stderr.write(`${message}\n`);
}

/** The face set for this test process (resolved once; the note printed once per run). */
export const FACES: FaceData = (() => {
  const found = resolveFaceData();
  if (found.skip !== false) noteOnce(found.skip);
  return found;
})();

const EMPTY: DevSet = {
  dir: FACES.dir,
  images: [],
  pairs: [],
  gallery: [],
  probes: [],
  spoof: [],
  camera: {
    face: { file: 'camera/face.y4m', identity: '', enrolWith: [] },
    empty: { file: 'camera/empty.y4m' },
  },
};

/** The dev set, or an empty one when it is missing (the tests using it are skipped then). */
export function devSetForTests(): DevSet {
  return FACES.skip === false ? loadDevSet(FACES.dir) : EMPTY;
}
