// `npm run build`: the renderer bundle (Vite) and the Electron shell's main and preload (esbuild).
// Under plain Node the main-process code runs from source through tsx; only Electron needs the
// bundles. Plain JavaScript, so it runs before anything is compiled.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildRenderer() {
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(join(root, 'build/renderer/.stamp'), new Date().toISOString());
}

export async function buildElectronShell() {
  const esbuild = await import('esbuild');
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node22',
    sourcemap: true,
    logLevel: 'warning',
  };
  // Main: our code bundled, node_modules left to Node's resolver (native addons cannot be bundled).
  await esbuild.build({
    ...common,
    entryPoints: [join(root, 'main/app/main.ts')],
    outfile: join(root, 'build/app/main.js'),
    format: 'esm',
    packages: 'external',
  });
  // Preload: sandboxed renderers can only require 'electron', so everything else is bundled in.
  await esbuild.build({
    ...common,
    entryPoints: [join(root, 'preload/index.ts')],
    outfile: join(root, 'build/preload/index.cjs'),
    format: 'cjs',
    external: ['electron'],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await buildRenderer();
  await buildElectronShell();
  console.log(`built renderer and Electron shell in ${Date.now() - started} ms`);
}
