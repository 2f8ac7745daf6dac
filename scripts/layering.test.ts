/**
 * The layering rules in eslint.config.js are the architecture's guard rails: this proves they
 * bite, so that a config edit cannot quietly turn them off.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

test('only main/app may import electron', async () => {
  const code = "import { app } from 'electron';\nexport const a = app;\n";
  for (const file of [
    'main/core/x.ts',
    'main/ledger/x.ts',
    'main/face/x.ts',
    'main/sync/x.ts',
    'main/host/x.ts',
  ]) {
    assert.equal((await restrictedImports(file, code)).length, 1, file);
  }
  assert.deepEqual(await restrictedImports('main/app/x.ts', code), []);
});

test('nor by a subpath, a dynamic import or require, anywhere outside main/app and preload', async () => {
  const sneaky = [
    "import { app } from 'electron/main';\nexport const a = app;\n",
    "export const load = () => import('electron');\n",
    "import { createRequire } from 'node:module';\nexport const e = createRequire(import.meta.url)('electron');\n",
    "declare const require: (id: string) => unknown;\nexport const e = require('electron/main');\n",
  ];
  for (const file of ['main/core/x.ts', 'main/shared/x.ts', 'main/ledger/x.ts', 'cloud/x.ts']) {
    for (const code of sneaky) {
      assert.equal((await restrictedImports(file, code)).length, 1, `${file}: ${code}`);
    }
  }
  for (const code of sneaky) assert.deepEqual(await restrictedImports('main/app/x.ts', code), []);
  assert.deepEqual(
    await restrictedImports('preload/x.ts', "import { contextBridge } from 'electron';\n"),
    [],
  );
  // Not every name that starts with the word: a package called electron-builder is fine.
  assert.deepEqual(
    await restrictedImports('scripts/x.ts', "export const b = () => import('electron-builder');\n"),
    [],
  );
});

test('lower layers never import upper ones', async () => {
  const code = "import { startHost } from '../host/server';\nexport const s = startHost;\n";
  assert.equal((await restrictedImports('main/core/x.ts', code)).length, 1);
  assert.equal(
    (
      await restrictedImports(
        'main/ledger/x.ts',
        "import { c } from '../core';\nexport const d = c;\n",
      )
    ).length,
    1,
  );
});

test('the renderer imports nothing from main but the contract', async () => {
  const ledger = "import { Ledger } from '../../main/ledger';\nexport const l = Ledger;\n";
  const contract = "import { sale } from '../../main/contract';\nexport const s = sale;\n";
  assert.equal((await restrictedImports('renderer/src/x.ts', ledger)).length, 1);
  assert.deepEqual(await restrictedImports('renderer/src/x.ts', contract), []);
});

test('native/ (the peripherals) imports the contract and nothing above it', async () => {
  const core = "import { createPosCore } from '../main/core';\nexport const c = createPosCore;\n";
  const ledger = "import { Ledger } from '../main/ledger';\nexport const l = Ledger;\n";
  const contract = "import { sale } from '../main/contract';\nexport const s = sale;\n";
  const electron = "import { app } from 'electron';\nexport const a = app;\n";
  assert.equal((await restrictedImports('native/x.ts', core)).length, 1);
  assert.equal((await restrictedImports('native/escpos/x.ts', ledger)).length, 1);
  assert.equal((await restrictedImports('native/x.ts', electron)).length, 1);
  assert.deepEqual(await restrictedImports('native/x.ts', contract), []);
});
