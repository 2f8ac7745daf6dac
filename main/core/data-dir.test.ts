/**
 * Issue 9, part 1, on the terminal: another local user must read nothing of the data directory
 * (the ledger holds money and PIN hashes, its WAL included), a directory or ledger others may
 * read is refused at start with the fix, and the HMAC secret the cloud gave at pairing lives in
 * the secret store, never in the ledger or a file beside it.
 */
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { startTestCloud } from '../../cloud/test-support';
import { InsecurePathError } from '../shared/private-files';
import { secretsDirFor } from '../shared/secret-store';
import {
  CREDENTIALS_SECRET,
  LEGACY_CREDENTIALS_FILE,
  linkCloud,
  loadCredentials,
} from './cloud-link';
import { createPosCore, type PosCore } from './core';
import { call, signInCashier } from './test-support/calls';

const posix = process.platform !== 'win32';
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function newDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-data-dir-'));
  dirs.push(dir);
  return join(dir, 'data');
}

function openCore(dataDir: string): PosCore {
  return createPosCore({
    dataDir,
    shopName: 'Files Shop',
    terminalId: 'T01',
    timezone: 'Asia/Shanghai',
    defaultLocale: 'zh-CN',
  });
}

function walk(root: string): { path: string; mode: number; dir: boolean }[] {
  const out: { path: string; mode: number; dir: boolean }[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const path = pending.pop() as string;
    const stats = lstatSync(path);
    out.push({ path, mode: stats.mode & 0o777, dir: stats.isDirectory() });
    if (stats.isDirectory()) for (const name of readdirSync(path)) pending.push(join(path, name));
  }
  return out;
}

describe('the terminal’s data directory', { skip: !posix }, () => {
  it('is owner-only, every file of it, after a sale from a process whose umask is 022', async () => {
    const dataDir = newDataDir();
    const previous = process.umask(0o022);
    try {
      const core = openCore(dataDir);
      try {
        core.secrets.getOrCreate('audit-key');
        await signInCashier(core);
        await call(core, 'shift.open', { floatFen: 0 });
        const sale = await call(core, 'sale.addItem', { sku: 'DRK-001', qty: 1 });
        await call(core, 'sale.pay', { saleId: sale.id, method: 'card', amountFen: sale.dueFen });
        const names = walk(dataDir).map((e) => relative(dataDir, e.path));
        for (const name of ['ledger.db', 'ledger.db-wal', 'ledger.carts.db', 'secrets']) {
          assert.ok(names.includes(name), `${name} is there`);
        }
        const open = walk(dataDir).filter((e) => (e.mode & 0o077) !== 0);
        assert.deepEqual(
          open.map((e) => `${relative(dataDir, e.path)} ${e.mode.toString(8)}`),
          [],
          'nothing others may read or write',
        );
      } finally {
        core.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  it('refuses to start on a directory or a ledger others may read, naming the fix', () => {
    const dataDir = newDataDir();
    openCore(dataDir).close();

    chmodSync(dataDir, 0o755);
    assert.throws(
      () => openCore(dataDir),
      (error: unknown) => {
        assert.ok(error instanceof InsecurePathError);
        assert.match(error.message, /is a directory that others may use \(mode 755\)/);
        assert.match(error.message, new RegExp(`Fix: chmod -R go-rwx '${dataDir}'`));
        return true;
      },
    );
    chmodSync(dataDir, 0o700);

    chmodSync(join(dataDir, 'ledger.db'), 0o644);
    assert.throws(() => openCore(dataDir), /ledger\.db is a file that others may use \(mode 644\)/);
    chmodSync(join(dataDir, 'ledger.db'), 0o600);
    openCore(dataDir).close();
  });
});

describe('the cloud credentials', () => {
  it('live in the secret store: the HMAC secret is in no other file of the data directory', async () => {
    const cloud = await startTestCloud();
    const dataDir = newDataDir();
    const core = openCore(dataDir);
    try {
      await cloud.admin.createStore({ storeId: 'files', name: 'Files' });
      const { code } = await cloud.admin.pairingCode('files', 'till');
      const link = await linkCloud({
        secrets: core.secrets,
        dataDir,
        baseUrl: cloud.cloud.url,
        pairingCode: async () => code,
      });
      await link.client.pullCatalog(0, 1); // the stored credentials sign
      const secret = link.credentials.secret;
      const needles = [Buffer.from(secret), Buffer.from(secret, 'base64url')];
      const holders = walk(dataDir)
        .filter((e) => !e.dir && !e.path.startsWith(secretsDirFor(dataDir)))
        .filter((e) => needles.some((n) => readFileSync(e.path).includes(n)));
      assert.deepEqual(holders, [], 'no file outside the secret store holds the secret');
      assert.equal(existsSync(join(dataDir, LEGACY_CREDENTIALS_FILE)), false);
      const stored = join(secretsDirFor(dataDir), CREDENTIALS_SECRET);
      if (posix) assert.equal(lstatSync(stored).mode & 0o777, 0o600);
    } finally {
      core.close();
      await cloud.close();
    }
  });

  it('a credentials file an older version left is moved into the store once and deleted', async () => {
    const cloud = await startTestCloud();
    const oldDir = newDataDir();
    const oldCore = openCore(oldDir);
    const dataDir = newDataDir();
    const core = openCore(dataDir);
    try {
      await cloud.admin.createStore({ storeId: 'old', name: 'Old' });
      const { code } = await cloud.admin.pairingCode('old', 'till');
      const paired = await linkCloud({
        secrets: oldCore.secrets,
        baseUrl: cloud.cloud.url,
        pairingCode: async () => code,
      });
      // What the previous version wrote: the credentials in clear beside the ledger.
      const legacy = join(dataDir, LEGACY_CREDENTIALS_FILE);
      const text = JSON.stringify({ baseUrl: cloud.cloud.url, ...paired.credentials });
      writeFileSync(legacy, text, { mode: 0o600 });

      // No pairing code: the terminal must get by with what the file held.
      const link = await linkCloud({ secrets: core.secrets, dataDir, baseUrl: cloud.cloud.url });
      assert.deepEqual(link.credentials, paired.credentials);
      await link.client.pullCatalog(0, 1);
      assert.equal(existsSync(legacy), false, 'the clear copy is gone');
      assert.deepEqual(loadCredentials(core.secrets, cloud.cloud.url), paired.credentials);
      assert.equal(loadCredentials(core.secrets, 'http://127.0.0.1:1'), null, 'another cloud');
    } finally {
      oldCore.close();
      core.close();
      await cloud.close();
    }
  });
});
