/**
 * core.cold_start_ms: from spawning the terminal's process (the browser host, as `npm start`
 * runs it where Electron is absent) to the contract answering `system.info` over its WebSocket.
 * Measured on an existing data directory (the usual start of a shop's day), with the compile
 * cache that earlier starts left in build/.compile-cache (main/host/cli.ts); the first start,
 * which also creates the ledger, seeds the demo catalogue and fills that cache, is reported
 * separately.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectWs } from '../main/host/ws-client';
import { emit, median, round } from './report';

const root = resolve(import.meta.dirname, '..');
const RUNS = 15;

async function startOnce(dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    // Any free port for the local cloud too, so a running terminal's 7470 is never in the way.
    [join(root, 'build/host/cli.js'), '--data-dir', dataDir, '--port', '0', '--cloud-port', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [url, key] = await new Promise<[string, string]>((resolveUrl, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /POS_HOST_READY http:\/\/(\S+)\nPOS_HOST_KEYS staff=(\S+)/.exec(out);
      if (match?.[1] && match[2]) resolveUrl([match[1], match[2]]);
    });
    child.once('exit', (code) => reject(new Error(`host exited ${String(code)}`)));
  });
  const client = await connectWs(`ws://${url}/ws`, {}, { key });
  await client.invoke('system.info', {});
  const elapsed = performance.now() - started;
  await client.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return elapsed;
}

const dataDir = mkdtempSync(join(tmpdir(), 'pos-bench-start-'));
try {
  const first = await startOnce(dataDir);
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await startOnce(dataDir));
  emit({
    name: 'core.first_start_ms',
    value: round(first, 1),
    unit: 'ms',
    note: 'creates and seeds the ledger',
  });
  emit({
    name: 'core.cold_start_ms',
    value: round(median(runs), 1),
    unit: 'ms',
    runs: RUNS,
    min: round(Math.min(...runs), 1),
    max: round(Math.max(...runs), 1),
    target: 500,
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
