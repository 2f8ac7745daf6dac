/**
 * Roles in the browser: the manager's page asks main for nothing of the manager's before a
 * manager's PIN is accepted (seen in the WebSocket frames it sends), a wrong PIN shows no
 * figures, locking drops them; the cashier reaches the manager's screen from F3 (its own tab in
 * the browser host); the customer display's connection says what it is.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { asCashier, demoProduct, FIRST_STEP_MS, MANAGER_PIN, scan, startTill, yuan } from './pos';

/** The contract channels a page sends over its WebSocket, in order. */
function sentChannels(page: Page): string[] {
  const channels: string[] = [];
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/ws')) return;
    socket.on('framesent', ({ payload }) => {
      try {
        const frame = JSON.parse(String(payload)) as { channel?: unknown };
        if (typeof frame.channel === 'string') channels.push(frame.channel);
      } catch {
        // Not a contract frame.
      }
    });
  });
  return channels;
}

/** What only the manager may read. */
const MANAGER_READS =
  /^(report\.(daily|shifts|zList|zGet)|ledger\.verify|staff\.(list|all|demoPins))$/;

test('the manager page asks for no report before the PIN, and a wrong PIN shows no figures', async ({
  page,
  host,
}) => {
  const total = await asCashier(host, async (api) => {
    await api.invoke('shift.open', { floatFen: 0 });
    const sale = await api.invoke('sale.addItem', { barcode: demoProduct(7).barcode, qty: 3 });
    await api.invoke('sale.pay', { saleId: sale.id, method: 'card', amountFen: sale.totalFen });
    return sale.totalFen;
  });
  const figure = `¥${yuan(total)}`;

  const sent = sentChannels(page);
  await page.goto(host.screen('/manager'));
  const gate = page.getByRole('dialog', { name: '店长登录' });
  await expect(gate).toBeVisible();
  // The page has settled (it asked whether this connection has a manager session: it has not).
  await expect.poll(() => sent.includes('manager.current'), { timeout: FIRST_STEP_MS }).toBe(true);

  await gate.getByLabel('店长密码', { exact: true }).fill('1234');
  await gate.getByRole('button', { name: '查看报表' }).click();
  // The first PIN check can wait on the host's start-up work (the face engine, the cloud).
  await expect(gate.getByRole('alert')).toHaveText('密码错误', { timeout: FIRST_STEP_MS });
  await expect(page.getByTestId('report')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(figure);
  expect(sent.filter((c) => MANAGER_READS.test(c))).toEqual([]);

  await gate.getByLabel('店长密码', { exact: true }).fill(MANAGER_PIN);
  await gate.getByRole('button', { name: '查看报表' }).click();
  await expect(page.getByTestId('report-net')).toHaveText(figure, { timeout: FIRST_STEP_MS });
  // The first manager's read came after main accepted the PIN.
  const firstRead = sent.findIndex((c) => MANAGER_READS.test(c));
  const signIns = sent.flatMap((c, i) => (c === 'manager.signIn' ? [i] : []));
  expect(signIns).toHaveLength(2);
  expect(firstRead).toBeGreaterThan(signIns[1] ?? Infinity);

  // Locking ends the session and the figures with it.
  await page.getByRole('button', { name: '锁定' }).click();
  await expect(gate).toBeVisible();
  await expect(page.getByTestId('report')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(figure);
  await expect.poll(() => sent.includes('manager.signOut')).toBe(true);
});

test('the cashier opens the manager screen from F3; it asks for the PIN', async ({
  page,
  context,
  host,
}) => {
  await startTill(page, host);
  await page.keyboard.press('F3');
  const dialog = page.getByRole('dialog', { name: '班次与报表' });
  await expect(dialog.getByTestId('shift-opened-by')).toHaveText('李收银');
  const opened = context.waitForEvent('page');
  await dialog.getByRole('button', { name: '店长后台' }).click();
  const manager = await opened;
  await expect(manager).toHaveURL(`${host.url}/manager`);
  await expect(manager.getByRole('dialog', { name: '店长登录' })).toBeVisible({
    timeout: FIRST_STEP_MS,
  });
  await expect(dialog.getByRole('status')).toHaveText('店长后台已打开，需输入店长密码。');
  // The cashier's own screen did not become the manager's.
  expect(page.url()).toBe(`${host.url}/`);
});

test("the screens' secrets are in no URL that leaves the page", async ({ page, context, host }) => {
  const sockets: string[] = [];
  const customer = await context.newPage();
  for (const p of [page, customer]) p.on('websocket', (socket) => sockets.push(socket.url()));
  await customer.goto(host.screen('/customer'));
  // The page took its secret out of the address bar (it keeps it for this tab only) ...
  await expect(customer).toHaveURL(`${host.url}/customer`);
  // ... and presents it: it is the customer display, following the till's cart.
  await expect(customer.getByTestId('posters')).toBeVisible({ timeout: FIRST_STEP_MS });
  await startTill(page, host);
  await expect(page).toHaveURL(`${host.url}/`);
  await scan(page, demoProduct(7).barcode);
  await expect(customer.getByTestId('customer-line')).toHaveCount(1);
  expect(sockets.length).toBeGreaterThan(0);
  for (const url of sockets) {
    expect(url).not.toContain(host.displayKey);
    expect(url).not.toContain(host.staffKey);
  }
});
