/**
 * Issue 9, part 1, as the attacker did it: a local user reading the cloud's files, or a copy of
 * its database, must find no key, no terminal secret and no face template in clear; a template
 * moved onto another payer's row must not open; a data directory others may read is refused.
 */
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { InsecurePathError } from '../main/shared/private-files';
import { MemorySecretStore } from '../main/shared/secret-store';
import { AdminClient } from './client/admin';
import { CloudClient } from './client/index';
import { encodeEmbedding } from './crypto/seal';
import { openDb } from './db';
import { migrate } from './db/migrate';
import { MIGRATIONS } from './db/migrations';
import { l2Normalise } from './identify/template-index';
import { startCloud } from './server';
import {
  liveEvidence,
  databaseLabel,
  enrolPayer,
  randomUnit,
  rng,
  startTestCloud,
} from './test-support';
import { maskName } from './payers/mask';

const posix = process.platform !== 'win32';
const databaseUrl = process.env.DATABASE_URL || undefined;

/** Every file and directory under `root`, with its mode. */
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

/** The files under `root` (outside `except`) whose bytes contain `needle`. */
function filesContaining(root: string, needle: Buffer, except: string): string[] {
  return walk(root)
    .filter((f) => !f.dir && !f.path.startsWith(except))
    .filter((f) => readFileSync(f.path).includes(needle))
    .map((f) => relative(root, f.path));
}

/** What the cloud stores for an enrolled vector: its float32 bytes, L2-normalised. */
const templateBytes = (face: Float32Array): Buffer => encodeEmbedding(l2Normalise(face));

