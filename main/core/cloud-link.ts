/**
 * The terminal's link to the cloud: the cloud's address and the credentials this terminal was
 * given when it paired. Pairing happens once, with a code from the back office; the credentials
 * (an HMAC secret among them: whoever holds it signs as this terminal) live in the core's
 * secret store (main/shared/secret-store.ts: sealed by safeStorage under Electron, an owner-only
 * file elsewhere), never beside the ledger and never in a log.
 *
 * Terminals paired before the store existed kept them in `<data dir>/cloud-credentials.json`:
 * that file is moved into the store the first time the terminal links, then deleted.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CloudClient, type TerminalCredentials } from '../../cloud/client';
import type { SecretStore } from '../shared/secret-store';

/** The secret's name in the store. */
export const CREDENTIALS_SECRET = 'cloud-credentials';
/** Where earlier versions kept the credentials, in the data directory. */
export const LEGACY_CREDENTIALS_FILE = 'cloud-credentials.json';

const storedCredentials = z.object({
  baseUrl: z.string().url(),
  terminalId: z.string().min(1),
  storeId: z.string().min(1),
  secret: z.string().min(16),
  identifyPublicKey: z.string().min(16),
  /** The cloud's payment key (terminals paired before it existed fetch it: CloudClient). */
  paymentPublicKey: z.string().min(16).optional(),
});

export type StoredCredentials = z.infer<typeof storedCredentials>;

export interface CloudLink {
  baseUrl: string;
  credentials: TerminalCredentials;
  client: CloudClient;
}

export interface LinkOptions {
  /** Where the credentials are kept (the core's `secrets`). */
  secrets: SecretStore;
  /** The data directory: a credentials file an earlier version left there is moved in once. */
  dataDir?: string;
  baseUrl: string;
  /** Needed only the first time (or after the cloud forgot this terminal). */
  pairingCode?: () => Promise<string>;
  terminalName?: string;
}

function parse(text: string): StoredCredentials | null {
  try {
    const parsed = storedCredentials.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Moves `<dataDir>/cloud-credentials.json` into the store and deletes it. A file that does not
 * hold credentials is left where it is (nothing lost) and ignored, as it was before.
 */
export function moveLegacyCredentials(dataDir: string, secrets: SecretStore): void {
  const file = join(dataDir, LEGACY_CREDENTIALS_FILE);
  if (!existsSync(file)) return;
  const stored = parse(readFileSync(file, 'utf8'));
  if (stored === null) return;
  if (secrets.get(CREDENTIALS_SECRET) === null) {
    secrets.set(CREDENTIALS_SECRET, Buffer.from(JSON.stringify(stored)));
  }
  rmSync(file, { force: true });
}

/** Everything the store keeps for this terminal's link (its cloud's address included), or null. */
export function storedLink(secrets: SecretStore): StoredCredentials | null {
  const bytes = secrets.get(CREDENTIALS_SECRET);
  return bytes === null ? null : parse(bytes.toString('utf8'));
}

/** The credentials this terminal holds for `baseUrl`, or null (none, or for another cloud). */
export function loadCredentials(secrets: SecretStore, baseUrl: string): TerminalCredentials | null {
  const stored = storedLink(secrets);
  if (stored === null || stored.baseUrl !== baseUrl) return null;
  const { baseUrl: _url, ...credentials } = stored;
  return credentials;
}

/** Forgets the credentials (the cloud no longer knows this terminal): the next link pairs. */
export function forgetCredentials(secrets: SecretStore): void {
  secrets.delete(CREDENTIALS_SECRET);
}

function saveCredentials(
  secrets: SecretStore,
  baseUrl: string,
  credentials: TerminalCredentials,
): void {
  secrets.set(CREDENTIALS_SECRET, Buffer.from(JSON.stringify({ baseUrl, ...credentials })));
}

/** Loads this terminal's credentials for `baseUrl`, pairing first if it has none. */
export async function linkCloud(options: LinkOptions): Promise<CloudLink> {
  if (options.dataDir !== undefined) moveLegacyCredentials(options.dataDir, options.secrets);
  const known = loadCredentials(options.secrets, options.baseUrl);
  if (known !== null) {
    return {
      baseUrl: options.baseUrl,
      credentials: known,
      client: new CloudClient({ baseUrl: options.baseUrl, credentials: known }),
    };
  }
  if (options.pairingCode === undefined) {
    throw new Error(
      `this terminal is not paired with ${options.baseUrl}: set POS_CLOUD_PAIRING_CODE to a code from the back office`,
    );
  }
  const client = new CloudClient({ baseUrl: options.baseUrl });
  const credentials = await client.pair(await options.pairingCode(), options.terminalName);
  saveCredentials(options.secrets, options.baseUrl, credentials);
  return { baseUrl: options.baseUrl, credentials, client };
}
