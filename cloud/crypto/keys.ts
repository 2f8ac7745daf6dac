/**
 * The cloud's keys, all kept in its secret store (main/shared/secret-store.ts: `<data
 * dir>/secrets`, or CLOUD_SECRETS_DIR), none in the database:
 *
 * - the X25519 sealing key terminals encrypt embeddings to (the database keeps only its public
 *   half, so that every replica can tell it has the right private one);
 * - the AES-256 key the terminals' HMAC secrets are sealed under;
 * - the AES-256 key the face templates are sealed under.
 *
 * Replicas on one PostgreSQL must share these keys: point each one's CLOUD_SECRETS_DIR at the
 * same owner-only folder (or a mounted secret). A replica with other keys is refused at start
 * (the database holds each key's public half or fingerprint), never left to fail row by row.
 *
 * Everything runs in one transaction under an advisory lock: replicas starting together create
 * the keys once, and a database written by an older version is converted once (its private key
 * moved into the store and deleted from the table, its rows sealed).
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { SecretStore } from '../../main/shared/secret-store';
import type { Db, Queryable } from '../db';
import { AtRestKey, templateContext, terminalContext } from './at-rest';
import { SealOpener, generateSealingKeyPair, rawPublicKey } from './seal';

const SEALING = 'identify-x25519';
const TERMINAL_SECRETS = 'terminal-secrets-key';
const TEMPLATES = 'face-templates-key';
const TERMINAL_PURPOSE = 'terminal-secret';
const TEMPLATE_PURPOSE = 'face-template';
/** Arbitrary, fixed: the advisory-lock key that serialises making and converting the keys. */
const KEYS_LOCK = 7_401_003;

export interface CloudKeys {
  opener: SealOpener;
  terminalSecrets: AtRestKey;
  templates: AtRestKey;
  /** What an older version had left in clear and this start sealed or moved (none when new). */
  converted: { privateKey: boolean; terminals: number; templates: number };
}

function mismatch(what: string, secrets: SecretStore): Error {
  return new Error(
    `the ${what} in ${secrets.location} does not belong to this database: every process of one ` +
      'cloud must use the same secrets (set CLOUD_SECRETS_DIR to the folder the others use)',
  );
}

async function sealingKey(
  tx: Queryable,
  secrets: SecretStore,
): Promise<{ opener: SealOpener; moved: boolean }> {
  const { rows } = await tx.query<{ private_key_pem: string | null; public_key: string }>(
    'SELECT private_key_pem, public_key FROM cloud_keys WHERE name = $1',
    [SEALING],
  );
  const row = rows[0];
  let pem = secrets.get(SEALING)?.toString('utf8') ?? null;
  const moved = row?.private_key_pem != null;
  if (row?.private_key_pem != null) {
    // Written by an older version: the private key moves to the store and leaves the table.
    if (pem !== null && pem !== row.private_key_pem) throw mismatch('sealing key', secrets);
    pem = row.private_key_pem;
    secrets.set(SEALING, Buffer.from(pem));
    await tx.query('UPDATE cloud_keys SET private_key_pem = NULL WHERE name = $1', [SEALING]);
  }
  if (pem === null) {
    if (row !== undefined) throw mismatch('sealing key (missing)', secrets);
    const pair = generateSealingKeyPair();
    secrets.set(SEALING, Buffer.from(pair.privateKeyPem));
    await tx.query('INSERT INTO cloud_keys (name, public_key) VALUES ($1, $2)', [
      SEALING,
      pair.publicKey,
    ]);
    return { opener: new SealOpener(pair.privateKeyPem, pair.publicKey), moved };
  }
  const publicKey = rawPublicKey(createPublicKey(createPrivateKey(pem)));
  if (row === undefined) {
    await tx.query('INSERT INTO cloud_keys (name, public_key) VALUES ($1, $2)', [
      SEALING,
      publicKey,
    ]);
  } else if (row.public_key !== publicKey) {
    throw mismatch('sealing key', secrets);
  }
  return { opener: new SealOpener(pem, publicKey), moved };
}

