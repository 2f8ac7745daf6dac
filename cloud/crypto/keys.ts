/**
 * The cloud's sealing key pair lives in its database, made on first start. Replicas racing to
 * make it insert with ON CONFLICT DO NOTHING and all read back the one that won.
 */
import type { Queryable } from '../db';
import { SealOpener, generateSealingKeyPair } from './seal';

const NAME = 'identify-x25519';

export async function loadOrCreateSealingKey(db: Queryable): Promise<SealOpener> {
  const read = async () =>
    (
      await db.query<{ private_key_pem: string; public_key: string }>(
        'SELECT private_key_pem, public_key FROM cloud_keys WHERE name = $1',
        [NAME],
      )
    ).rows[0];
  let row = await read();
  if (row === undefined) {
    const pair = generateSealingKeyPair();
    await db.query(
      `INSERT INTO cloud_keys (name, private_key_pem, public_key) VALUES ($1, $2, $3)
       ON CONFLICT (name) DO NOTHING`,
      [NAME, pair.privateKeyPem, pair.publicKey],
    );
    row = await read();
  }
  if (row === undefined) throw new Error('could not create the sealing key');
  return new SealOpener(row.private_key_pem, row.public_key);
}
