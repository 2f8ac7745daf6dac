/**
 * The terminal's link to the cloud: the cloud's address and the credentials this terminal was
 * given when it paired. Pairing happens once, with a code from the back office; the credentials
 * (an HMAC secret among them) are kept in the data directory, readable by the owner only, and
 * never logged.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CloudClient, type TerminalCredentials } from '../../cloud/client';

export const CREDENTIALS_FILE = 'cloud-credentials.json';

const storedCredentials = z.object({
  baseUrl: z.string().url(),
  terminalId: z.string().min(1),
  storeId: z.string().min(1),
  secret: z.string().min(16),
  identifyPublicKey: z.string().min(16),
  /** The cloud's payment key (terminals paired before it existed fetch it: CloudClient). */
  paymentPublicKey: z.string().min(16).optional(),
});

export interface CloudLink {
  baseUrl: string;
  credentials: TerminalCredentials;
  client: CloudClient;
}

export interface LinkOptions {
  dataDir: string;
  baseUrl: string;
  /** Needed only the first time (or after the cloud forgot this terminal). */
  pairingCode?: () => Promise<string>;
  terminalName?: string;
}

export function loadCredentials(dataDir: string, baseUrl: string): TerminalCredentials | null {
  const file = join(dataDir, CREDENTIALS_FILE);
  if (!existsSync(file)) return null;
  const parsed = storedCredentials.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success || parsed.data.baseUrl !== baseUrl) return null;
  const { baseUrl: _url, ...credentials } = parsed.data;
  return credentials;
}

function saveCredentials(dataDir: string, baseUrl: string, credentials: TerminalCredentials): void {
  writeFileSync(join(dataDir, CREDENTIALS_FILE), JSON.stringify({ baseUrl, ...credentials }), {
    mode: 0o600,
  });
}

/** Loads this terminal's credentials for `baseUrl`, pairing first if it has none. */
export async function linkCloud(options: LinkOptions): Promise<CloudLink> {
  const known = loadCredentials(options.dataDir, options.baseUrl);
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
  saveCredentials(options.dataDir, options.baseUrl, credentials);
  return { baseUrl: options.baseUrl, credentials, client };
}
