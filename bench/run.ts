/**
 * `npm run bench [-- NAME...]`: runs every bench/*.bench.ts (or those whose name contains one
 * of the given words) one after another, each in its own process so that one suite's memory and
 * threads do not colour the next. Each suite prints JSON lines {"name","value","unit",...}.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const suites = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

let failed = 0;
for (const suite of suites) {
  process.stderr.write(`# ${suite}\n`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, suite)], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    failed += 1;
    process.stderr.write(`# ${suite} failed (exit ${String(run.status ?? run.signal)})\n`);
  }
}
process.exit(failed === 0 ? 0 : 1);
