/**
 * The till's rough edges a new cashier hit (issue 12, part 9), each performed as the cashier did
 * it: the keys pressed, what the screen then showed.
 */
import { expect, test } from './fixtures';
import { demoProduct, MANAGER_PIN, scan, startTill, yuan } from './pos';

// The QR tender here is the recorded one (part payments typed at the till): no acquirer, not
// even the reference cloud's wallet, which would make it a dynamic QR (e2e/qr.spec.ts).
test.use({ hostSetup: { prepare: async () => ({ POS_ACQUIRER_REFERENCE: 'off' }) } });

test('a prefilled amount or receipt number is typed over, not appended to', async ({
  page,
  host,
}) => {
  const item = demoProduct(3);
  await startTill(page, host);
  await scan(page, item.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);

  // Card: the amount due is prefilled; typing "1" means ¥1, a part payment.
  await page.getByRole('button', { name: '银行卡', exact: true }).click();
  await expect(page.getByRole('dialog', { name: '银行卡收款' })).toBeVisible();
  const card = page.getByTestId('payment-dialog');
  const amount = card.getByLabel('收款金额（元）');
  await expect(amount).toBeFocused();
  await expect(amount).toHaveValue(yuan(item.priceFen));
  await page.keyboard.type('1');
  await expect(amount).toHaveValue('1');
  // Switching to QR keeps the amount, selected: typing replaces it again.
  await page.keyboard.press('Alt+3');
  await expect(page.getByRole('dialog', { name: '扫码收款' })).toBeVisible();
  await page.keyboard.type('1');
  await expect(amount).toHaveValue('1');
  // The part payment goes through; what is left is prefilled and selected in its turn.
  await page.keyboard.press('Enter');
  await expect(card.getByTestId('payment-due')).toHaveText(`¥${yuan(item.priceFen - 100)}`);
  await expect(amount).toHaveValue(yuan(item.priceFen - 100));
  await page.keyboard.type('2');
  await expect(amount).toHaveValue('2');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(yuan(item.priceFen - 100));
  await page.keyboard.press('Enter');
  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt).toBeVisible();
  // Paid by card and QR: no cash, so no 找零 line (it said ¥0.00).
  await expect(receipt.getByTestId('receipt-payment')).toHaveCount(2);
  await expect(receipt.getByTestId('receipt-change')).toHaveCount(0);
  await expect(receipt).not.toContainText('找零');
  await page.keyboard.press('Escape');
  await expect(receipt).toBeHidden();

  // F8: the last receipt number is prefilled; typing another number replaces it.
  await page.keyboard.press('F8');
  const receipts = page.getByRole('dialog', { name: '小票与退货' });
  const number = receipts.getByLabel('小票号');
  await expect(number).toBeFocused();
  await expect(number).toHaveValue(/^T\d+-\d+$/);
  await page.keyboard.type('T01-000042');
  await expect(number).toHaveValue('T01-000042');
});

