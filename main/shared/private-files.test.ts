import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileSecretStore } from './secret-store';
import { InsecurePathError, ensurePrivateDir, writePrivateFile } from './private-files';

const posix = process.platform !== 'win32';

test(
  'a new data directory is 0700 and a written file 0600, whatever the umask',
  { skip: !posix },
  () => {
    const previous = process.umask(0o022);
    try {
      const dir = join(mkdtempSync(join(tmpdir(), 'private-')), 'data', 'inner');
      ensurePrivateDir(dir);
      assert.equal(statSync(dir).mode & 0o777, 0o700);
      writePrivateFile(join(dir, 'secret'), 'x');
      assert.equal(statSync(join(dir, 'secret')).mode & 0o777, 0o600);
    } finally {
      process.umask(previous);
    }
  },
);

test(
  'a directory others may read, or a file inside it, is refused with the fix',
  { skip: !posix },
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'private-'));
    chmodSync(dir, 0o755);
    assert.throws(
      () => ensurePrivateDir(dir),
      (error: unknown) => {
        assert.ok(error instanceof InsecurePathError);
        assert.match(error.message, /mode 755/);
        assert.match(error.fix, /chmod -R go-rwx/);
        return true;
      },
    );
    chmodSync(dir, 0o700);
    writeFileSync(join(dir, 'ledger.db'), 'x', { mode: 0o644 });
    chmodSync(join(dir, 'ledger.db'), 0o644);
    assert.throws(() => ensurePrivateDir(dir), /ledger\.db is a file that others may use/);
    chmodSync(join(dir, 'ledger.db'), 0o600);
    ensurePrivateDir(dir);
    // Chromium's SingletonLock in Electron's userData: a link's own mode (0777) grants nothing.
    symlinkSync('host-1234', join(dir, 'SingletonLock'));
    ensurePrivateDir(dir);
  },
);

test('secrets: made once, read back, sealed by a keystore when one is given', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'secrets-')), 'secrets');
  const plain = new FileSecretStore(dir);
  const key = plain.getOrCreate('audit-key');
  assert.equal(key.length, 32);
  assert.deepEqual(new FileSecretStore(dir).getOrCreate('audit-key'), key);
  assert.throws(() => plain.get('../ledger'), /not \[a-z0-9-\]/);

  // A stand-in keystore that XORs: enough to show the file holds the sealed form only.
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  const sealed = new FileSecretStore(dir, { name: 'test', seal: xor, open: xor });
  sealed.set('tls-key', Buffer.from('private key'));
  assert.deepEqual(sealed.get('tls-key'), Buffer.from('private key'));
  assert.throws(() => new FileSecretStore(dir).get('tls-key'), /sealed by a keystore/);
});
