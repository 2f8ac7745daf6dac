import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkAccess, isLoopback, loadOrCreatePairingToken, originAllowed } from './access';

test('loopback addresses are recognised, others are not', () => {
  for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1'])
    assert.equal(isLoopback(a), true, a);
  for (const a of ['192.168.1.5', '10.0.0.1', '::ffff:192.168.1.5', '', undefined]) {
    assert.equal(isLoopback(a), false, String(a));
  }
});

test('off-machine requests are refused unless remote displays are on and the token matches', () => {
  const off = { remoteDisplays: false, pairingToken: null };
  const on = { remoteDisplays: true, pairingToken: 'secret-token-0123456789' };
  assert.equal(checkAccess(off, { remoteAddress: '127.0.0.1', token: undefined }).allowed, true);
  assert.equal(
    checkAccess(off, { remoteAddress: '192.168.1.9', token: 'secret-token-0123456789' }).allowed,
    false,
  );
  assert.equal(checkAccess(on, { remoteAddress: '192.168.1.9', token: undefined }).allowed, false);
  assert.equal(checkAccess(on, { remoteAddress: '192.168.1.9', token: 'wrong' }).allowed, false);
  assert.equal(
    checkAccess(on, { remoteAddress: '192.168.1.9', token: 'secret-token-0123456789' }).allowed,
    true,
  );
});

test('WebSocket origins must be the host itself', () => {
  assert.equal(originAllowed(undefined, '127.0.0.1:5180'), true);
  assert.equal(originAllowed('http://127.0.0.1:5180', '127.0.0.1:5180'), true);
  assert.equal(originAllowed('http://evil.example', '127.0.0.1:5180'), false);
  assert.equal(originAllowed('http://127.0.0.1:9999', '127.0.0.1:5180'), false);
  assert.equal(originAllowed('null', '127.0.0.1:5180'), false);
});

test('the pairing token is created once, kept private, and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pos-token-'));
  try {
    const first = loadOrCreatePairingToken(dir);
    assert.match(first, /^[A-Za-z0-9_-]{20,}$/);
    assert.equal(loadOrCreatePairingToken(dir), first);
    assert.equal(readFileSync(join(dir, 'pairing-token'), 'utf8').trim(), first);
    assert.equal(statSync(join(dir, 'pairing-token')).mode & 0o077, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
