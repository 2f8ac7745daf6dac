// Where the end-to-end suites find Chromium: one place, read by playwright.config.ts and by
// scripts/check-chromium.mjs (run first by `npm test`). Debian's package by default; no browser
// is ever downloaded.
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** CHROMIUM_PATH when set, else Debian's Chromium. */
export function chromiumPath(env = process.env) {
  return env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
}
