import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CSP } from '../contract';
import { appProtocolHandler, isAppUrl, screenUrl } from './protocol';

// A renderer directory beside a file it must never serve (a secret next to the bundle).
const root = mkdtempSync(join(tmpdir(), 'pos-protocol-'));
const rendererDir = join(root, 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>POS</title>');
writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(rendererDir, '.stamp'), 'built');
writeFileSync(join(root, 'secret.txt'), 'the terminal key');
symlinkSync(join(root, 'secret.txt'), join(rendererDir, 'assets', 'link.js'));
after(() => rmSync(root, { recursive: true, force: true }));

const serve = appProtocolHandler(rendererDir);

test("the renderer's files are served from app://pos/ with the host's CSP and their type", async () => {
  const page = await serve(new Request(screenUrl('cashier')));
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'), CSP);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.match(await page.text(), /<title>POS<\/title>/);
  const script = await serve(new Request('app://pos/assets/app.js'));
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.equal((await serve(new Request('app://pos/'))).status, 200, '/ is index.html');
});

test('paths out of the renderer directory, dotfiles, symlinks out and other hosts are 404', async () => {
  for (const url of [
    'app://pos/../secret.txt',
    'app://pos/%2e%2e/secret.txt',
    'app://pos/..%2fsecret.txt',
    'app://pos/assets/..%2f..%2fsecret.txt',
    'app://pos/..%5csecret.txt',
    'app://pos/assets/link.js',
    'app://pos/.stamp',
    'app://pos/assets',
    'app://pos/index.html%00.js',
    'app://pos/%E0%A4%A',
    'app://pos/missing.js',
    'app://other/index.html',
    'app://pos:8080/index.html',
  ]) {
    const response = await serve(new Request(url));
    assert.equal(response.status, 404, url);
    assert.doesNotMatch(await response.text(), /terminal key|built/, url);
    assert.equal(response.headers.get('content-security-policy'), CSP, url);
  }
  assert.equal((await serve(new Request('app://pos/index.html', { method: 'PUT' }))).status, 405);
});

test("the capture window's session serves its empty page and none of the renderer", async () => {
  const captureOnly = appProtocolHandler(null);
  const page = await captureOnly(new Request('app://pos/capture.html'));
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'), CSP);
  assert.equal((await captureOnly(new Request('app://pos/index.html'))).status, 404);
});

test('only app://pos is ours', () => {
  assert.equal(isAppUrl('app://pos'), true);
  assert.equal(isAppUrl('app://pos/index.html?screen=customer'), true);
  for (const other of [
    'app://pos.evil.example/',
    'app://pos:1/',
    'app://user@pos/',
    'file:///opt/pos/index.html',
    'https://pos/',
    'null',
    '',
    null,
  ])
    assert.equal(isAppUrl(other), false, String(other));
});

test("the bundle's <meta> CSP is the served one (less frame-ancestors, which a <meta> cannot set)", () => {
  const html = readFileSync(join(import.meta.dirname, '../../renderer/index.html'), 'utf8');
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
  assert.ok(meta, 'index.html carries a CSP');
  const served = CSP.split('; ').filter((d) => !d.startsWith('frame-ancestors'));
  assert.deepEqual(meta.split('; '), served);
});
