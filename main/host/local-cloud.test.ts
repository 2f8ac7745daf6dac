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
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
