// The cloud must pass on embedded PGlite always, and on PostgreSQL when DATABASE_URL is set.
// `npm run test:unit` honours DATABASE_URL; where it was set, this runs the cloud's suites once
// more without it, on PGlite. Where it was not, the unit run already used PGlite: nothing to do.
import { spawnSync } from 'node:child_process';

if (!process.env.DATABASE_URL) {
  console.log('cloud on PGlite: already covered by test:unit (DATABASE_URL is not set)');
  process.exit(0);
}
const env = { ...process.env };
delete env.DATABASE_URL;
const run = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', 'cloud/**/*.test.ts'],
  { stdio: 'inherit', env },
);
process.exit(run.status ?? 1);
