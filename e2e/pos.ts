/**
 * What the end-to-end suites do again and again, as a person at the till does it: sign in with
 * the demo PINs (README), open a shift, scan. Setup that is not under test (a day of sales for
 * the manager's report) goes through the same typed contract over the host's WebSocket.
 */
import type { Page } from '@playwright/test';
import { formatYuan } from '../main/contract';
import { connectWs, type WsContractClient } from '../main/host/ws-client';
import { DEMO_PRODUCTS } from '../main/ledger/demo-catalog';
import { DEMO_STAFF } from '../main/ledger/demo-staff';
import { expect, type Host } from './fixtures';

export const CASHIER_PIN = '1234';
/**
 * The first answers after a host starts can wait on its start-up work (the face engine and the
 * reference cloud load beside the ledger), so the first step of a test gets longer.
 */
export const FIRST_STEP_MS = 20_000;
export const MANAGER_PIN = '888888';

/** "12.50" for 1250 fen: what the screens show after the currency sign. */
export function yuan(fen: number): string {
  return formatYuan(fen).replace('¥', '');
}

export function demoProduct(index: number) {
  const p = DEMO_PRODUCTS[index];
  if (p === undefined) throw new Error(`no demo product ${index}`);
  return p;
}

/** A barcode scanner is a keyboard wedge: fast keystrokes, then Enter. */
export async function scan(page: Page, barcode: string): Promise<void> {
  await page.keyboard.type(`${barcode}\n`, { delay: 5 });
}

/** The demo person whose PIN this is (the sign-in screen picks the person, then the PIN). */
function demoPersonOf(pin: string): string {
  const person = DEMO_STAFF.find((s) => s.pin === pin);
  if (person === undefined) throw new Error(`no demo person has PIN ${pin}`);
  return person.name;
}

export async function signIn(page: Page, pin = CASHIER_PIN): Promise<void> {
  const dialog = page.getByRole('dialog', { name: '登录' });
  await dialog.getByRole('radio', { name: demoPersonOf(pin) }).check();
  await dialog.getByLabel('密码', { exact: true }).fill(pin);
  await dialog.getByRole('button', { name: '登录' }).click();
  await expect(dialog).toBeHidden({ timeout: FIRST_STEP_MS });
}

export async function openShift(page: Page, floatYuan = '200'): Promise<void> {
  const dialog = page.getByRole('dialog', { name: '开班' });
  await dialog.getByLabel('备用金（元）').fill(floatYuan);
  await dialog.getByRole('button', { name: '开班' }).click();
  await expect(dialog).toBeHidden({ timeout: FIRST_STEP_MS });
}

/** The cashier's screen, signed in, a shift open, the barcode field focused. */
export async function startTill(page: Page, host: Host): Promise<void> {
  await page.goto(host.screen('/'));
  await signIn(page);
  await openShift(page);
  await expect(page.getByLabel('条码')).toBeFocused();
}

export async function unlockManager(page: Page, host: Host): Promise<void> {
  await page.goto(host.screen('/manager'));
  const gate = page.getByRole('dialog', { name: '店长登录' });
  await gate.getByLabel('店长密码', { exact: true }).fill(MANAGER_PIN);
  await gate.getByRole('button', { name: '查看报表' }).click();
  await expect(gate).toBeHidden({ timeout: FIRST_STEP_MS });
}

/** The contract as a staff screen speaks it (presenting the launch's staff secret). */
export async function contract(host: Host): Promise<WsContractClient> {
  const origin = new URL(host.url);
  return connectWs(`ws://${origin.host}/ws`, {}, { key: host.staffKey });
}

/**
 * Trade set up through the contract as a cashier does it: signed in at the till (selling needs
 * it), with a manager session on this connection only when `manager` asks for one, and signed
 * out again afterwards so the screens under test find the till as a person would.
 */
export async function asCashier<T>(
  host: Host,
  run: (api: WsContractClient) => Promise<T>,
): Promise<T> {
  const api = await contract(host);
  try {
    const cashier = (await api.invoke('auth.staff', {})).find(
      (s) => s.name === demoPersonOf(CASHIER_PIN),
    );
    await api.invoke('auth.signIn', { staffId: cashier?.id ?? '', pin: CASHIER_PIN });
    return await run(api);
  } finally {
    await api.invoke('auth.signOut', {}).catch(() => undefined);
    await api.close();
  }
}
