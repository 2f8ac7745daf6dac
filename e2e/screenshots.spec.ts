/**
 * Screenshots of the three screens in Chinese and in English, saved as test artifacts under
 * test-results/ (not committed) so that a person can look at them after the run.
 */
import { expect, test } from './fixtures';
import { asCashier, demoProduct, MANAGER_PIN, scan, signIn, unlockManager } from './pos';

test('the three screens in zh-CN and English', async ({ browser, host }, testInfo) => {
  // Earlier trade for the manager's report, through the contract.
  await asCashier(host, async (api) => {
    await api.invoke('shift.open', { floatFen: 20_000 });
    for (const [i, method] of [
      [3, 'cash'],
      [11, 'card'],
      [42, 'qr'],
      [60, 'cash'],
    ] as const) {
      const sale = await api.invoke('sale.addItem', { barcode: demoProduct(i).barcode, qty: 2 });
      const paid = await api.invoke('sale.pay', {
        saleId: sale.id,
        method,
        amountFen: sale.totalFen,
        ...(method === 'cash' ? { tenderedFen: sale.totalFen + 500 } : {}),
      });
      if (i === 60)
        await api.invoke('refund.create', {
          saleId: paid.id,
          lines: [{ lineNo: 1, qty: 1 }],
          reason: '顾客退货',
          managerPin: MANAGER_PIN,
        });
    }
  });

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const cashier = await context.newPage();
  await cashier.goto(host.screen('/'));
  await signIn(cashier);
  for (const i of [5, 21, 88]) await scan(cashier, demoProduct(i).barcode);
  await cashier.keyboard.press('+');
  await cashier.keyboard.press('F6');
  const discount = cashier.getByRole('dialog', { name: '单品优惠' });
  await discount.getByLabel('优惠金额（元）').fill('1');
  await discount.getByRole('button', { name: '确认优惠' }).click();
  await expect(cashier.getByRole('table', { name: '购物车' }).getByTestId('cart-line')).toHaveCount(
    3,
  );

  const customer = await context.newPage();
  await customer.setViewportSize({ width: 1280, height: 800 });
  await customer.goto(host.screen('/customer'));
  await expect(customer.getByTestId('customer-line')).toHaveCount(3);

  const manager = await context.newPage();
  await unlockManager(manager, host);
  await expect(manager.getByRole('img', { name: '支付方式构成' })).toBeVisible();

  const shoot = async (language: string): Promise<void> => {
    await cashier.screenshot({ path: testInfo.outputPath(`cashier-${language}.png`) });
    await customer.screenshot({ path: testInfo.outputPath(`customer-${language}.png`) });
    await manager.screenshot({
      path: testInfo.outputPath(`manager-${language}.png`),
      fullPage: true,
    });
  };
  await shoot('zh-CN');

  for (const page of [cashier, customer, manager])
    await page.getByRole('button', { name: 'English' }).click();
  await expect(cashier.getByRole('heading', { name: 'Checkout' })).toBeVisible();
  await expect(customer.getByRole('heading', { name: 'Your items' })).toBeVisible();
  await expect(manager.getByRole('img', { name: 'Payment-method mix' })).toBeVisible();
  await shoot('en');

  // The idle customer display: posters.
  const idle = await context.newPage();
  await idle.setViewportSize({ width: 1280, height: 800 });
  await idle.goto(host.screen('/customer'));
  await cashier.keyboard.press('F4');
  await expect(idle.getByTestId('posters')).toBeVisible();
  await idle.screenshot({ path: testInfo.outputPath('customer-idle-en.png') });
  await context.close();
});
