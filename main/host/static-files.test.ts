/**
 * The host serves the renderer's files, with the security headers, and nothing else: unknown
 * paths, dotfiles and paths out of the renderer's folder get no file.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createPosCore, loadConfig } from '../core';
import { startHost } from './server';

test('renderer files are served with the CSP; unknown paths, dotfiles and escapes are not', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pos-static-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log("app")');
  writeFileSync(join(rendererDir, '.stamp'), 'built');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
  const core = createPosCore(loadConfig(['--data-dir', join(root, 'data')], {}));
  const host = await startHost({
    core,
    port: 0,
    rendererDir,
  });
  try {
    const get = (path: string) => fetch(`${host.url}${path}`);

    const asset = await get('/assets/app-1234.js');
    assert.equal(asset.status, 200);
    assert.equal(await asset.text(), 'console.log("app")');
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
    assert.match(asset.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    assert.equal(asset.headers.get('x-content-type-options'), 'nosniff');

    for (const path of ['/', '/customer', '/manager']) {
      const page = await get(path);
      assert.equal(page.status, 200, path);
      assert.match(await page.text(), /id="root"/, path);
    }
    for (const path of ['/assets/missing.js', '/nowhere', '/.stamp']) {
      assert.equal((await get(path)).status, 404, path);
    }
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const reply = await get(path);
      assert.notEqual(reply.status, 200, path);
      assert.doesNotMatch(await reply.text(), /outside the renderer/, path);
    }
  } finally {
    await host.close();
    await core.shutdown();
    rmSync(root, { recursive: true, force: true });
  }
});
