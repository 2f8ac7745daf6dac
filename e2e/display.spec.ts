/**
 * The customer display follows the till: posters while idle, lines as they are scanned with
 * the discount shown, the payment step with the cash handed over and the change, then thank you.
 * And the language switch, remembered per screen.
 */
import { expect, test } from './fixtures';
import { demoProduct, FIRST_STEP_MS, scan, startTill, yuan } from './pos';

test('the customer display follows the cart, the payment and the change', async ({
  page,
  context,
  host,
}) => {
  const [a, b] = [demoProduct(7), demoProduct(30)];
  const customer = await context.newPage();
  await customer.goto(host.screen('/customer'));
  const posters = customer.getByTestId('posters');
  await expect(posters).toContainText('新鲜水果 每日到店');
  // The poster's image is served and drawn (natural size known once loaded).
  await expect
    .poll(() => posters.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth), {
      timeout: FIRST_STEP_MS,
    })
    .toBeGreaterThan(0);

  await startTill(page, host);
  await scan(page, a.barcode);
  await expect(customer.getByTestId('customer-line')).toHaveCount(1);
  await scan(page, b.barcode);
  await expect(customer.getByTestId('customer-line')).toHaveCount(2);
  await expect(customer.getByTestId('customer-total')).toHaveText(
    `¥${yuan(a.priceFen + b.priceFen)}`,
  );

  await page.keyboard.press('F7');
  const discount = page.getByRole('dialog', { name: '整单优惠' });
  await discount.getByLabel('优惠金额（元）').fill('1');
  await discount.getByRole('button', { name: '确认优惠' }).click();
  const total = a.priceFen + b.priceFen - 100;
  await expect(customer.getByTestId('customer-discount')).toHaveText('已为您节省 ¥1.00');
  await expect(customer.getByTestId('customer-total')).toHaveText(`¥${yuan(total)}`);

  await page.keyboard.press('F12');
  await expect(customer.getByTestId('customer-paying')).toContainText('现金付款中');
  await page.getByRole('dialog', { name: '现金收款' }).getByLabel('实收金额（元）').fill('100');
  await expect(customer.getByTestId('customer-tendered')).toHaveText('¥100.00');
  await expect(customer.getByTestId('customer-change-preview')).toHaveText(
    `¥${yuan(10_000 - total)}`,
  );
  await page.keyboard.press('Enter');
  await expect(customer.getByTestId('customer-paid')).toBeVisible();
  await expect(customer.getByTestId('customer-change')).toHaveText(`¥${yuan(10_000 - total)}`);
});

test('the language switch is remembered, per screen', async ({ page, context, host }) => {
  await startTill(page, host);
  await expect(page.getByRole('heading', { name: '收银台' })).toBeVisible();
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Cart' })).toBeVisible();
  await expect(page.getByRole('button', { name: /Pay/ }).first()).toBeVisible();

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await expect(page.getByLabel('Barcode')).toBeVisible();

  // The customer display keeps its own choice (Chinese, the default).
  const customer = await context.newPage();
  await customer.goto(host.screen('/customer'));
  await expect(customer.getByRole('heading', { name: '欢迎光临' })).toBeVisible();
  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('heading', { name: '收银台' })).toBeVisible();
});

test('the status bar keeps the screen title whole when it has more to say than room', async ({
  page,
  host,
}) => {
  // The narrowest till window that keeps the one-row bar, in English (the longer labels).
  await page.setViewportSize({ width: 1100, height: 720 });
  await startTill(page, host);
  await page.getByRole('button', { name: 'English' }).click();
  const title = page.getByRole('heading', { name: 'Checkout' });
  await expect(title).toBeVisible();
  const fits = await title.evaluate((el) => el.scrollWidth <= el.clientWidth);
  expect(fits, 'the title is not cut short').toBe(true);
  // Every status item stays on screen (they wrap inside the bar rather than run off it).
  const bar = page.getByRole('banner', { name: 'Status bar' });
  for (const item of [bar.getByRole('button', { name: 'Sign out' }), bar.getByRole('time')]) {
    const box = await item.boundingBox();
    expect(box, 'the item is laid out').not.toBeNull();
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1100);
  }
  await expect(page.getByRole('button', { name: '中文' })).toBeInViewport();
  await expect(page.getByRole('table', { name: 'Cart' })).toBeVisible();
});
