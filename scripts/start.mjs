// `npm start`: the Electron terminal where the Electron runtime is present, otherwise the browser
// host on 127.0.0.1. Builds what is missing or stale first. Arguments after `--` are passed on
// (--data-dir DIR, --port N, --remote-displays, --locale en).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMainBundles, buildRenderer } from './build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function rendererIsStale() {
  const stamp = join(root, 'build/renderer/.stamp');
  if (!existsSync(stamp)) return true;
  const sources = ['renderer', 'main/contract', 'vite.config.ts'].map((p) =>
    newestMtime(join(root, p)),
  );
  return Math.max(...sources) > statSync(stamp).mtimeMs;
}

/** Path of the Electron binary if it was installed, without triggering its download. */
function electronBinary() {
  if (process.env.POS_NO_ELECTRON === '1') return { path: null, why: 'POS_NO_ELECTRON=1 is set' };
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) {
      return {
        path: null,
        why: 'the Electron runtime is not downloaded (it comes from outside the npm registry; run `npx install-electron` where that is reachable)',
      };
    }
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    if (!existsSync(binary)) return { path: null, why: `the Electron binary ${binary} is missing` };
    if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
      return { path: null, why: 'there is no display (DISPLAY/WAYLAND_DISPLAY unset)' };
    }
    return { path: binary, why: '' };
  } catch {
    return { path: null, why: 'the electron package is not installed' };
  }
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

if (rendererIsStale()) {
  console.log('Building the renderer…');
  await buildRenderer();
}

// esbuild takes a fraction of a second: always rebuild, so the bundles match the sources.
await buildMainBundles();

const electron = electronBinary();
if (electron.path) {
  run(electron.path, [join(root, 'build/app/main.js'), ...args]);
} else {
  console.log(`Electron is not used: ${electron.why}. Starting the browser host instead.`);
  run(process.execPath, [join(root, 'build/host/cli.js'), ...args]);
}
