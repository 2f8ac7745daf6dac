/**
 * The browser host's entry (`npm start` runs build/host/cli.js where Electron is absent): it
 * turns on Node's compile cache, then loads the host (host-main.ts). The cache keeps V8's
 * compiled code of every module the host loads (Fastify, zod, the host bundle itself) in
 * build/.compile-cache, so a start after the first one skips most compiling: measured here, the
 * median start to ready fell by up to ~80 ms of ~450. Node checks each entry against its
 * source, so a stale cache costs nothing but a recompile. The host is a separate file (marked
 * external in scripts/build.mjs) because imports are hoisted: in one bundle, every module would
 * load before the cache was on.
 */
import { enableCompileCache } from 'node:module';
import { join } from 'node:path';

// From the sources (tsx) there is nothing worth caching, and nothing is written into them.
if (!import.meta.filename.endsWith('.ts')) {
  enableCompileCache(join(import.meta.dirname, '..', '.compile-cache'));
}
await import('./host-main.js');
