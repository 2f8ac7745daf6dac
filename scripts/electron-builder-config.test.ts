/**
 * The package's fuses, as data: electron-builder cannot run here (it downloads the Electron
 * runtime), so this reads electron-builder.yml the way electron-builder 26 does (its own config
 * loader and schema validation, so a misspelt key fails here and not at a shop's build) and
 * checks every fuse the terminal depends on.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { FuseV1Options } from '@electron/fuses';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util/out/DebugLogger';
import { setPrinter } from 'builder-util/out/log';

// electron-builder's log ("• loaded configuration") writes to stdout, which the test runner's
// child uses for its own messages: a write landing inside one broke the run in CI. Keep its
// lines, on stderr.
setPrinter((message) => process.stderr.write(`${message}\n`));

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** electron-builder's option name for each of @electron/fuses' V1 fuses, and the value we need. */
const REQUIRED: [FuseV1Options, string, boolean][] = [
  [FuseV1Options.RunAsNode, 'runAsNode', false],
  [
    FuseV1Options.EnableNodeOptionsEnvironmentVariable,
    'enableNodeOptionsEnvironmentVariable',
    false,
  ],
  [FuseV1Options.EnableNodeCliInspectArguments, 'enableNodeCliInspectArguments', false],
  [
    FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
    'enableEmbeddedAsarIntegrityValidation',
    true,
  ],
  [FuseV1Options.OnlyLoadAppFromAsar, 'onlyLoadAppFromAsar', true],
  [FuseV1Options.EnableCookieEncryption, 'enableCookieEncryption', true],
  [FuseV1Options.GrantFileProtocolExtraPrivileges, 'grantFileProtocolExtraPrivileges', false],
];

test('electron-builder reads the config, and it sets every fuse the terminal needs', async () => {
  const config = await getConfig(root, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  const fuses = (config.electronFuses ?? {}) as Record<string, unknown>;
  for (const [fuse, key, value] of REQUIRED) {
    assert.equal(fuses[key], value, `${key} (${FuseV1Options[fuse]}) must be ${value}`);
  }
  // The app is packed into app.asar (what the integrity fuses check), the entry is the bundle.
  assert.notEqual(config.asar, false);
  assert.equal(config.extraMetadata?.main, 'build/app/main.js');
});

test('a misspelt fuse is refused by the schema, so the check above cannot pass on a typo', async () => {
  const config = await getConfig(root, null, null);
  const typo = { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } };
  await assert.rejects(validateConfiguration(typo, new DebugLogger(false)));
});
