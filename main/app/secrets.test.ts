import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Logger } from '../core';
import { terminalSecretStore } from './secrets';

const root = mkdtempSync(join(tmpdir(), 'pos-secrets-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** safeStorage as the OS keystore would be: a key this test holds, never written anywhere. */
function keystore(available: boolean, backend = 'gnome_libsecret') {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend as 'gnome_libsecret',
    encryptString(plain: string): Buffer {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(sealed: Buffer): string {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString();
    },
  };
}

function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, error() {}, warn: (message) => warnings.push(message) };
}

test('with a keystore the secret file holds it sealed, and a store without the key cannot read it', () => {
  const dataDir = join(root, 'sealed');
  const logger = recordingLogger();
  const store = terminalSecretStore(dataDir, keystore(true), logger, 'linux');
  const secret = store.getOrCreate('terminal-key');
  const file = readFileSync(join(dataDir, 'secrets', 'terminal-key'), 'utf8');
  assert.match(file, /^sealed:/);
  assert.ok(!file.includes(secret.toString('base64')), 'the value is not in the file');
  assert.deepEqual(store.get('terminal-key'), secret, 'read back through the keystore');
  assert.deepEqual(logger.warnings, []);
  // The file copied to another machine (another keystore key) does not open.
  const elsewhere = terminalSecretStore(dataDir, keystore(true), recordingLogger(), 'linux');
  assert.throws(() => elsewhere.get('terminal-key'));
});

test("without a keystore (or with Linux's basic_text) the owner-only store, and the log says why", () => {
  for (const [name, ks] of [
    ['none', keystore(false)],
    ['basic', keystore(true, 'basic_text')],
  ] as const) {
    const dataDir = join(root, name);
    const logger = recordingLogger();
    const store = terminalSecretStore(dataDir, ks, logger, 'linux');
    store.getOrCreate('terminal-key');
    assert.match(readFileSync(join(dataDir, 'secrets', 'terminal-key'), 'utf8'), /^plain:/);
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0]!, /owner-only files/);
  }
});
