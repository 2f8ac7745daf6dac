// Run first by `npm test`: without Chromium the end-to-end suites fail one by one after minutes
// of unit tests, so say so at once, in one line with the command that fixes it.
import { accessSync, constants, statSync } from 'node:fs';
import { chromiumPath } from './chromium.mjs';

const path = chromiumPath();
try {
  accessSync(path, constants.X_OK);
  if (!statSync(path).isFile()) throw new Error('not a file');
} catch {
  console.error(
    `npm test: Chromium not found at ${path} — install it: sudo apt-get install -y chromium (or set CHROMIUM_PATH)`,
  );
  process.exit(1);
}
