/**
 * register.order_to_display_ms: a register's order, from the moment its POST leaves the register
 * to the customer display's paint of its amount. A real browser shows the customer display
 * against the browser host (as npm start serves it); the register is the TypeScript client
 * over loopback. In the page, a MutationObserver sees the order's amount enter the DOM and the
 * next animation frame (the one that paints it) takes the timestamp; both sides read the same
 * wall clock (performance.timeOrigin + performance.now(), sub-millisecond), so the difference
 * is send-to-paint. Each run then cancels the order and waits for the display to clear.
 * JSON line {name, value: median, unit: 'ms', p95}; target p95 ≤ 50 ms.
 */
import { chromium, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatYuan } from '../main/contract';
import { demoSignIn } from '../main/host/test-support/staff';
import { connectWs } from '../main/host/ws-client';
import { pair, RegisterClient } from '../main/register-client/client';
import { emit, median, quantile, round } from './report';

const root = resolve(import.meta.dirname, '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = 40;
const WARMUP = 3;

async function startHost(
  dataDir: string,
): Promise<{ child: ChildProcess; url: string; staff: string; display: string }> {
  const child = spawn(
    process.execPath,
    [join(root, 'build/host/cli.js'), '--data-dir', dataDir, '--port', '0', '--cloud-port', '0'],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolveReady, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /POS_HOST_READY (\S+)/.exec(out)?.[1];
      const keys = /POS_HOST_KEYS staff=(\S+) display=(\S+)/.exec(out);
      if (url !== undefined && keys?.[1] !== undefined && keys[2] !== undefined)
        resolveReady({ child, url, staff: keys[1], display: keys[2] });
    });
    child.once('exit', (code) => reject(new Error(`host exited ${String(code)}`)));
  });
}

/** Wall-clock epoch ms with sub-ms precision, the same clock the page reads. */
const wallNow = () => performance.timeOrigin + performance.now();

/** Arms the page: the next time `text` appears as the customer total, record when it painted. */
async function armProbe(page: Page, text: string): Promise<void> {
  await page.evaluate((expected) => {
    const w = window as unknown as { __paintedAt: number | null; __observer?: MutationObserver };
    w.__paintedAt = null;
    w.__observer?.disconnect();
    // (No named function in here: tsx would wrap it in a helper the page does not have.)
    const observer = new MutationObserver(() => {
      const total = document.querySelector('[data-testid="customer-total"]');
      if (total?.textContent?.includes(expected) !== true) return;
      observer.disconnect();
      requestAnimationFrame(() => {
        w.__paintedAt = performance.timeOrigin + performance.now();
      });
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    w.__observer = observer;
  }, text);
}

async function paintedAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __paintedAt: number | null }).__paintedAt,
  );
  return (await handle.jsonValue()) as number;
}

const dataDir = mkdtempSync(join(tmpdir(), 'pos-bench-register-'));
const host = await startHost(dataDir);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  // The till as a shop runs it: a cashier signed in, a shift open; a manager makes the code.
  const api = await connectWs(`ws://${new URL(host.url).host}/ws`, {}, { key: host.staff });
  await api.invoke('auth.signIn', await demoSignIn(api, 'cashier'));
  if ((await api.invoke('shift.current', {})) === null)
    await api.invoke('shift.open', { floatFen: 0 });
  await api.invoke('manager.signIn', { pin: (await demoSignIn(api, 'manager')).pin });
  const { code } = await api.invoke('registers.pairingCode', {});
  const paired = await pair(host.url, code, 'Bench register');
  const register = new RegisterClient({ baseUrl: host.url, token: paired.token });

  const page = await (await browser.newContext()).newPage();
  await page.goto(`${host.url}/customer#k=${host.display}`);
  await page.getByTestId('customer-welcome').waitFor();

  const samples: number[] = [];
  /** The POST's own round trip (the order written, the answer back), to tell the parts apart. */
  const posts: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const amountFen = 1000 + run * 7; // a new amount each run: the probe waits for this one
    await armProbe(page, formatYuan(amountFen).replace('¥', ''));
    const sentAt = wallNow();
    await register.createOrder({
      orderNo: `B-${run}`,
      amountFen,
      discounts: [{ kind: 'merchant', amountFen: 100 }],
    });
    const answeredAt = wallNow();
    const painted = await paintedAt(page);
    if (run >= WARMUP) {
      samples.push(painted - sentAt);
      posts.push(answeredAt - sentAt);
    }
    await register.cancel(`B-${run}`, { reason: 'bench' });
    await page.getByTestId('customer-welcome').waitFor();
  }
  if (samples.length !== RUNS) throw new Error(`${samples.length} samples, expected ${RUNS}`);
  emit({
    name: 'register.order_to_display_ms',
    value: round(median(samples), 2),
    unit: 'ms',
    runs: samples.length,
    p95: round(quantile(samples, 0.95), 2),
    max: round(Math.max(...samples), 2),
    target_p95: 50,
    post_ms: round(median(posts), 2),
  });
  await api.close();
} finally {
  await browser.close();
  host.child.kill('SIGTERM');
  await new Promise((r) => host.child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
}
