/**
 * Staff on the manager's screen, as people see it: the prompt to change the demo PINs (which
 * forgets a person once their PIN is reset), the manager adding a cashier (a guessable PIN refused first, with the reason), and the new cashier
 * signing in at the till with their PIN, then changing it themselves.
 */
import { expect, test } from './fixtures';
import { FIRST_STEP_MS, MANAGER_PIN, unlockManager } from './pos';

test('the manager adds a cashier, who signs in with the new PIN and changes it', async ({
  page,
  host,
}) => {
  await unlockManager(page, host);
  const prompt = page.getByTestId('demo-pins');
  await expect(prompt).toContainText('王店长', { timeout: FIRST_STEP_MS });
  await expect(prompt).toContainText('李收银');

  const staff = page.getByRole('table', { name: '员工' });
  await expect(staff.getByRole('row')).toHaveCount(3);
  await page.getByRole('button', { name: '添加员工' }).click();
  const dialog = page.getByRole('dialog', { name: '添加员工' });
  await dialog.getByLabel('姓名').fill('周收银');
  await dialog.getByLabel('角色').selectOption({ label: '收银员' });
  await dialog.getByLabel('新密码').fill('1111');
  await dialog.getByLabel('店长密码').fill(MANAGER_PIN);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.getByRole('alert')).toContainText('太容易猜到');

  await dialog.getByLabel('新密码').fill('2580');
  await dialog.getByLabel('店长密码').fill(MANAGER_PIN);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('已保存：周收银')).toBeVisible();
  const row = staff.getByRole('row', { name: /周收银/ });
  await expect(row).toContainText('收银员');
  await expect(row).toContainText('在用');

  // Resetting a demo PIN takes that person off the prompt.
  await staff
    .getByRole('row', { name: /李收银/ })
    .getByRole('button', { name: '重置密码' })
    .click();
  const reset = page.getByRole('dialog', { name: '为 李收银 设置新密码' });
  await reset.getByLabel('新密码').fill('3579');
  await reset.getByLabel('店长密码').fill(MANAGER_PIN);
  await reset.getByRole('button', { name: '保存' }).click();
  await expect(reset).toBeHidden();
  await expect(prompt).toContainText('王店长');
  await expect(prompt).not.toContainText('李收银');

  // At the till: the new person is on the sign-in list and their PIN lets them in.
  await page.goto(host.screen('/'));
  const signIn = page.getByRole('dialog', { name: '登录' });
  await signIn.getByRole('radio', { name: '周收银' }).check();
  await signIn.getByLabel('密码', { exact: true }).fill('2580');
  await signIn.getByRole('button', { name: '登录' }).click();
  await expect(signIn).toBeHidden({ timeout: FIRST_STEP_MS });
  await expect(page.getByTestId('operator')).toContainText('收银员: 周收银');

  // They change their own PIN from the status bar.
  await page.getByRole('button', { name: '修改我的密码' }).click();
  const change = page.getByRole('dialog', { name: '修改 周收银 的密码' });
  await change.getByLabel('当前密码').fill('2580');
  await change.getByLabel('新密码', { exact: true }).fill('3691');
  await change.getByLabel('再次输入新密码').fill('3691');
  await change.getByRole('button', { name: '保存' }).click();
  await expect(change.getByRole('status')).toHaveText('您的密码已修改');
  await change.getByRole('button', { name: '关闭' }).click();
  await expect(change).toBeHidden();

  // Signed out, the old PIN no longer works and the new one does.
  await page.getByTestId('operator').getByRole('button', { name: '退出' }).click();
  await signIn.getByRole('radio', { name: '周收银' }).check();
  await signIn.getByLabel('密码', { exact: true }).fill('2580');
  await signIn.getByRole('button', { name: '登录' }).click();
  await expect(signIn.getByRole('alert')).toBeVisible();
  await signIn.getByLabel('密码', { exact: true }).fill('3691');
  await signIn.getByRole('button', { name: '登录' }).click();
  await expect(signIn).toBeHidden();
  await expect(page.getByTestId('operator')).toContainText('周收银');
});
