/**
 * Face pay when nobody is in front of the camera: Chromium's fake camera plays empty.y4m (the
 * background only). The customer display says no face was found and to pay by QR code or cash;
 * the cashier sees why; the sale stays open and cash completes it.
 */
import { expect, test } from './fixtures';
import { facePayments, localCloud, ringUp, skipWithoutFaces, withCamera } from './facepay-support';

test.use(withCamera('empty.y4m'));
skipWithoutFaces(test);
test.setTimeout(120_000);

test.describe('face pay with empty.y4m', () => {
  test('no face: a clear message, the QR/cash fallback, and the sale still open', async ({
    page,
    context,
    host,
  }) => {
    const customer = await context.newPage();
    await localCloud(host);
    const total = await ringUp(page, customer, host);

    await expect(page.getByTestId('facepay-cashier-start')).toBeEnabled({ timeout: 30_000 });
    await page.getByTestId('facepay-cashier-start').click();
    const journey = customer.getByRole('dialog', { name: '刷脸支付' });
    await expect(journey.getByTestId('facepay-instruction')).toHaveText('请看摄像头');
    await expect(journey.getByTestId('facepay-failed')).toHaveText('未检测到人脸', {
      timeout: 20_000,
    });
    await expect(journey.getByTestId('facepay-fallback')).toContainText('扫码');
    await expect(page.getByTestId('facepay-cashier-status')).toContainText('未检测到人脸');
    await journey.getByRole('button', { name: '关闭' }).click();
    await expect(journey).toBeHidden();
    expect(facePayments(host)).toEqual([]);

    // The sale is still open: the cashier takes cash.
    await page.keyboard.press('F12');
    const payment = page.getByRole('dialog', { name: '现金收款' });
    await payment.getByLabel('实收金额（元）').fill(String(Math.ceil(total / 100)));
    await payment.getByRole('button', { name: '确认收款' }).click();
    await expect(page.getByRole('dialog', { name: '小票' })).toBeVisible();
    expect(facePayments(host).map((p) => p.method)).toEqual(['cash']);
  });
});
