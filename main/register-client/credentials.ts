/**
 * Where the register CLI keeps what pairing gave it (the bearer token, the callback secret, the
 * terminal's address): one owner-only JSON file (0600 in a 0700 folder, written atomically by
 * main/shared/private-files.ts), named by `--token-file`, else POS_REGISTER_TOKEN_FILE, else
 * `<user config dir>/facepay-pos-register/credentials.json`. A file that others may read is
 * refused rather than used: the token moves money.
 */
import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { defaultDataDir } from '../core/config';
import { InsecurePathError, writePrivateFile } from '../shared/private-files';

export interface RegisterCredentials {
  /** The terminal's origin, e.g. http://127.0.0.1:5180. */
  baseUrl: string;
  /** https only: the pinned certificate fingerprint. */
  fingerprint?: string;
  registerId: string;
  name: string;
  token: string;
  callbackSecret: string;
  pairedAt: string;
}

export const TOKEN_FILE_ENV = 'POS_REGISTER_TOKEN_FILE';

/** The per-OS config folder (beside the terminal's own, not inside it: a register is a client). */
export function defaultCredentialsFile(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  return join(dirname(defaultDataDir(platform, env)), 'facepay-pos-register', 'credentials.json');
}

export function credentialsFile(flag: string | undefined, env = process.env): string {
  return flag ?? env[TOKEN_FILE_ENV] ?? defaultCredentialsFile(process.platform, env);
}

export function saveCredentials(path: string, credentials: RegisterCredentials): void {
  writePrivateFile(path, `${JSON.stringify(credentials, null, 2)}\n`);
}

export function loadCredentials(path: string): RegisterCredentials {
  if (!existsSync(path))
    throw new Error(`not paired: no credentials at ${path} (run: npm run register -- pair)`);
  const stats = lstatSync(path);
  if (process.platform !== 'win32' && (stats.mode & 0o077) !== 0)
    throw new InsecurePathError(
      path,
      `is readable by others (mode ${(stats.mode & 0o777).toString(8)})`,
      `chmod 600 '${path}'`,
    );
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<RegisterCredentials>;
  for (const key of ['baseUrl', 'registerId', 'token', 'callbackSecret'] as const)
    if (typeof parsed[key] !== 'string' || parsed[key] === '')
      throw new Error(`${path} is not a register credentials file (no ${key})`);
  return parsed as RegisterCredentials;
}