/** An AES key from the store; its fingerprint in cloud_keys tells a replica with another. */
async function atRestKey(
  tx: Queryable,
  secrets: SecretStore,
  name: string,
  purpose: string,
): Promise<AtRestKey> {
  const { rows } = await tx.query<{ public_key: string }>(
    'SELECT public_key FROM cloud_keys WHERE name = $1',
    [name],
  );
  const known = secrets.get(name);
  if (known === null && rows[0] !== undefined) throw mismatch(`${name} (missing)`, secrets);
  const key = new AtRestKey(known ?? secrets.getOrCreate(name, 32), purpose);
  if (rows[0] === undefined) {
    await tx.query('INSERT INTO cloud_keys (name, public_key) VALUES ($1, $2)', [
      name,
      key.fingerprint(),
    ]);
  } else if (rows[0].public_key !== key.fingerprint()) {
    throw mismatch(name, secrets);
  }
  return key;
}

async function sealTerminalSecrets(tx: Queryable, key: AtRestKey): Promise<number> {
  const { rows } = await tx.query<{ id: string; secret: Uint8Array }>(
    'SELECT id, secret FROM terminals WHERE NOT secret_sealed',
  );
  for (const row of rows) {
    await tx.query('UPDATE terminals SET secret = $2, secret_sealed = true WHERE id = $1', [
      row.id,
      key.seal(row.secret, terminalContext(row.id)),
    ]);
  }
  return rows.length;
}

async function sealTemplates(tx: Queryable, key: AtRestKey): Promise<number> {
  const { rows } = await tx.query<{ id: number; payer_id: string; embedding: Uint8Array }>(
    'SELECT id, payer_id, embedding FROM face_templates WHERE NOT embedding_sealed',
  );
  for (const row of rows) {
    await tx.query(
      'UPDATE face_templates SET embedding = $2, embedding_sealed = true WHERE id = $1',
      [row.id, key.seal(row.embedding, templateContext(Number(row.id), row.payer_id))],
    );
  }
  return rows.length;
}

/**
 * The at-rest keys as the store holds them, without the database (tools and tests that read
 * sealed rows); null where the cloud has not made them yet.
 */
export function storedAtRestKeys(secrets: SecretStore): {
  terminalSecrets: AtRestKey | null;
  templates: AtRestKey | null;
} {
  const key = (name: string, purpose: string) => {
    const bytes = secrets.get(name);
    return bytes === null ? null : new AtRestKey(bytes, purpose);
  };
  return {
    terminalSecrets: key(TERMINAL_SECRETS, TERMINAL_PURPOSE),
    templates: key(TEMPLATES, TEMPLATE_PURPOSE),
  };
}

/** Loads (or makes) the keys and seals what an older version left in clear. After migrate(). */
export async function loadCloudKeys(db: Db, secrets: SecretStore): Promise<CloudKeys> {
  const keys = await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [KEYS_LOCK]);
    const { opener, moved } = await sealingKey(tx, secrets);
    const terminalSecrets = await atRestKey(tx, secrets, TERMINAL_SECRETS, TERMINAL_PURPOSE);
    const templates = await atRestKey(tx, secrets, TEMPLATES, TEMPLATE_PURPOSE);
    const converted = {
      privateKey: moved,
      terminals: await sealTerminalSecrets(tx, terminalSecrets),
      templates: await sealTemplates(tx, templates),
    };
    return { opener, terminalSecrets, templates, converted };
  });
  const { privateKey, terminals, templates } = keys.converted;
  // An UPDATE leaves the old row version (the clear value) in the table's file until the table
  // is rewritten: rewrite those that held secrets, once, so the clear copies leave the disk.
  if (privateKey) await db.query('VACUUM FULL cloud_keys');
  if (terminals > 0) await db.query('VACUUM FULL terminals');
  if (templates > 0) await db.query('VACUUM FULL face_templates');
  return keys;
}