test('a quantity typed before the item: 24 * scan rings up 24 in one line', async ({
  page,
  host,
}) => {
  const item = demoProduct(5);
  await startTill(page, host);
  const cart = page.getByRole('table', { name: '购物车' });

  // As a cashier types (not a scanner's burst): 2, 4, then *.
  await page.keyboard.type('24*', { delay: 120 });
  await expect(page.getByTestId('pending-qty')).toContainText('×24');
  await expect(page.getByLabel('条码')).toHaveValue('');
  await scan(page, item.barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);
  await expect(cart.getByTestId('line-qty')).toHaveText('24');
  await expect(page.getByTestId('cart-total')).toContainText(yuan(item.priceFen * 24));
  // Used once: the next scan is one again.
  await expect(page.getByTestId('pending-qty')).toBeHidden();
  const other = demoProduct(6);
  await scan(page, other.barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(2);
  await expect(cart.getByTestId('line-qty').nth(1)).toHaveText('1');

  // Typed fast (the scanner detector holds fast digits back): still a quantity, not a scan.
  await page.keyboard.type('12*');
  await expect(page.getByTestId('pending-qty')).toContainText('×12');
  await scan(page, demoProduct(7).barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(3);
  await expect(cart.getByTestId('line-qty').nth(2)).toHaveText('12');

  // No quantity is explained, not guessed; Esc drops a quantity not yet used.
  await page.keyboard.type('0*', { delay: 120 });
  await expect(page.getByTestId('sale-error')).toContainText('数量须为 1 至 9999 的整数');
  await page.keyboard.press('Escape');
  await page.keyboard.type('3*', { delay: 120 });
  await expect(page.getByTestId('pending-qty')).toContainText('×3');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('pending-qty')).toBeHidden();

  // F1 tells how.
  await page.keyboard.press('F1');
  const help = page.getByRole('dialog', { name: '快捷键' });
  await expect(help.getByRole('row', { name: /24 \*/ })).toContainText('输入数量后按 *');
});

test('Enter in the search adds what is typed, not the answer to what was typed before', async ({
  page,
  host,
}) => {
  await startTill(page, host);
  await page.keyboard.press('F2');
  await expect(page.getByRole('textbox', { name: '搜索商品' })).toBeFocused();
  await page.keyboard.type('可乐');
  // The answer to "可乐" shows 可乐 2L first …
  await expect(page.getByRole('option').first()).toContainText('可乐 2L');
  // … then " 330" and Enter at once, faster than the search's debounce.
  await page.keyboard.type(' 330\n');
  const cart = page.getByRole('table', { name: '购物车' });
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);
  await expect(cart.getByTestId('cart-line')).toContainText('可乐 330ml');
  await expect(cart.getByTestId('cart-line')).not.toContainText('2L');
});

test('the held-sales list says what each held sale holds, how many and when', async ({
  page,
  host,
}) => {
  await startTill(page, host);
  const cart = page.getByRole('table', { name: '购物车' });
  // First sale: 2 cola and 4 other lines (6 lines, 7 units).
  for (const i of [3, 3, 0, 1, 2, 5, 6]) await scan(page, demoProduct(i).barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(6);
  await page.keyboard.press('F4');
  await expect(page.getByTestId('notice')).toContainText('已挂单');
  // Second sale: one bottle of water.
  await scan(page, demoProduct(0).barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);
  await page.keyboard.press('F4');
  await expect(cart.getByTestId('cart-line')).toHaveCount(0);

  await page.keyboard.press('F5');
  const held = page.getByRole('dialog', { name: '挂单列表' });
  const entries = held.getByRole('option');
  await expect(entries).toHaveCount(2);
  await expect(entries.nth(0).getByTestId('held-items')).toHaveText(
    '可乐 330ml ×2、纯净水 550ml ×1、矿泉水 1.5L ×1，另 3 种',
  );
  await expect(entries.nth(0).getByTestId('held-meta')).toHaveText(/^\d{2}:\d{2} 挂单 · 共 7 件$/);
  await expect(entries.nth(1).getByTestId('held-items')).toHaveText('纯净水 550ml ×1');
  await expect(entries.nth(1).getByTestId('held-meta')).toContainText('共 1 件');
  await expect(entries.nth(1)).toContainText(`¥${yuan(demoProduct(0).priceFen)}`);
});

test('F2 with the last receipt showing starts the next sale at the search', async ({
  page,
  host,
}) => {
  await startTill(page, host);
  await scan(page, demoProduct(0).barcode);
  await page.keyboard.press('F12');
  await page.keyboard.type('100\n');
  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt).toBeVisible();
  // One press: the receipt goes and the cursor is in the search.
  await page.keyboard.press('F2');
  await expect(receipt).toBeHidden();
  await expect(page.getByRole('textbox', { name: '搜索商品' })).toBeFocused();
  await page.keyboard.type('可乐 330\n');
  await expect(page.getByTestId('cart-line')).toContainText('可乐 330ml');
});

