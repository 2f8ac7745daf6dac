#!/usr/bin/env node
/**
 * Puts the face models in assets/models/ and checks them against the SHA-256 sums pinned in
 * main/face/models.json (the one list both this script and the face pipeline read).
 *
 *   node scripts/fetch-models.mjs          fetch what is missing or wrong, verify everything
 *   node scripts/fetch-models.mjs --check  verify only; exit 1 naming each missing/wrong file
 *
 * Runs as the package's postinstall, under whatever Node npm uses (maybe Node 20), so it is
 * plain ESM JavaScript with no dependencies. The models come from the npm package itself,
 * fetched with `npm pack` into .cache/face-models/ (never installed: its dependency list is a
 * build toolchain we do not want). The tarball is checked against the pinned npm integrity,
 * then only the model files are read out of it.
 *
 * Environment: FACE_MODELS_DIR overrides the target folder, FACE_MODELS_CACHE the tarball
 * cache, FACE_MODELS_SKIP=1 skips the whole step (e.g. a CI job that never runs the face code).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'main/face/models.json'), 'utf8'));
const modelsDir = resolve(process.env.FACE_MODELS_DIR ?? join(repoRoot, 'assets/models'));
const cacheDir = resolve(process.env.FACE_MODELS_CACHE ?? join(repoRoot, '.cache/face-models'));
const spec = `${manifest.package}@${manifest.version}`;
const tarballName = `${manifest.package}-${manifest.version}.tgz`;
const FIX = 'run `node scripts/fetch-models.mjs` (or `npm install`) in the project root';

const log = (line) => process.stderr.write(`[fetch-models] ${line}\n`);

function sha256(bytes) {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Which pinned files are missing or differ, each with a reason a person can act on. */
export function findProblems(dir = modelsDir) {
  const problems = [];
  for (const [name, expected] of Object.entries(manifest.files)) {
    const file = join(dir, name);
    if (!existsSync(file)) {
      problems.push({ name, reason: `${file} is missing` });
      continue;
    }
    const actual = sha256(readFileSync(file));
    if (actual !== expected) {
      problems.push({ name, reason: `${file} has SHA-256 ${actual}, expected ${expected}` });
    }
  }
  return problems;
}

/** The npm executable to run: the one running this postinstall if any, else npm on PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && cli.endsWith('.js')) return { cmd: process.execPath, args: [cli] };
  return { cmd: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: [] };
}

/** `npm pack` into the cache, printing elapsed time while npm downloads (about 41 MB). */
function npmPack() {
  mkdirSync(cacheDir, { recursive: true });
  const { cmd, args } = npmCommand();
  log(`fetching ${spec} with npm pack into ${cacheDir} (about 41 MB)`);
  const started = Date.now();
  const tty = process.stderr.isTTY;
  return new Promise((resolvePack, reject) => {
    const child = spawn(
      cmd,
      [...args, 'pack', spec, '--pack-destination', cacheDir, '--silent', '--ignore-scripts'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const ticker = setInterval(
      () => {
        const seconds = Math.round((Date.now() - started) / 1000);
        if (tty) process.stderr.write(`\r[fetch-models] downloading ${spec}: ${seconds} s`);
        else log(`still downloading ${spec}: ${seconds} s`);
      },
      tty ? 500 : 5000,
    );
    child.on('error', (err) => {
      clearInterval(ticker);
      reject(new Error(`could not start npm (${err.message})`));
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (tty) process.stderr.write('\n');
      if (code === 0) resolvePack();
      else reject(new Error(`npm pack ${spec} failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}

function integrityOf(bytes) {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

/** The package tarball, from the cache when it is there and matches the pinned integrity. */
async function packageTarball() {
  const file = join(cacheDir, tarballName);
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    if (integrityOf(bytes) === manifest.integrity) {
      log(`using cached ${file}`);
      return bytes;
    }
    log(`cached ${file} does not match the pinned integrity; fetching again`);
  }
  await npmPack();
  if (!existsSync(file)) throw new Error(`npm pack did not produce ${file}`);
  const bytes = readFileSync(file);
  const integrity = integrityOf(bytes);
  if (integrity !== manifest.integrity) {
    throw new Error(`${file} has integrity ${integrity}, expected ${manifest.integrity}`);
  }
  return bytes;
}

/** Reads the regular files of a (ustar or pax) tar archive: Map of path -> bytes. */
export function readTar(tar) {
  const files = new Map();
  let offset = 0;
  let paxPath = null;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const text = (start, length) =>
      header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const size = parseInt(text(124, 12).trim() || '0', 8);
    const type = text(156, 1) || '0';
    const prefix = text(345, 155);
    const name = paxPath ?? (prefix ? `${prefix}/${text(0, 100)}` : text(0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    paxPath = null;
    if (type === 'x') {
      const match = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      if (match) paxPath = match[1];
    } else if (type === '0') {
      files.set(name, body);
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Writes the model files that are missing or wrong, verifying each before it lands. */
async function fetchModels(problems) {
  const tarball = await packageTarball();
  const entries = readTar(gunzipSync(tarball));
  mkdirSync(modelsDir, { recursive: true });
  problems.forEach(({ name }, i) => {
    const bytes = entries.get(`package/model/${name}`);
    if (!bytes) throw new Error(`${spec} has no model/${name}`);
    const actual = sha256(bytes);
    const expected = manifest.files[name];
    if (actual !== expected) {
      throw new Error(`${name} in ${spec} has SHA-256 ${actual}, expected ${expected}`);
    }
    // Write then rename, so an interrupted install never leaves a half-written model behind.
    const target = join(modelsDir, name);
    writeFileSync(`${target}.partial`, bytes);
    renameSync(`${target}.partial`, target);
    const mb = (bytes.length / 1e6).toFixed(1);
    log(`[${i + 1}/${problems.length}] ${name} (${mb} MB) written, SHA-256 verified`);
  });
}

async function main() {
  if (process.env.FACE_MODELS_SKIP === '1') {
    log('FACE_MODELS_SKIP=1: not fetching or checking the face models');
    return 0;
  }
  const checkOnly = process.argv.includes('--check');
  const problems = findProblems();
  const count = Object.keys(manifest.files).length;
  if (problems.length === 0) {
    log(`all ${count} face models present in ${modelsDir} and verified`);
    return 0;
  }
  if (checkOnly) {
    for (const p of problems) log(`${p.name}: ${p.reason}`);
    log(`to fix: ${FIX}`);
    return 1;
  }
  for (const p of problems) log(`${p.name}: ${p.reason}; fetching`);
  try {
    await fetchModels(problems);
  } catch (err) {
    log(`failed: ${err instanceof Error ? err.message : String(err)}`);
    log(`the face models are not in place; to retry: ${FIX}`);
    return 1;
  }
  const left = findProblems();
  for (const p of left) log(`${p.name}: ${p.reason}`);
  if (left.length > 0) return 1;
  log(`all ${count} face models present in ${modelsDir} and verified`);
  // Files in the folder that are not pinned are left alone, but said, so nobody trusts them.
  const extra = readdirSync(modelsDir).filter((f) => f.endsWith('.onnx') && !manifest.files[f]);
  if (extra.length > 0) log(`not pinned, not used: ${extra.join(', ')}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
