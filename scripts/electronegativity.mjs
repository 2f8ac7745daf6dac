// `npm run electronegativity` (part of `npm test`): Doyensec's Electronegativity over the code
// that configures Electron (main/app, the preloads) and the page it loads (renderer/index.html,
// for its CSP). Fails on any finding that scripts/electronegativity-accepted.json does not list
// with a reason, and on any accepted finding that no longer occurs (so the list stays true).
// Offline and quick: the one check that asks the network (Electron releases) is excluded with
// its reason in the same file, and the translations Electronegativity fetches at every start are
// not fetched (its English texts are built in). Plain JavaScript: runs before anything is built.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ACCEPTED_FILE = join(root, 'scripts/electronegativity-accepted.json');

/** What is scanned: the Electron-facing sources, without tests and test stand-ins. */
function scannedFiles() {
  const pick = (dir) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|js|mjs|cjs)$/.test(e.name) && !/\.test\./.test(e.name))
      .map((e) => join(dir, e.name));
  return [...pick('main/app'), ...pick('preload'), 'renderer/index.html'];
}

/**
 * Electronegativity fetches translations from S3 each run (1 s timeout, then "Could not
 * retrieve updated translations"). A test must not reach the network: its HTTP client, as
 * Electronegativity's i18n module requires it, answers "offline" at once.
 */
function loadElectronegativity() {
  const require = createRequire(import.meta.url);
  const runnerPath = require.resolve('@doyensec/electronegativity/dist/runner.js');
  const fromI18n = createRequire(join(dirname(runnerPath), 'locales/i18n.js'));
  const gotPath = fromI18n.resolve('got');
  const offline = () => Promise.reject(new Error('offline: translations are not fetched'));
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: offline };
  const quietLog = console.log;
  console.log = (...args) => {
    if (!String(args[0]).startsWith('Could not retrieve updated translations')) quietLog(...args);
  };
  const runner = require(runnerPath);
  return { run: runner.default ?? runner, restoreLog: () => (console.log = quietLog) };
}

function key(finding) {
  return `${finding.check} ${finding.file}`;
}

export async function electronegativity() {
  const accepted = JSON.parse(readFileSync(ACCEPTED_FILE, 'utf8'));
  const work = mkdtempSync(join(tmpdir(), 'electronegativity-'));
  try {
    for (const file of scannedFiles()) cpSync(join(root, file), join(work, file));
    const electronVersion = JSON.parse(
      readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
    ).version;
    const { run, restoreLog } = loadElectronegativity();
    let result;
    try {
      result = await run({
        input: work,
        isRelative: true,
        isVerbose: false,
        electronVersionOverride: electronVersion,
        excludeFromScan: accepted.excludedChecks.map((e) => e.check),
        customScan: [],
        parserPlugins: [],
      });
    } finally {
      restoreLog();
    }
    const problems = [];
    for (const error of result.errors.filter((e) => !e.tolerable)) {
      problems.push(`could not parse ${relative(work, error.file)}: ${error.message}`);
    }
    const findings = result.issues.map((issue) => ({
      check: issue.id,
      file: issue.file === 'N/A' ? 'N/A' : relative(work, join(work, issue.file)),
      line: issue.location?.line ?? 0,
      description: issue.description,
    }));
    const acceptedKeys = new Set(accepted.findings.map(key));
    for (const finding of findings) {
      if (!acceptedKeys.has(key(finding)))
        problems.push(
          `${finding.check} in ${finding.file}:${finding.line}: ${finding.description} ` +
            '(fix it, or accept it with a reason in scripts/electronegativity-accepted.json)',
        );
    }
    const found = new Set(findings.map(key));
    for (const entry of accepted.findings) {
      if (!found.has(key(entry)))
        problems.push(`${key(entry)} is accepted but no longer found: remove it from the list`);
    }
    return { findings, problems, files: scannedFiles().length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  const { findings, problems, files } = await electronegativity();
  if (problems.length > 0) {
    console.error(`Electronegativity: ${problems.length} problem(s):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  console.log(
    `Electronegativity: ${files} files clean (${findings.length} accepted finding(s), ` +
      `each explained in scripts/electronegativity-accepted.json) in ${Date.now() - started} ms`,
  );
}
