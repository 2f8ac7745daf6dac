/**
 * A shop's register, as the people around it see it. The register is the real CLI
 * (`npm run register`, main/register-client/cli.ts) in a process of its own against the browser
 * host; the manager, the cashier and the customer are pages.
 *
 * - face: the manager makes a pairing code on the manager's screen and the register pairs with
 *   the digits read off it; the register sends an order with a merchant discount; the customer
 *   display shows the amount and the discount; the register asks for face pay and waits; the
 *   customer pays by face (Chromium's fake camera plays face.y4m); the register hears "paid";
 *   the day's list and the manager's daily report carry the order under that register.
 * - cash and refusals: a cash payment recorded at the register with change on the customer
 *   display; BUSY while the till is mid-sale; the same order number with another amount is 409;
 *   a partial refund needs the manager's PIN; renamed on the manager's screen, the register's
 *   day list says the new name; a revoked register is refused.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type Host } from './fixtures';
import { enrol, localCloud, skipWithoutFaces, withCamera } from './facepay-support';
import {
  FIRST_STEP_MS,
  MANAGER_PIN,
  demoProduct,
  scan,
  startTill,
  unlockManager,
  yuan,
} from './pos';

const root = resolve(import.meta.dirname, '..');

test.use(withCamera('face.y4m'));
test.setTimeout(150_000);

interface Run {
  code: number;
  out: string;
  err: string;
}

/** The register CLI, as `npm run register -- …` runs it, with its own credentials file. */
function registerCli(host: Host) {
  const tokenFile = join(host.dataDir, 'register-credentials.json');
  return (...args: string[]): Promise<Run> =>
    new Promise((done) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', join(root, 'main/register-client/cli.ts'), ...args],
        { cwd: root, env: { ...process.env, POS_REGISTER_TOKEN_FILE: tokenFile } },
        (error, stdout, stderr) =>
          done({
            code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
            out: stdout,
            err: stderr,
          }),
      );
    });
}

/** The manager's screen makes a code; the register pairs with the digits it shows. */
async function pairFromManagerScreen(manager: Page, host: Host, name: string) {
  await unlockManager(manager, host);
  const panel = manager.getByTestId('registers-panel');
  await panel.getByRole('button', { name: '生成收银机配对码' }).click();
  const code = (await panel.getByTestId('register-pairing-code').innerText()).trim();
  expect(code).toMatch(/^\d{8}$/);
  const cli = registerCli(host);
  const paired = await cli('pair', '--code', code, '--name', name, '--url', host.url);
  expect(paired.err).toBe('');
  expect(paired.code).toBe(0);
  expect(paired.out).toContain(`Paired as "${name}"`);
  // The token went into the owner-only file, not onto the screen.
  const token = /token=(\S+)/.exec((await cli('token')).out)?.[1] ?? '';
  expect(token.length).toBeGreaterThan(30);
  expect(paired.out).not.toContain(token);
  // The manager's screen lists it (it follows the list while the code is shown).
  await expect(panel.getByTestId('register-row').filter({ hasText: name })).toBeVisible();
  // One use: the same code again is refused.
  const again = await registerCli(host)('pair', '--code', code, '--name', 'x', '--url', host.url);
  expect(again.code).toBe(1);
  return cli;
}

