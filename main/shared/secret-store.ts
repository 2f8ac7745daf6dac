/**
 * Secrets live apart from the databases: the terminal's cloud credentials, the audit chain's
 * key, the PIN pepper, the TLS key; the cloud's sealing key and template key. A copy of a
 * database (a backup, a support bundle, a stolen file) then carries no key that forges or reads
 * what the database holds.
 *
 * One file per secret in a directory of its own (default `<data dir>/secrets`), 0700/0600.
 * Where the platform has a keystore (Electron's safeStorage: Keychain, DPAPI, libsecret) the
 * files hold the secret sealed by it, and a copied file is useless on another machine or to
 * another OS user; the `SecretSealer` is handed in by the one layer that may import Electron.
 *
 * Names are short identifiers ([a-z0-9-]); values are bytes (`getOrCreate` makes random ones).
 * Nothing here logs a value.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from './private-files';

/** A platform keystore's encryption (Electron's safeStorage), or none. */
export interface SecretSealer {
  readonly name: string;
  seal(plain: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

export interface SecretStore {
  /** Where the secrets are (for messages; never their values). */
  readonly location: string;
  get(name: string): Buffer | null;
  set(name: string, value: Buffer): void;
  /** The secret, made of `bytes` random bytes the first time it is asked for. */
  getOrCreate(name: string, bytes?: number): Buffer;
  /** Forgets the secret (no error when there is none). */
  delete(name: string): void;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;
const PLAIN = 'plain:';
const SEALED = 'sealed:';

function checkName(name: string): string {
  if (!NAME.test(name)) throw new Error(`secret name "${name}" is not [a-z0-9-]`);
  return name;
}

export class FileSecretStore implements SecretStore {
  readonly location: string;

  constructor(
    dir: string,
    private readonly sealer: SecretSealer | null = null,
  ) {
    ensurePrivateDir(dir);
    this.location = dir;
  }

  get(name: string): Buffer | null {
    const file = join(this.location, checkName(name));
    if (!existsSync(file)) return null;
    const text = readFileSync(file, 'utf8').trim();
    if (text.startsWith(SEALED)) {
      if (this.sealer === null)
        throw new Error(`secret ${name} is sealed by a keystore this process does not have`);
      return this.sealer.open(Buffer.from(text.slice(SEALED.length), 'base64'));
    }
    if (text.startsWith(PLAIN)) return Buffer.from(text.slice(PLAIN.length), 'base64');
    throw new Error(`secret ${name} in ${this.location} is not in a format this terminal reads`);
  }

  set(name: string, value: Buffer): void {
    const file = join(this.location, checkName(name));
    const text =
      this.sealer === null
        ? PLAIN + value.toString('base64')
        : SEALED + this.sealer.seal(value).toString('base64');
    writePrivateFile(file, `${text}\n`);
  }

  delete(name: string): void {
    rmSync(join(this.location, checkName(name)), { force: true });
  }

  getOrCreate(name: string, bytes = 32): Buffer {
    const known = this.get(name);
    if (known !== null) return known;
    const value = randomBytes(bytes);
    this.set(name, value);
    return value;
  }
}

/** The default place: `<data dir>/secrets`, beside (never inside) the databases. */
export function secretsDirFor(dataDir: string): string {
  return join(dataDir, 'secrets');
}

/**
 * Secrets held only in memory, for a process whose data is in memory too (the cloud with
 * `inMemory`, in tests and benchmarks): they end with the process, like the database they key.
 */
export class MemorySecretStore implements SecretStore {
  readonly location = 'memory';
  private readonly values = new Map<string, Buffer>();

  get(name: string): Buffer | null {
    const value = this.values.get(checkName(name));
    return value === undefined ? null : Buffer.from(value);
  }

  set(name: string, value: Buffer): void {
    this.values.set(checkName(name), Buffer.from(value));
  }

  delete(name: string): void {
    this.values.delete(checkName(name));
  }

  getOrCreate(name: string, bytes = 32): Buffer {
    const known = this.get(name);
    if (known !== null) return known;
    const value = randomBytes(bytes);
    this.set(name, value);
    return Buffer.from(value);
  }
}
