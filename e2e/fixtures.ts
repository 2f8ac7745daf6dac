/**
 * Each end-to-end test gets its own browser host, started as `npm start` starts it (the built
 * host bundle, under the repo's Node) on a free port, from a new empty data directory.
 * `npm test` builds before it runs this suite. `test.use({ printer: true })` gives the host a
 * receipt printer: a file in the data directory the printer's bytes are appended to
 * (--printer-file), as a device file would receive them. `test.use({ poleDisplay: true })` gives
 * it a register's pole-display line: a real pty pair (socat), the host reading one end
 * (--pole-display, CD5220), the test writing the register's bytes to the other (`pole`).
 * `test.use({ hostSetup })` prepares the new data directory before the host starts (e.g. an
 * acquirer's keys in its secret store) and returns the environment the host gets on top of
 * this one (e.g. the acquirer's configuration).
 */
import { test as base } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PtyPair } from '../main/core/peripherals/pole-display/test-support/socat';

const root = resolve(import.meta.dirname, '..');

export interface Host {
  /** The host's origin, http://127.0.0.1:PORT (no secret: a page opened at it is nobody). */
  url: string;
  /** This launch's keys, as the host prints them (POS_HOST_KEYS). */
  staffKey: string;
  displayKey: string;
  /**
   * A screen's URL as the host prints it: the launch's secret in the fragment (the display's
   * for /customer, the staff's for the others).
   */
  screen(path: '/' | '/manager' | '/customer'): string;
  dataDir: string;
  /** Where the receipt printer's bytes go (with `printer: true`), else null. */
  printerFile: string | null;
  output: () => string;
}

/**
 * Prepares a host's data directory before it starts; returns extra environment for it. (An
 * object, not a bare function: Playwright would take a function option for a fixture.)
 */
export interface HostSetup {
  prepare(dataDir: string): Promise<Record<string, string>>;
}

async function startHost(
  dataDir: string,
  printer: boolean,
  extraArgs: string[] = [],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; host: Host }> {
  const printerFile = printer ? join(dataDir, 'printer.bin') : null;
  const child = spawn(
    process.execPath,
    // The reference cloud starts beside it (after it is ready) on a free port too.
    [
      join(root, 'build/host/cli.js'),
      ...['--data-dir', dataDir, '--port', '0', '--cloud-port', '0'],
      ...(printerFile !== null ? ['--printer-file', printerFile] : []),
      ...extraArgs,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } },
  );
  let output = '';
  const ready = await new Promise<{ url: string; staff: string; display: string }>(
    (resolveReady, reject) => {
      const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 30_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const url = /POS_HOST_READY (\S+)/.exec(output)?.[1];
        const keys = /POS_HOST_KEYS staff=(\S+) display=(\S+)/.exec(output);
        if (url !== undefined && keys?.[1] !== undefined && keys[2] !== undefined) {
          clearTimeout(timer);
          resolveReady({ url, staff: keys[1], display: keys[2] });
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) =>
        reject(new Error(`host exited with ${String(code)}:\n${output}`)),
      );
    },
  );
  const { url, staff, display } = ready;
  const host: Host = {
    url,
    staffKey: staff,
    displayKey: display,
    screen: (path) => `${url}${path}#k=${path === '/customer' ? display : staff}`,
    dataDir,
    printerFile,
    output: () => output,
  };
  return { child, host };
}

const STOP_MS = 15_000;

/** SIGTERM, as a shop's shutdown sends; true if it exited in time (else it is SIGKILLed). */
async function stopHost(child: ChildProcess): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  const exited = new Promise<boolean>((r) => child.once('exit', () => r(true)));
  child.kill('SIGTERM');
  const inTime = await Promise.race([
    exited,
    new Promise<boolean>((r) => setTimeout(() => r(false), STOP_MS)),
  ]);
  if (!inTime) {
    child.kill('SIGKILL');
    await exited;
  }
  return inTime;
}

export const test = base.extend<{
  host: Host;
  printer: boolean;
  poleDisplay: boolean;
  pole: PtyPair | null;
  hostSetup: HostSetup | null;
}>({
  printer: [false, { option: true }],
  poleDisplay: [false, { option: true }],
  hostSetup: [null, { option: true }],
  pole: async ({ poleDisplay }, use) => {
    if (!poleDisplay) return use(null);
    const dir = mkdtempSync(join(tmpdir(), 'pos-e2e-pole-'));
    const line = new PtyPair(dir);
    await line.up();
    try {
      await use(line);
    } finally {
      await line.down();
      rmSync(dir, { recursive: true, force: true });
    }
  },
  host: async ({ printer, pole, hostSetup }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-e2e-'));
    const poleArgs =
      pole === null ? [] : ['--pole-display', pole.terminalEnd, '--pole-protocol', 'cd5220'];
    const env = hostSetup === null ? {} : await hostSetup.prepare(dataDir);
    const { child, host } = await startHost(dataDir, printer, poleArgs, env);
    const failure = await use(host).then(
      () => null,
      (error: unknown) => ({ error }),
    );
    const stopped = await stopHost(child);
    rmSync(dataDir, { recursive: true, force: true });
    if (failure !== null) throw failure.error;
    // A terminal that does not quit when told is a bug a shop would meet at closing time.
    if (!stopped)
      throw new Error(`host did not exit within ${STOP_MS} ms of SIGTERM:\n${host.output()}`);
  },
});

export { expect } from '@playwright/test';