test('switching the language by click leaves the cursor in the field in use', async ({
  page,
  host,
}) => {
  await page.goto(host.screen('/manager'));
  const active = () =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el instanceof HTMLInputElement ? el.id : `not a field: ${el?.tagName ?? 'none'}`;
    });
  // The manager's screen opens on its PIN, focused.
  await expect(page.getByRole('dialog')).toBeVisible({ timeout: 20_000 });
  await expect.poll(active).not.toMatch(/^not a field/);
  const field = await active();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('button', { name: '中文' })).toBeVisible();
  expect(await active()).toBe(field);
  await page.keyboard.type('1');
  await expect(page.locator(`[id="${field}"]`)).toHaveValue('1');

  // The same at the till: the barcode field keeps the cursor.
  await startTill(page, host);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByLabel('Barcode', { exact: true })).toBeFocused();
});

test('the X report shows the discounts, so gross − discounts − refunds = net', async ({
  page,
  host,
}) => {
  const item = demoProduct(11);
  await startTill(page, host);
  await scan(page, item.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await page.keyboard.press('F6');
  const discount = page.getByRole('dialog', { name: '单品优惠' });
  const off = Math.floor(item.priceFen * 0.1);
  await discount.getByLabel('优惠金额（元）').fill(yuan(off));
  await discount.getByRole('button', { name: '确认优惠' }).click();
  await expect(discount).toBeHidden();
  await page.keyboard.press('F12');
  await page.keyboard.type('100\n');
  // The receipt appears once the sale is written; Esc before that would be lost.
  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(receipt).toBeHidden();

  await page.keyboard.press('F3');
  const menu = page.getByRole('dialog', { name: '班次与报表' });
  await expect(menu.getByTestId('totals-gross')).toHaveText(`¥${yuan(item.priceFen)}`);
  await expect(menu.getByTestId('totals-discounts')).toHaveText(`−¥${yuan(off)}`);
  await expect(menu.getByTestId('totals-sales')).toHaveText(`¥${yuan(item.priceFen - off)}`);
  await expect(menu.getByTestId('totals-refunds')).toHaveText('−¥0.00');
  await expect(menu.getByTestId('totals-net')).toHaveText(`¥${yuan(item.priceFen - off)}`);
});

test('F1 opens at its title, not scrolled to its Close button', async ({ page, host }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  await startTill(page, host);
  await page.keyboard.press('F1');
  const help = page.getByRole('dialog', { name: '快捷键' });
  await expect(help.getByRole('button', { name: '关闭' })).toBeFocused();
  await expect(help.getByRole('heading', { name: '快捷键' })).toBeInViewport();
  expect(await help.evaluate((el) => el.scrollTop)).toBe(0);
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
});

test('Esc closes the receipts dialog after a refund, its confirmation in view', async ({
  page,
  host,
}) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const item = demoProduct(3);
  await startTill(page, host);
  await scan(page, item.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await page.keyboard.press('F12');
  await page.keyboard.type('100\n');
  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(receipt).toBeHidden();
  await page.keyboard.press('F8');
  const dialog = page.getByRole('dialog', { name: '小票与退货' });
  await expect(dialog.getByLabel('小票号')).toHaveValue(/^T\d+-\d+$/);
  await page.keyboard.press('Enter');
  await dialog.getByRole('checkbox', { name: item.nameZh }).check();
  await dialog.getByLabel('退货原因').fill('顾客退货');
  await dialog.getByLabel('店长密码').fill(MANAGER_PIN);
  await dialog.getByRole('button', { name: '退所选商品' }).click();
  await expect(dialog.getByTestId('refund-done')).toBeInViewport();
  // Focus is back in the dialog, on the receipt number, so Esc reaches the dialog.
  await expect(dialog.getByLabel('小票号')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByLabel('条码')).toBeFocused();
});
