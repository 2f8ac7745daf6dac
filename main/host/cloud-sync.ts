/**
 * The terminal's cloud, brought up beside the till without holding it up: the till is ready
 * (and sells) before any of this finishes, and keeps selling if it never does.
 *
 * 1. Which cloud: POS_CLOUD_URL (a chain's own cloud), or else the reference cloud started here
 *    on loopback (local-cloud.ts; port 7470 unless `--cloud-port N`, 0 = any free port), whose
 *    first start takes a few seconds.
 * 2. Link (core/cloud-link.ts): the credentials kept in the core's secret store, or pairing with a
 *    code: the local cloud makes one; a remote cloud needs POS_CLOUD_PAIRING_CODE the first
 *    time. An unreachable remote cloud is asked again with backoff.
 * 3. core.attachCloud(link) (face pay uses it), then the sync worker (main/sync), whose status
 *    reaches the screens through core.reportSync. Until then the status says offline.
 *
 * Used by the browser host (cli.ts) and the Electron shell (main/app/main.ts).
 */
import { join } from 'node:path';
import { CloudRequestError } from '../../cloud/client';
import { argValue, type Logger, type PosCore } from '../core';
import { forgetCredentials, linkCloud, type CloudLink } from '../core/cloud-link';
import { backoffDelay, SyncWorker, type SyncSettings } from '../sync';
import { startLocalCloud, type LocalCloud } from './local-cloud';

export const DEFAULT_CLOUD_PORT = 7470;

export interface CloudSyncOptions {
  core: PosCore;
  logger: Logger;
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Told once the cloud is linked (its address, and whether it runs here). */
  onLinked?: (info: { url: string; local: boolean }) => void;
  syncSettings?: Partial<SyncSettings>;
}

export interface CloudSync {
  /** Settles once linked (with the cloud's address), or null if it gave up or was stopped. */
  readonly linked: Promise<{ url: string; local: boolean } | null>;
  readonly sync: SyncWorker | null;
  stop(): Promise<void>;
}

/** `--cloud-port N` (or POS_CLOUD_PORT); 7470 by default. */
export function cloudPortOf(argv: readonly string[], env: NodeJS.ProcessEnv): number {
  const text = argValue(argv, 'cloud-port') ?? env.POS_CLOUD_PORT ?? String(DEFAULT_CLOUD_PORT);
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--cloud-port must be a whole number from 0 to 65535, got "${text}"`);
  }
  return port;
}

const LINK_BACKOFF = { baseMs: 2_000, capMs: 5 * 60_000 };

export function startCloudSync(options: CloudSyncOptions): CloudSync {
  const { core, logger } = options;
  const argv = options.argv ?? process.argv.slice(2);
  const env = options.env ?? process.env;
  const config = core.config;
  let stopped = false;
  let local: LocalCloud | null = null;
  let sync: SyncWorker | null = null;
  let wake: (() => void) | null = null;
  const remoteUrl = env.POS_CLOUD_URL?.trim().replace(/\/+$/, '') || undefined;
  const cloudPort = remoteUrl === undefined ? cloudPortOf(argv, env) : 0;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function startLocal(): Promise<LocalCloud> {
    try {
      return await startLocalCloud(config, cloudPort, logger);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE' || cloudPort === 0) throw error;
      logger.warn(`port ${cloudPort} is taken: the local cloud takes a free port instead`);
      return startLocalCloud(config, 0, logger);
    }
  }

  async function link(url: string, pairingCode?: () => Promise<string>): Promise<CloudLink> {
    for (let failures = 1; ; failures++) {
      try {
        const linked = await linkCloud({
          secrets: core.secrets,
          dataDir: config.dataDir,
          baseUrl: url,
          terminalName: config.terminalId,
          ...(pairingCode === undefined ? {} : { pairingCode }),
        });
        if (local === null) return linked;
        // The local cloud may have lost its data (and this terminal) since the last run.
        try {
          await linked.client.pullCatalog(0, 1);
          return linked;
        } catch (error) {
          if (!(error instanceof CloudRequestError) || error.code !== 'UNAUTHENTICATED') {
            throw error;
          }
          logger.warn('the local cloud no longer knows this terminal: pairing again');
          forgetCredentials(core.secrets);
        }
      } catch (error) {
        const unreachable = error instanceof CloudRequestError && error.code === 'UNREACHABLE';
        if (!unreachable || stopped) throw error;
        const delay = backoffDelay(failures, LINK_BACKOFF);
        if (failures === 1) logger.warn(`the cloud at ${url} does not answer; trying again`);
        await pause(delay);
        if (stopped) throw new Error('stopped', { cause: error });
      }
    }
  }

  async function bringUp(): Promise<{ url: string; local: boolean } | null> {
    let url = remoteUrl;
    let pairingCode: (() => Promise<string>) | undefined;
    if (url === undefined) {
      const started = await startLocal();
      if (stopped) {
        await started.close();
        return null;
      }
      local = started;
      url = started.url;
      pairingCode = () => started.pairingCode();
    } else {
      // A chain's cloud is the catalogue's master from the start, linked yet or not: an edit
      // made here meanwhile would be overwritten by the first catalogue sync.
      core.setCatalogMaster(url);
      const code = env.POS_CLOUD_PAIRING_CODE?.trim();
      if (code) pairingCode = async () => code;
    }
    const linked = await link(url, pairingCode);
    if (stopped) return null;
    core.attachCloud(linked);
    sync = SyncWorker.start({
      // The core's ledger file (createPosCore), opened by the worker on its own connection.
      ledgerFile: join(config.dataDir, 'ledger.db'),
      timezone: config.timezone,
      baseUrl: url,
      credentials: linked.credentials,
      logger,
      ...(options.syncSettings === undefined ? {} : { settings: options.syncSettings }),
      onStatus: (status) =>
        core.reportSync({ state: status.state, lastSuccessAt: status.lastSuccessAt }),
      onAnchor: (verdict) => core.audit.reportAnchor(verdict),
    });
    const info = { url, local: local !== null };
    options.onLinked?.(info);
    return info;
  }

  const linked = bringUp().catch((error: unknown) => {
    if (!stopped) {
      const message = error instanceof Error ? error.message : String(error);
      logger.error(`the terminal is not linked with a cloud (it sells offline): ${message}`);
    }
    return null;
  });

  return {
    linked,
    get sync() {
      return sync;
    },
    async stop() {
      stopped = true;
      wake?.();
      await linked;
      await sync?.stop();
      core.attachCloud(null);
      await (local as LocalCloud | null)?.close();
    },
  };
}
