/**
 * A screen that fails while rendering shows a message in its language and a way back, never a
 * blank page. The failure here is a real one: the manager's screen is its own bundle chunk,
 * loaded when the screen opens, and the browser fails to fetch it (as after a broken update).
 */
import { expect, test } from './fixtures';
import { unlockManager } from './pos';

test('a screen that cannot render says so and reloads', async ({ page, host }) => {
  const chunk = '**/assets/ManagerScreen-*.js';
  await page.route(chunk, (route) => route.abort('failed'));
  await page.goto(host.screen('/manager'));
  const error = page.getByRole('alert');
  await expect(error.getByRole('heading', { name: '此屏幕出现问题' })).toBeVisible({
    timeout: 20_000,
  });
  await expect(error).toContainText('进行中的交易已由终端保存');
  const reload = error.getByRole('button', { name: '重新加载屏幕' });
  await expect(reload).toBeFocused();

  // The way back works once the fault is gone.
  await page.unroute(chunk);
  await reload.click();
  await expect(page.getByRole('dialog', { name: '店长登录' })).toBeVisible({ timeout: 20_000 });
  await unlockManager(page, host);
  await expect(page.getByTestId('report')).toBeVisible();
});
