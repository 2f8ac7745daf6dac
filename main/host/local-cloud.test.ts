/**
 * The reference cloud beside the terminal is the terminal's own: its data lives in the
 * terminal's data directory, whatever DATABASE_URL a shell holds (CI sets one for the cloud's
 * own tests; a terminal that followed it would share payers with every other one there).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../core';
import { checkPrivateTree } from '../shared/private-files';
import { startLocalCloud } from './local-cloud';

test('the local cloud keeps to PGlite in the data directory even with DATABASE_URL set', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-local-cloud-'));
  const saved = process.env.DATABASE_URL;
  // Nothing listens on port 1: a cloud that followed this would fail to start.
  process.env.DATABASE_URL = 'postgres://nobody@127.0.0.1:1/nowhere';
  try {
    const local = await startLocalCloud(loadConfig(['--data-dir', dataDir], {}));
    try {
      assert.match(await local.pairingCode(), /\S/);
      assert.ok(existsSync(join(dataDir, 'cloud')), 'its data is in the terminal’s data directory');
    } finally {
      await local.close();
    }
    // PGlite's ~1,000 files, its WAL among them (issue 9: they were 0666 under 0755 folders).
    assert.doesNotThrow(() => checkPrivateTree(dataDir), 'nothing others may read');
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a taken port fails the start with EADDRINUSE, carried across the thread', async () => {
  const dirs = [0, 1].map(() => mkdtempSync(join(tmpdir(), 'pos-local-cloud-')));
  const first = await startLocalCloud(loadConfig(['--data-dir', dirs[0] as string], {}));
  try {
    const port = Number(new URL(first.url).port);
    await assert.rejects(
      startLocalCloud(loadConfig(['--data-dir', dirs[1] as string], {}), port),
      (error: unknown) => (error as { code?: string }).code === 'EADDRINUSE',
    );
    // The first is untouched and still answers.
    assert.match(await first.pairingCode(), /\S/);
  } finally {
    await first.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});