test('face: pair from the manager’s screen, order with a merchant discount, the customer pays by face, the register hears it', async ({
  page,
  context,
  host,
}) => {
  skipWithoutFaces(test);
  const customer = await context.newPage();
  const manager = await context.newPage();
  const admin = await localCloud(host);
  await enrol(admin, '张三丰', '13800001234', 100_000);
  await customer.goto(host.screen('/customer'));
  await startTill(page, host);
  const cli = await pairFromManagerScreen(manager, host, '前台收银机');

  const order = await cli(
    'order',
    'R-1001',
    '--amount-fen',
    '1800',
    '--line',
    '拿铁,2,1000',
    '--merchant-discount-fen',
    '200',
    '--discount-label',
    '会员价',
  );
  expect(order.err).toBe('');
  expect(order.out).toContain('R-1001: open  ¥18.00  (merchant −¥2.00)');
  await expect(customer.getByTestId('customer-total')).toContainText(yuan(1800));
  await expect(customer.getByTestId('customer-discount')).toContainText(yuan(200));
  await expect(customer.getByTestId('customer-line')).toContainText(['拿铁']);

  // The register asks for face pay and waits for the result (a long-poll).
  const paying = cli('pay', 'R-1001', '--method', 'face', '--wait', '120');
  // The register's request starts face pay on the customer display: nobody taps anything.
  const journey = customer.getByRole('dialog', { name: '刷脸支付' });
  await expect(journey).toBeVisible({ timeout: 30_000 });
  const confirmTitle = journey.getByTestId('facepay-confirm-title');
  await expect(confirmTitle).toContainText('张*丰', { timeout: 30_000 });
  await expect(confirmTitle).toContainText(yuan(1800));
  await journey.getByRole('button', { name: '确认支付' }).click();
  await expect(customer.getByTestId('customer-paid')).toBeVisible();

  const paid = await paying;
  expect(paid.err).toBe('');
  expect(paid.out).toMatch(/R-1001: paid {2}¥18\.00 .*paid ¥18\.00/);

  // Reconciliation: the register's day, and the manager's daily report under that register.
  const day = await cli('list');
  expect(day.out).toContain('前台收银机');
  expect(day.out).toMatch(/paid 1: ¥18\.00.*face ¥18\.00/);
  await manager.reload();
  await unlockManager(manager, host);
  const byRegister = manager.getByTestId('report-registers');
  await expect(byRegister.getByRole('row', { name: /前台收银机/ })).toContainText(yuan(1800), {
    timeout: FIRST_STEP_MS,
  });
});

test('cash and refusals: change on the display, BUSY mid-sale, a conflicting order number, a refund with the manager’s PIN, a revoked register', async ({
  page,
  context,
  host,
}) => {
  const customer = await context.newPage();
  const manager = await context.newPage();
  await customer.goto(host.screen('/customer'));
  await startTill(page, host);
  const cli = await pairFromManagerScreen(manager, host, 'Kiosk 2');

  // The till is mid-sale: the register is told the terminal is busy, clearly.
  await scan(page, demoProduct(3).barcode);
  await expect(customer.getByTestId('customer-line')).toHaveCount(1);
  const busy = await cli('order', 'K-1', '--amount-fen', '990');
  expect(busy.code).toBe(1);
  expect(busy.err).toMatch(/busy/i);
  await page.keyboard.press('F10');
  await page
    .getByRole('dialog', { name: '整单作废' })
    .getByRole('button', { name: '确认作废' })
    .click();
  await expect(customer.getByTestId('customer-welcome')).toBeVisible();

  const water = ['--amount-fen', '990', '--line', '矿泉水,2,495'];
  expect((await cli('order', 'K-1', ...water)).code).toBe(0);
  await expect(customer.getByTestId('customer-total')).toContainText(yuan(990));
  // Same number, same content: the same order; another amount: 409, named.
  expect((await cli('order', 'K-1', ...water)).code).toBe(0);
  const conflict = await cli('order', 'K-1', '--amount-fen', '1990');
  expect(conflict.code).toBe(1);
  expect(conflict.err).toMatch(/Conflict: .*amount/i);

  const cash = await cli('pay', 'K-1', '--method', 'cash', '--tendered-fen', '1000');
  expect(cash.out).toContain('K-1: paid');
  expect(cash.out).toContain('change ¥0.10');
  await expect(customer.getByTestId('customer-change')).toContainText(yuan(10));

  // One bottle back: a refund by lines (lineNo,qty).
  const refund = ['refund', 'K-1', '--refund-no', 'KR-1', '--line', '1,1', '--reason', '退一件'];
  const unapproved = await cli(...refund);
  expect(unapproved.code).toBe(1);
  expect(unapproved.err).toMatch(/manager-pin/);
  const approved = await cli(...refund, '--manager-pin', MANAGER_PIN);
  expect(approved.err).toBe('');
  expect(approved.out).toContain('refund KR-1: ¥4.95 (cash ¥4.95)');

  // Renamed on the manager's screen: the register's day list carries the new name.
  const only = manager.getByTestId('register-row');
  await expect(only).toHaveCount(1);
  await only.getByRole('button', { name: '改名' }).click();
  await only.getByLabel('新名称').fill('自助收银 2');
  await only.getByRole('button', { name: '保存' }).click();
  const row = only.filter({ hasText: '自助收银 2' });
  await expect(row).toBeVisible();
  expect((await cli('list')).out).toContain('自助收银 2');

  // Revoked on the manager's screen: the register is refused and told to pair again.
  await row.getByRole('button', { name: '吊销' }).click();
  await expect(row).toContainText('已于');
  const refused = await cli('query', 'K-1');
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/Pair again/);
});
