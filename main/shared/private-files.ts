/**
 * Owner-only files. Everything the terminal and the cloud write (ledgers, the cloud's database,
 * secrets, certificates, logs) is readable and writable by the user the process runs as and by
 * nobody else: directories 0700, files 0600.
 *
 * - `restrictUmask()` at the start of every entry point (host, Electron main, cloud CLI, the
 *   local cloud's thread shares the process) makes every file created afterwards owner-only,
 *   including those a library creates itself (PGlite wrote 0666 files under 0755 folders).
 * - `ensurePrivateDir()` creates a data directory 0700, or checks the one that is there: a
 *   directory or file that others may read or write is refused, with the command that fixes it,
 *   rather than silently chmod-ed (a shop's IT may have put it there on purpose, and must know).
 * - `writePrivateFile()` writes atomically (temporary file, fsync, rename) with mode 0600, so a
 *   crash never leaves half a secret and the file is never readable by others, even briefly.
 *
 * Windows has no POSIX modes (the per-user AppData folder carries the ACLs), so the checks apply
 * where there are modes to check.
 */
import {
  chmodSync,
  closeSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const POSIX = process.platform !== 'win32';

/** Bits that let the group or others read, write or enter. */
const GROUP_OTHER = 0o077;

/**
 * Every file and directory created by this process from now on is owner-only. The umask is the
 * process's: a worker thread may not set it (Node refuses), so whoever starts a thread that
 * writes files (main/host/local-cloud.ts) restricts it first, and in a worker this does nothing.
 */
export function restrictUmask(): void {
  if (POSIX && isMainThread) process.umask(0o077);
}

export class InsecurePathError extends Error {
  constructor(
    readonly path: string,
    reason: string,
    readonly fix: string,
  ) {
    super(`${path} ${reason}; refusing to use it. Fix: ${fix}`);
    this.name = 'InsecurePathError';
  }
}

function octal(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0');
}

function checkStats(path: string, stats: Stats, root: string): void {
  if (!POSIX) return;
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new InsecurePathError(
      path,
      `belongs to uid ${stats.uid}, not to this user (uid ${uid})`,
      `chown -R ${uid} '${root}'`,
    );
  }
  // A symbolic link's own mode is always 0777 on Linux and grants nothing (Chromium keeps its
  // SingletonLock links in Electron's userData, the terminal's data directory): not followed.
  if (stats.isSymbolicLink()) return;
  if ((stats.mode & GROUP_OTHER) !== 0) {
    const kind = stats.isDirectory() ? 'directory' : 'file';
    throw new InsecurePathError(
      path,
      `is a ${kind} that others may use (mode ${octal(stats.mode)})`,
      `chmod -R go-rwx '${root}'`,
    );
  }
}

/**
 * Creates `dir` (and its missing parents) owner-only, or checks the one that exists and
 * everything under it. Throws InsecurePathError naming the first path others may use.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkPrivateTree(dir);
}

/** Checks `root` and everything under it (symbolic links are checked, not followed). */
export function checkPrivateTree(root: string): void {
  const pending = [root];
  while (pending.length > 0) {
    const path = pending.pop() as string;
    const stats = lstatSync(path);
    checkStats(path, stats, root);
    if (stats.isDirectory()) {
      for (const name of readdirSync(path)) pending.push(join(path, name));
    }
  }
}

/**
 * Takes group and others' bits off every file under `root` that this user owns. Only for a
 * library that sets its files' modes itself, ignoring the umask: PGlite's WebAssembly file
 * system chmods the files of its initial data directory to 0666 and its relation-cache files to
 * 0644. The directories are left to ensurePrivateDir (they follow the umask, and one that others
 * may enter is refused, not mended).
 */
export function restrictFilesUnder(root: string): void {
  if (!POSIX) return;
  const uid = process.getuid?.();
  const pending = [root];
  while (pending.length > 0) {
    const path = pending.pop() as string;
    const stats = lstatSync(path);
    if (stats.isDirectory()) {
      for (const name of readdirSync(path)) pending.push(join(path, name));
    } else if (stats.isFile() && stats.uid === uid && (stats.mode & GROUP_OTHER) !== 0) {
      chmodSync(path, stats.mode & 0o700);
    }
  }
}

/** Writes `data` to `path` atomically, mode 0600, its folder made owner-only if missing. */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    writeSync(fd, bytes, 0, bytes.length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
