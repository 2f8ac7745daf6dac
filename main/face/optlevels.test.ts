/**
 * The per-machine choice of ORT graph optimisation levels: measured with real ORT sessions on
 * the real models, written owner-only with its key, read back without measuring again, and
 * measured again when the key is another machine's or ORT's, or the file is corrupt. Which level
 * wins is this machine's business: no timing or winner is asserted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FaceEngine } from './engine';
import {
  DEFAULT_THREADING,
  disableOrtTelemetry,
  loadVerifiedModels,
  MODEL_FILES,
  type ModelName,
} from './models';
import {
  machineKey,
  measureModel,
  OPT_LEVELS,
  optLevelsPath,
  readOptLevels,
  tuneOptLevels,
  type OptLevelKey,
} from './optlevels';
import { GRAPH_OPTIMIZATION } from './sessions';

const MODELS = Object.keys(MODEL_FILES) as ModelName[];
let models: Record<ModelName, Uint8Array>;
const dirs: string[] = [];

before(async () => {
  disableOrtTelemetry();
  models = await loadVerifiedModels();
});
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'optlevels-'));
  dirs.push(dir);
  return dir;
}

/** The real measurement, counted. */
function counted(): { measure: typeof measureModel; calls: ModelName[] } {
  const calls: ModelName[] = [];
  return {
    calls,
    measure: (name, bytes, threading) => {
      calls.push(name);
      return measureModel(name, bytes, threading);
    },
  };
}

function tune(dir: string, measure: typeof measureModel, key?: OptLevelKey) {
  return tuneOptLevels({ dataDir: dir, models, threading: DEFAULT_THREADING, measure, key });
}

test('the first start measures every model and writes the choice with its key, owner-only', async () => {
  const dir = dataDir();
  const { measure, calls } = counted();
  const tuned = await tune(dir, measure);
  assert.equal(tuned.measured, true);
  assert.deepEqual(calls, MODELS);
  const path = optLevelsPath(dir);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const file = JSON.parse(readFileSync(path, 'utf8'));
  assert.deepEqual(file.key, machineKey());
  assert.deepEqual(file.levels, tuned.levels);
  for (const name of MODELS) {
    assert.ok(
      (OPT_LEVELS as readonly string[]).includes(tuned.levels[name]),
      `${name}: ${tuned.levels[name]}`,
    );
    // The winner is the fastest of the three measured (whichever that is on this machine).
    const ms = file.measuredMs[name] as Record<string, number>;
    assert.deepEqual(Object.keys(ms).sort(), [...OPT_LEVELS].sort());
    assert.equal(ms[tuned.levels[name]], Math.min(...Object.values(ms)));
  }
});

test('a later start reads the choice back without measuring', async () => {
  const dir = dataDir();
  const first = await tune(dir, counted().measure);
  const before = readFileSync(optLevelsPath(dir), 'utf8');
  const { measure, calls } = counted();
  const again = await tune(dir, measure);
  assert.equal(again.measured, false);
  assert.deepEqual(calls, []);
  assert.deepEqual(again.levels, first.levels);
  assert.equal(readFileSync(optLevelsPath(dir), 'utf8'), before);
});

test('another CPU, core count or ORT version measures again and keeps the new key', async () => {
  const dir = dataDir();
  await tune(dir, counted().measure);
  const here = machineKey();
  for (const other of [
    { ...here, cpu: 'AMD EPYC 9654 96-Core Processor' },
    { ...here, cores: here.cores + 6 },
    { ...here, ort: '1.31.0' },
  ]) {
    const { measure, calls } = counted();
    const tuned = await tune(dir, measure, other);
    assert.equal(tuned.measured, true, JSON.stringify(other));
    assert.deepEqual(calls, MODELS);
    assert.deepEqual(JSON.parse(readFileSync(optLevelsPath(dir), 'utf8')).key, other);
    // The file now belongs to the other key: this machine's own key measures again too.
    assert.equal(readOptLevels(optLevelsPath(dir), here), null);
  }
});

