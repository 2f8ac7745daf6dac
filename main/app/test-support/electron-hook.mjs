// A module-resolution hook (node:module register) for main.test.ts: `electron`, and only it,
// resolves to the stand-in beside this file, so main/app runs unchanged without the Electron
// runtime. Registered by the test itself, so no other test file sees it.
const standIn = new URL('./electron-standin.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: standIn, shortCircuit: true };
  return nextResolve(specifier, context);
}
