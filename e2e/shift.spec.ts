/**
 * A cashier's day: open the shift with a float, sell, pay cash out with a reason, close with a
 * counted amount (the variance shown before confirming), take the Z report with the manager's
 * PIN, and a second Z for the same day is refused.
 */
import { datesUpTo } from '../renderer/src/features/shift/zDate';
import { formatBusinessDate, todayIn } from '../renderer/src/lib/time';
import { expect, test } from './fixtures';
import { contract, demoProduct, scan, startTill, yuan } from './pos';

test('open, sell, cash out, close with a variance, Z report; a second Z is refused', async ({
  page,
  host,
}) => {
  const item = demoProduct(12);
  await startTill(page, host);
  await expect(page.getByTestId('shift-state')).toContainText('班次进行中');
  await scan(page, item.barcode);
  await page.keyboard.press('F12');
  await page.getByRole('dialog', { name: '现金收款' }).getByLabel('实收金额（元）').fill('100');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: '小票' })).toBeVisible();
  await page.keyboard.press('Escape');

  await page.keyboard.press('F3');
  const menu = page.getByRole('dialog', { name: '班次与报表' });
  // The X report at any time.
  await expect(menu.getByTestId('expected-cash')).toHaveText(`¥${yuan(20_000 + item.priceFen)}`);

  await menu.getByRole('tab', { name: '存取现金' }).click();
  await menu.getByRole('radio', { name: '取出现金' }).click();
  await menu.getByLabel('金额（元）').fill('50');
  await menu.getByLabel('原因').fill('存入银行');
  await menu.getByRole('button', { name: '记录' }).click();
  await expect(menu.getByRole('status')).toHaveText('已记录取出现金 ¥50.00');

  await menu.getByRole('tab', { name: '结班' }).click();
  const expected = 20_000 + item.priceFen - 5_000;
  await expect(menu.getByTestId('expected-cash')).toHaveText(`¥${yuan(expected)}`);
  await menu.getByLabel('实点现金（元）').fill(yuan(expected - 200));
  // The variance is shown before the cashier confirms.
  await expect(menu.getByTestId('variance-preview')).toHaveText('钱箱短缺 ¥2.00');
  await menu.getByRole('button', { name: '确认结班' }).click();
  await expect(menu.getByTestId('shift-variance')).toHaveText('-¥2.00');

  const api = await contract(host);
  const { timezone } = await api.invoke('system.info', {});
  await api.close();
  const today = todayIn(timezone);
  const [yesterday] = datesUpTo(today, 2);

  await menu.getByRole('tab', { name: 'Z 报表（日结）' }).click();
  // The day proposed is the oldest without a Z that had trade: today, here.
  const zDate = menu.getByLabel('要结束的营业日');
  await expect(zDate).toHaveValue(today);
  await menu.getByLabel('店长密码').fill('888888');
  await menu.getByRole('button', { name: '生成 Z 报表' }).click();
  const z = menu.getByTestId('z-report');
  await expect(z).toContainText(`Z 报表 1 · ${formatBusinessDate(today, 'zh-CN')}`);
  await expect(z.getByTestId('totals-net')).toHaveText(`¥${yuan(item.priceFen)}`);

  await menu.getByLabel('店长密码').fill('888888');
  await menu.getByRole('button', { name: '生成 Z 报表' }).click();
  await expect(menu.getByTestId('z-error')).toHaveText('当日的 Z 报表已生成，请重印');

  // The manager may close another day: yesterday (no trade, still a day to close).
  await zDate.fill(yesterday ?? '');
  await menu.getByLabel('店长密码').fill('888888');
  await menu.getByRole('button', { name: '生成 Z 报表' }).click();
  await expect(z).toContainText(`Z 报表 2 · ${formatBusinessDate(yesterday ?? '', 'zh-CN')}`);

  // Closing the menu leaves the till asking for the next shift's float.
  await menu.getByRole('button', { name: '关闭' }).last().click();
  await expect(page.getByRole('dialog', { name: '开班' })).toBeVisible();
});
