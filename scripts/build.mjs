// `npm run build`: the renderer bundle (Vite), and with esbuild the main-process bundles: the
// browser host (what `npm start` runs where Electron is absent), the Electron shell's main and
// its preload. Tests and tools run the TypeScript sources through tsx; the terminal itself runs
// bundles, because compiling on the fly would cost its cold start a few hundred milliseconds.
// Plain JavaScript, so it runs before anything is compiled.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(join(root, 'build/renderer/.stamp'), new Date().toISOString());
}

export async function buildMainBundles() {
  const esbuild = await import('esbuild');
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    sourcemap: true,
    logLevel: 'warning',
  };
  // Our code bundled, node_modules left to Node's resolver (native addons cannot be bundled).
  // Worker threads are entries of their own, build/<dir>/worker.js, found from the bundles that
  // start them by main/shared/worker-url.ts.
  await esbuild.build({
    ...common,
    entryPoints: {
      'app/main': join(root, 'main/app/main.ts'),
      'host/cli': join(root, 'main/host/cli.ts'),
      'host/host-main': join(root, 'main/host/host-main.ts'),
      'host/local-cloud-worker': join(root, 'main/host/local-cloud-worker.ts'),
      'sync/worker': join(root, 'main/sync/worker.ts'),
      'face/worker': join(root, 'main/face/worker.ts'),
    },
    outdir: join(root, 'build'),
    format: 'esm',
    packages: 'external',
    // cli.js loads the host after turning the compile cache on (main/host/cli.ts).
    external: ['./host-main.js'],
  });
  // Preload: sandboxed renderers can only require 'electron', so everything else is bundled in.
  await esbuild.build({
    ...common,
    entryPoints: {
      'preload/index': join(root, 'preload/index.ts'),
      // Face pay's hidden capture window (main/app/capture.ts).
      'preload/capture': join(root, 'preload/capture.ts'),
    },
    outdir: join(root, 'build'),
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    external: ['electron'],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await buildRenderer();
  await buildMainBundles();
  console.log(`built the renderer and the main-process bundles in ${Date.now() - started} ms`);
}
