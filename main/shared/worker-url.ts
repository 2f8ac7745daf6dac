/**
 * Where a worker thread's entry file is, whether the caller runs from source or from a bundle.
 *
 * - From source (tests, tools, benchmarks under tsx): the `.ts` file beside the calling module.
 *   The worker inherits the parent's `--import tsx`, so it runs TypeScript too.
 * - From the esbuild bundles the terminal runs (scripts/build.mjs): each worker is an entry of
 *   its own, `build/<dir>/<name>.js`, and every bundle that starts one sits one folder down in
 *   build/ (build/host/cli.js, build/app/main.js), so the worker is `../<dir>/<name>.js` from it.
 *
 * `callerUrl` is the caller's `import.meta.url`; `dir` is the worker's folder under main/.
 */
export function workerUrl(callerUrl: string, dir: string, name = 'worker'): URL {
  if (/\.[cm]?ts$/.test(new URL(callerUrl).pathname)) return new URL(`./${name}.ts`, callerUrl);
  return new URL(`../${dir}/${name}.js`, callerUrl);
}
