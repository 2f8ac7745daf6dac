import type { Migration } from './index';

/**
 * Secrets leave the database (issue 9): the sealing private key moves to the cloud's secret
 * store (the row keeps the public key), and the terminals' HMAC secrets and the face templates
 * are kept sealed under keys from that store (cloud/crypto/at-rest.ts). The rows written before
 * are sealed by cloud/crypto/keys.ts at the next start; the flags say which rows still are not.
 */
export const m002: Migration = {
  version: 2,
  name: 'secrets-apart',
  sql: `
ALTER TABLE cloud_keys ALTER COLUMN private_key_pem DROP NOT NULL;
ALTER TABLE terminals ADD COLUMN secret_sealed boolean NOT NULL DEFAULT false;
ALTER TABLE face_templates ADD COLUMN embedding_sealed boolean NOT NULL DEFAULT false;
`,
};
