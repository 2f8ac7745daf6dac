/**
 * Where no cloud is configured (POS_CLOUD_URL unset), `npm start` runs the reference cloud on
 * loopback beside the terminal, with its data under <dataDir>/cloud, and the terminal pairs with
 * it itself: a fresh clone has the whole face-pay path on one machine. A chain of shops runs the
 * cloud on its own (`npm run cloud`, on PostgreSQL) and gives each terminal a pairing code.
 */
import { join } from 'node:path';
import { startCloud, type RunningCloud } from '../../cloud/server';
import type { PosConfig } from '../core';

export const LOCAL_STORE_ID = 'local-shop';

export interface LocalCloud {
  url: string;
  cloud: RunningCloud;
  pairingCode(): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalCloud(config: PosConfig, port = 0): Promise<LocalCloud> {
  // The terminal's own cloud keeps its data in the terminal's data directory (PGlite), whatever
  // DATABASE_URL or CLOUD_* the shell holds: those configure a cloud run on its own, and a
  // shared database would mix this terminal's payers and sales with another's.
  const cloud = await startCloud(
    {
      dataDir: join(config.dataDir, 'cloud'),
      host: '127.0.0.1',
      port,
      timezone: config.timezone,
      logger: false,
    },
    {},
  );
  await cloud.ensureStore(LOCAL_STORE_ID, config.shopName, config.timezone);
  return {
    url: cloud.url,
    cloud,
    async pairingCode() {
      return (await cloud.createPairingCode(LOCAL_STORE_ID, config.terminalId)).code;
    },
    close: () => cloud.close(),
  };
}
