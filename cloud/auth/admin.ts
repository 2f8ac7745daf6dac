/**
 * The back office's admin token: from the configuration (CLOUD_ADMIN_TOKEN) or generated into
 * the data directory on first start. Compared in constant time, as digests of equal length.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudError } from '../errors';

export const ADMIN_TOKEN_FILE = 'admin-token';

/** Returns the token and whether it was generated just now (then the caller prints it once). */
export function loadOrCreateAdminToken(dataDir: string): { token: string; generated: boolean } {
  const path = join(dataDir, ADMIN_TOKEN_FILE);
  if (existsSync(path)) return { token: readFileSync(path, 'utf8').trim(), generated: false };
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  writeFileSync(path, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, generated: true };
}

const digest = (text: string) => createHash('sha256').update(text).digest();

export function checkAdmin(authorization: string | undefined, adminToken: string): void {
  const match = /^Bearer (\S+)$/.exec(authorization ?? '');
  if (match === null) throw new CloudError('UNAUTHENTICATED', 'an admin token is required');
  if (!timingSafeEqual(digest(match[1] as string), digest(adminToken))) {
    throw new CloudError('FORBIDDEN', 'the admin token is wrong');
  }
}