describe('the cloud on PGlite, on disk', { skip: !posix || databaseUrl !== undefined }, () => {
  it('writes every file owner-only, even from a process whose umask is 022', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cloud-files-'));
    const dataDir = join(root, 'cloud');
    const previous = process.umask(0o022);
    try {
      const cloud = await startCloud({ dataDir, port: 0, logger: false, indexRefreshMs: 0 });
      const admin = new AdminClient(cloud.url, cloud.adminToken);
      const face = randomUnit(rng(91));
      let secret: Buffer;
      let privateKeyPem: string;
      try {
        await admin.createStore({ storeId: 's', name: 'S' });
        const terminal = new CloudClient({ baseUrl: cloud.url });
        await terminal.pair((await admin.pairingCode('s')).code);
        secret = Buffer.from(terminal.credentials?.secret ?? '', 'base64url');
        await enrolPayer(admin, { name: '林芳', phone: '13900001111', templates: [face] });
        privateKeyPem = cloud.secrets.get('identify-x25519')?.toString('utf8') ?? '';
        const answer = await terminal.identify({
          embedding: face,
          liveness: liveEvidence(),
          amountFen: 100,
        });
        assert.equal(answer.result, 'match', 'the sealed template still identifies its payer');
      } finally {
        await cloud.close();
      }

      const entries = walk(dataDir);
      assert.ok(entries.length > 900, `PGlite's files are all there (${entries.length})`);
      const open = entries.filter((e) => (e.mode & 0o077) !== 0);
      assert.deepEqual(
        open.map((e) => `${relative(dataDir, e.path)} ${e.mode.toString(8)}`),
        [],
        'no file or directory others may read',
      );

      // A local user (or a backup) with every byte of the database finds none of the secrets.
      const secretsDir = join(dataDir, 'secrets');
      const der = createPrivateKey(privateKeyPem).export({ format: 'der', type: 'pkcs8' });
      const pemBody = privateKeyPem.split('\n')[1] as string;
      assert.ok(secret.length === 32 && pemBody.length > 20);
      assert.deepEqual(filesContaining(dataDir, secret, secretsDir), [], 'terminal secret');
      assert.deepEqual(filesContaining(dataDir, der, secretsDir), [], 'private key (DER)');
      assert.deepEqual(
        filesContaining(dataDir, Buffer.from(pemBody), secretsDir),
        [],
        'private key (PEM)',
      );
      const template = templateBytes(face).subarray(0, 64);
      assert.deepEqual(filesContaining(dataDir, template, secretsDir), [], 'face template');

      // A process with other keys (a replica pointed at another folder) is refused at start.
      await assert.rejects(
        startCloud({ dataDir, port: 0, logger: false, secrets: new MemorySecretStore() }),
        /does not belong to this database.*set CLOUD_SECRETS_DIR/,
      );
    } finally {
      process.umask(previous);
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a data directory others may read, saying how to fix it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloud-open-'));
    try {
      chmodSync(dataDir, 0o755);
      await assert.rejects(startCloud({ dataDir, port: 0, logger: false }), (error: unknown) => {
        assert.ok(error instanceof InsecurePathError);
        assert.match(error.message, /others may use \(mode 755\)/);
        assert.match(error.message, new RegExp(`chmod -R go-rwx '${dataDir}'`));
        return true;
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('moves an older database’s private key, terminal secrets and templates out of the clear', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloud-legacy-'));
    const face = randomUnit(rng(92));
    const secret = Buffer.alloc(32, 7);
    try {
      // The database as version 1 of the schema wrote it: everything in clear.
      const old = await openDb({ dataDir: join(dataDir, 'pglite') });
      const pem = (await import('./crypto/seal')).generateSealingKeyPair();
      try {
        await migrate(old, MIGRATIONS.slice(0, 1));
        await old.query(
          'INSERT INTO cloud_keys (name, private_key_pem, public_key) VALUES ($1, $2, $3)',
          ['identify-x25519', pem.privateKeyPem, pem.publicKey],
        );
        await old.query("INSERT INTO stores (id, name, timezone) VALUES ('s', 'S', 'UTC')");
        await old.query(
          "INSERT INTO terminals (id, store_id, name, secret) VALUES ('trm_old', 's', 'till', $1)",
          [secret],
        );
        await old.query(
          `INSERT INTO payers (id, name, phone, phone_tail, balance_fen, per_tx_limit_fen,
             daily_limit_fen) VALUES ('p1', 'Old', '13800000009', '0009', 10000, 10000, 10000)`,
        );
        await old.query(
          `INSERT INTO consents (payer_id, purpose, text_version, recorded_by, source, accepted_at)
           VALUES ('p1', 'face_pay', 'v1', 'test', 'vectors', now())`,
        );
        await old.query(
          `INSERT INTO face_templates (payer_id, embedding, consent_id, change_seq)
           VALUES ('p1', $1, 1, nextval('template_change_seq'))`,
          [templateBytes(face)],
        );
      } finally {
        await old.close();
      }

      const cloud = await startCloud({ dataDir, port: 0, logger: false, indexRefreshMs: 0 });
      try {
        assert.equal(cloud.identifyPublicKey, pem.publicKey, 'the same key, so terminals keep it');
        assert.equal(cloud.secrets.get('identify-x25519')?.toString(), pem.privateKeyPem);
        const rows = await cloud.db.query<{ private_key_pem: string | null }>(
          "SELECT private_key_pem FROM cloud_keys WHERE name = 'identify-x25519'",
        );
        assert.equal(rows.rows[0]?.private_key_pem, null, 'the private key left the table');
        const dump = await tableDump(cloud.db);
        assert.ok(!dump.includes(secret.toString('hex')), 'no terminal secret in clear');
        assert.ok(!dump.includes(templateBytes(face).subarray(0, 64).toString('hex')));
        assert.ok(!dump.includes(pem.privateKeyPem.split('\n')[1] as string));

        // The old terminal still signs, and the old template still identifies its payer.
        const terminal = new CloudClient({
          baseUrl: cloud.url,
          credentials: {
            terminalId: 'trm_old',
            storeId: 's',
            secret: secret.toString('base64url'),
            identifyPublicKey: pem.publicKey,
          },
        });
        const answer = await terminal.identify({
          embedding: face,
          liveness: liveEvidence(),
          amountFen: 100,
        });
        assert.equal(answer.result, 'match');
      } finally {
        await cloud.close();
      }
      // The table files were rewritten: the clear rows are no longer in them (the old WAL may
      // still hold them until PostgreSQL reuses its segments: see cloud/README.md).
      const tables = join(dataDir, 'pglite', 'base');
      assert.deepEqual(filesContaining(tables, secret, join(dataDir, 'secrets')), []);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

/** Every row of every table of the cloud's schema, as text (bytea as hex). */
async function tableDump(db: {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}): Promise<string> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  let out = '';
  for (const { name } of tables) {
    const { rows } = await db.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
    out += rows.map((r) => r.row).join('\n');
  }
  return out;
}

describe(`the cloud's database rows (${databaseLabel()})`, () => {
  it('hold no terminal secret, private key or template in clear', async () => {
    const t = await startTestCloud();
    try {
      const terminal = await t.pairedTerminal();
      const face = randomUnit(rng(93));
      await enrolPayer(t.admin, { name: 'Rows', phone: '13700001234', templates: [face] });
      const dump = await tableDump(t.cloud.db);
      assert.ok(dump.includes('13700001234'), 'the dump does read the rows');
      const secretHex = Buffer.from(terminal.credentials?.secret ?? '', 'base64url');
      assert.ok(!dump.includes(secretHex.toString('hex')), 'terminal secret');
      const pem = t.cloud.secrets.get('identify-x25519')?.toString() ?? '';
      assert.ok(!dump.includes(pem.split('\n')[1] as string), 'private key');
      assert.ok(!dump.includes(templateBytes(face).subarray(0, 64).toString('hex')), 'template');
    } finally {
      await t.close();
    }
  });

  it('a template copied onto another payer’s row does not open, and pays for nobody', async () => {
    const t = await startTestCloud({ indexRefreshMs: 50 });
    try {
      const terminal = await t.pairedTerminal();
      const mallory = randomUnit(rng(94));
      const victim = randomUnit(rng(95));
      await enrolPayer(t.admin, { name: 'Mallory', phone: '13700000001', templates: [mallory] });
      const victimId = await enrolPayer(t.admin, {
        name: 'Victim',
        phone: '13700000002',
        templates: [victim],
      });
      const identify = (embedding: Float32Array) =>
        terminal.identify({ embedding, liveness: liveEvidence(), amountFen: 100 });
      assert.equal((await identify(victim)).result, 'match');

      // With write access to the database, Mallory puts her sealed template on Victim's row.
      const moved = await t.cloud.db.query<{ id: number }>(
        `UPDATE face_templates SET embedding = m.embedding,
           change_seq = nextval('template_change_seq')
         FROM face_templates m
         WHERE face_templates.payer_id = $1 AND m.payer_id <> $1
         RETURNING face_templates.id`,
        [victimId],
      );
      const movedId = moved.rows[0]?.id;
      assert.ok(movedId !== undefined);
      // The replica follows the table on its timer: wait for it to meet the moved row.
      for (let i = 0; i < 200 && !t.logs.some((l) => l.includes('does not open')); i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const refused = t.logs.filter((l) => l.includes('a face template does not open'));
      assert.equal(refused.length, 1);
      assert.equal(JSON.parse(refused[0] as string).templateId, Number(movedId));

      // Mallory's face does not reach Victim's wallet, and Victim's row no longer matches.
      const asMallory = await identify(mallory);
      assert.equal(asMallory.result, 'match');
      if (asMallory.result === 'match')
        assert.equal(asMallory.payer.maskedName, maskName('Mallory'));
      assert.equal((await identify(victim)).result, 'no_match');
      assert.equal(t.cloud.index.size, 1);
    } finally {
      await t.close();
    }
  });
});

describe(`terminal secrets sealed per row (${databaseLabel()})`, () => {
  it('a sealed secret copied onto another terminal’s row signs for neither', async () => {
    const t = await startTestCloud();
    try {
      const first = await t.pairedTerminal();
      const second = await t.pairedTerminal();
      const one = first.credentials;
      const two = second.credentials;
      assert.ok(one && two);
      // With write access to the database: the first terminal's sealed secret on the second's row.
      await t.cloud.db.query(
        'UPDATE terminals SET secret = (SELECT secret FROM terminals WHERE id = $1) WHERE id = $2',
        [one.terminalId, two.terminalId],
      );
      const refusal = (error: unknown) => (error as { code?: string }).code === 'SIGNATURE_INVALID';
      await assert.rejects(second.pullCatalog(0, 1), refusal, 'its own secret no longer verifies');
      const borrowed = new CloudClient({
        baseUrl: t.cloud.url,
        credentials: { ...two, secret: one.secret },
      });
      await assert.rejects(borrowed.pullCatalog(0, 1), refusal, 'nor does the one copied over');
      await first.pullCatalog(0, 1); // the first terminal, untouched, still signs
    } finally {
      await t.close();
    }
  });
});

describe('CLOUD_SECRETS_DIR', () => {
  it('is where a cloud keeps its keys, owner-only, so that its processes can share them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'cloud-secrets-dir-'));
    const dir = join(root, 'keys');
    try {
      const env = { CLOUD_SECRETS_DIR: dir };
      const cloud = await startCloud({ inMemory: true, port: 0, logger: false }, env);
      try {
        assert.equal(cloud.secrets.location, dir);
        const names = readdirSync(dir).sort();
        assert.deepEqual(names, [
          'face-templates-key',
          'identify-x25519',
          'payment-ed25519',
          'terminal-secrets-key',
        ]);
        if (posix) {
          assert.equal(lstatSync(dir).mode & 0o777, 0o700);
          for (const name of names) assert.equal(lstatSync(join(dir, name)).mode & 0o777, 0o600);
        }
      } finally {
        await cloud.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
