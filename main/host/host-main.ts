/**
 * The browser host's program, started by cli.ts: `node build/host/cli.js [--data-dir DIR]
 * [--port N] [--remote-displays [--remote-port N]] [--remote-registers [--register-port N]]
 * [--cloud-port N] [--pole-display PATH --pole-protocol cd5220|epson [--pole-baud N]]` (from
 * source: `node --import tsx
 * main/host/cli.ts …`). `npm start` uses this where Electron is
 * absent. The cloud (POS_CLOUD_URL, or the reference cloud started beside the terminal) is
 * linked after the host is ready, never before (cloud-sync.ts).
 */
import { argValue, consoleLogger, createPosCore, loadConfig } from '../core';
import { rmSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { restrictUmask } from '../shared/private-files';
import { startCloudSync } from './cloud-sync';
import { startHost, type RemoteDisplayOptions } from './server';
import type { RemoteRegisterOptions } from './register/listener';
import { loadOrCreateTlsIdentity } from './tls';

const DEFAULT_PORT = 5180;

function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`${flag} must be a whole number from 0 to 65535, got "${text}"`);
  }
  return port;
}

/** The names and addresses a device on the shop's network may use to reach this machine. */
function lanNames(): string[] {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && !a.address.startsWith('fe80:'))
    .map((a) => a?.address ?? '');
  const host = hostname().toLowerCase();
  return [...addresses, host, `${host}.local`];
}

async function main(): Promise<void> {
  // Before anything is written: the ledger, the local cloud's database, secrets, logs.
  restrictUmask();
  const argv = process.argv.slice(2);
  const config = loadConfig(argv);
  const portText = argValue(argv, 'port') ?? process.env.POS_PORT ?? String(DEFAULT_PORT);
  const port = parsePort(portText, '--port');
  const remoteDisplays =
    argv.includes('--remote-displays') || process.env.POS_REMOTE_DISPLAYS === '1';

  const core = createPosCore(config, consoleLogger);
  // Earlier versions kept one shared pairing token for every remote display in the data
  // directory; devices now pair for a token of their own, so the old one must not linger.
  rmSync(join(config.dataDir, 'pairing-token'), { force: true });
  let remote: RemoteDisplayOptions | null = null;
  if (remoteDisplays) {
    const names = lanNames();
    remote = {
      port: parsePort(
        argValue(argv, 'remote-port') ?? String(port === 0 ? 0 : port + 1),
        '--remote-port',
      ),
      names,
      tls: await loadOrCreateTlsIdentity(config.dataDir, core.secrets, names),
    };
  }
  // The register API on the shop's LAN (HTTPS, its own port): only when asked for.
  let remoteRegisters: RemoteRegisterOptions | null = null;
  if (argv.includes('--remote-registers') || process.env.POS_REMOTE_REGISTERS === '1') {
    const names = lanNames();
    remoteRegisters = {
      port: parsePort(
        argValue(argv, 'register-port') ?? String(port === 0 ? 0 : port + 2),
        '--register-port',
      ),
      names,
      tls: await loadOrCreateTlsIdentity(config.dataDir, core.secrets, names),
    };
  }
  const host = await startHost({ core, port, remote, remoteRegisters, logger: consoleLogger });

  // The staff screens' URLs carry this launch's secret in the fragment (#k=…), which browsers
  // never send to a server: open these, not the bare address, or the screen is nobody.
  const lines = [
    `Face-pay POS is running (data: ${config.dataDir})`,
    `  cashier:          ${host.staffUrl('/')}`,
    `  customer display: ${host.displayUrl()}`,
    `  manager:          ${host.staffUrl('/manager')}`,
  ];
  if (host.remote !== null) {
    lines.push(
      `  remote displays are ON: on the device open ${host.remote.url}/customer and enter the`,
      `    pairing code from the manager's screen; the certificate's SHA-256 fingerprint is`,
      `    ${host.remote.fingerprint}`,
    );
  }
  lines.push(`  register API:     ${host.url}/v1/register (pair on the manager's screen)`);
  if (host.remoteRegisters !== null)
    lines.push(
      `  register API on the LAN: ${host.remoteRegisters.url}/v1/register (certificate SHA-256`,
      `    ${host.remoteRegisters.fingerprint})`,
    );
  // Machine-readable lines first, for scripts and tests that start the host (the keys are this
  // launch's only: they die with the process).
  console.log(`POS_HOST_READY ${host.url}`);
  console.log(`POS_HOST_KEYS staff=${host.secrets.staff} display=${host.secrets.display}`);
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
    // A step that takes long is named in the output: a till that is slow to quit at closing
    // time should say what it waited for.
    const quietly = (name: string, step: () => Promise<void>) => async () => {
      const started = Date.now();
      await step().catch(() => undefined);
      const took = Date.now() - started;
      if (took >= 1000) console.log(`shutdown: ${name} took ${took} ms`);
    };
    void Promise.resolve()
      .then(quietly('closing the screens', () => host.close()))
      .then(quietly('stopping the cloud link', () => cloud.stop()))
      .then(quietly('closing the core', () => core.shutdown()))
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
