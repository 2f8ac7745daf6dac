/**
 * The cloud's secrets (its payment signing key; the sealing and template keys where other work
 * moves them) live in a secret store apart from the database: `<data dir>/secrets`, owner-only
 * (main/shared/secret-store.ts), so a database dump or backup signs and opens nothing. An
 * in-memory cloud (tests, `inMemory`) keeps them in memory and forgets them with the process.
 *
 * Replicas sharing one PostgreSQL must share this directory too (or be given the same files):
 * each would otherwise make its own payment key, and terminals trust the one they paired with.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { FileSecretStore, type SecretStore } from '../../main/shared/secret-store';

class MemorySecretStore implements SecretStore {
  readonly location = '(memory)';
  private readonly values = new Map<string, Buffer>();
  get(name: string): Buffer | null {
    return this.values.get(name) ?? null;
  }
  set(name: string, value: Buffer): void {
    this.values.set(name, Buffer.from(value));
  }
  getOrCreate(name: string, bytes = 32): Buffer {
    const known = this.get(name);
    if (known !== null) return known;
    const value = randomBytes(bytes);
    this.set(name, value);
    return value;
  }
}

/** The one place the cloud's secret store is made. */
export function cloudSecretStore(config: { dataDir: string; inMemory: boolean }): SecretStore {
  if (config.inMemory) return new MemorySecretStore();
  return new FileSecretStore(join(config.dataDir, 'secrets'));
}