test('a corrupt or foreign file is ignored and measured again, never a crash', async () => {
  const good = JSON.stringify({ key: machineKey(), levels: GRAPH_OPTIMIZATION });
  const bad = [
    '',
    '{"key":',
    'not json at all',
    'null',
    '[]',
    good.replace('"all"', '"fastest"'), // a level ORT does not have
    good.replace('"feature"', '"unknown"'), // a model missing
    JSON.stringify({ levels: GRAPH_OPTIMIZATION }), // no key
    JSON.stringify({ key: { ...machineKey(), cores: 'two' }, levels: GRAPH_OPTIMIZATION }),
    '\u0000\u00ff\u0010binary',
  ];
  const dir = dataDir();
  const path = optLevelsPath(dir);
  // The well-formed one is read back as written (the control: the corrupt ones differ only so).
  writeFileSync(path, good, { mode: 0o600 });
  assert.deepEqual(readOptLevels(path, machineKey()), GRAPH_OPTIMIZATION);
  for (const content of bad) {
    writeFileSync(path, content, { mode: 0o600 });
    assert.equal(readOptLevels(path, machineKey()), null, JSON.stringify(content));
  }
  const { measure, calls } = counted();
  const tuned = await tune(dir, measure);
  assert.equal(tuned.measured, true);
  assert.deepEqual(calls, MODELS);
  assert.deepEqual(readOptLevels(path, machineKey()), tuned.levels);
});

test('without a data directory the face worker uses the table and measures nothing', async () => {
  const engine = await FaceEngine.start();
  try {
    assert.deepEqual(await engine.optLevels(), { levels: GRAPH_OPTIMIZATION, measuring: false });
  } finally {
    await engine.close();
  }
});

/** Asks the worker until its background measurement is done (bounded by count, not time). */
async function measured(engine: FaceEngine) {
  for (let i = 0; i < 2000; i++) {
    const state = await engine.optLevels();
    if (!state.measuring) return state;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the face worker never finished measuring');
}

test('the face worker measures on first start, adopts the choice, and reads it back on the next', async () => {
  const dir = dataDir();
  const path = optLevelsPath(dir);
  const first = await FaceEngine.start({ dataDir: dir });
  let levels;
  try {
    levels = (await measured(first)).levels;
    assert.deepEqual(readOptLevels(path, machineKey()), levels);
  } finally {
    await first.close();
  }
  const written = readFileSync(path, 'utf8');
  // Next start: this machine's choice from the first answer on, nothing measured or rewritten.
  const second = await FaceEngine.start({ dataDir: dir });
  try {
    assert.deepEqual(await second.optLevels(), { levels, measuring: false });
  } finally {
    await second.close();
  }
  assert.equal(readFileSync(path, 'utf8'), written);
});

test('the face worker starts on a corrupt file, with the table, and replaces the file', async () => {
  const dir = dataDir();
  const path = optLevelsPath(dir);
  writeFileSync(path, '{"key": {"cpu": ', { mode: 0o600 });
  const engine = await FaceEngine.start({ dataDir: dir });
  try {
    assert.deepEqual(await engine.optLevels(), { levels: GRAPH_OPTIMIZATION, measuring: true });
    const { levels } = await measured(engine);
    assert.deepEqual(readOptLevels(path, machineKey()), levels);
  } finally {
    await engine.close();
  }
});

test('closing the engine while it measures stops the measurement cleanly: no file, no abort', async () => {
  // Terminating the worker while ONNX Runtime creates a session aborts the whole process
  // (this test file's, here): close() must let the step in ORT finish and start no other.
  for (const waitMs of [0, 150, 400]) {
    const dir = dataDir();
    const engine = await FaceEngine.start({ dataDir: dir });
    assert.equal((await engine.optLevels()).measuring, true);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    await engine.close();
    // Stopped part-way: nothing half-measured is kept, so the next start measures again.
    assert.equal(readOptLevels(optLevelsPath(dir), machineKey()), null);
  }
});
