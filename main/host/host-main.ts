/**
 * The browser host's program, started by cli.ts: `node build/host/cli.js [--data-dir DIR]
 * [--port N] [--remote-displays] [--cloud-port N]` (from source: `node --import tsx
 * main/host/cli.ts …`). `npm start` uses this where Electron is
 * absent. The cloud (POS_CLOUD_URL, or the reference cloud started beside the terminal) is
 * linked after the host is ready, never before (cloud-sync.ts).
 */
import { argValue, consoleLogger, createPosCore, loadConfig } from '../core';
import { restrictUmask } from '../shared/private-files';
import { loadOrCreatePairingToken } from './access';
import { startCloudSync } from './cloud-sync';
import { startHost } from './server';

const DEFAULT_PORT = 5180;

async function main(): Promise<void> {
  // Before anything is written: the ledger, the local cloud's database, secrets, logs.
  restrictUmask();
  const argv = process.argv.slice(2);
  const config = loadConfig(argv);
  const portText = argValue(argv, 'port') ?? process.env.POS_PORT ?? String(DEFAULT_PORT);
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, got "${portText}"`);
  }
  const remoteDisplays =
    argv.includes('--remote-displays') || process.env.POS_REMOTE_DISPLAYS === '1';

  const core = createPosCore(config, consoleLogger);
  const pairingToken = remoteDisplays ? loadOrCreatePairingToken(config.dataDir) : null;
  const host = await startHost({
    core,
    port,
    access: { remoteDisplays, pairingToken },
    logger: consoleLogger,
  });

  const lines = [
    `Face-pay POS is running (data: ${config.dataDir})`,
    `  cashier:          ${host.url}/`,
    `  customer display: ${host.url}/customer`,
    `  manager:          ${host.url}/manager`,
  ];
  if (pairingToken !== null) {
    lines.push(
      `  remote displays are ON: from another device open http://<this-machine>:${host.port}/customer?token=${pairingToken}`,
    );
  }
  // A machine-readable line first, for scripts and tests that start the host.
  console.log(`POS_HOST_READY ${host.url}`);
  console.log(lines.join('\n'));

  // Not awaited: the till sells offline until (and unless) the cloud is linked.
  const cloud = startCloudSync({
    core,
    logger: consoleLogger,
    argv,
    onLinked: ({ url, local }) =>
      console.log(`  cloud:            ${url}${local ? ' (the reference cloud, run here)' : ''}`),
  });

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    // Each step runs whatever the one before did: the ledger must be closed before exiting.
    const quietly = (step: () => Promise<void>) => () => step().catch(() => undefined);
    void Promise.resolve()
      .then(quietly(() => host.close()))
      .then(quietly(() => cloud.stop()))
      .then(quietly(() => core.shutdown()))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const hint =
    (error as { code?: string }).code === 'EADDRINUSE'
      ? ' (another program uses that port: try --port)'
      : '';
  console.error(`Could not start the terminal: ${message}${hint}`);
  process.exit(1);
});
