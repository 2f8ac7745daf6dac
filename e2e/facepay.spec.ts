/**
 * Face pay in a real browser. Chromium's fake camera plays a Y4M clip into getUserMedia on the
 * customer display page, which sends the frames to the terminal while face pay asks for them;
 * the terminal runs the face session, asks the reference cloud it started beside itself, and
 * records the payment. The payers are enrolled (AdminClient) with embeddings of the clip
 * person's other photos (camera.json's enrolWith).
 *
 * - face.y4m: ring up, Face Pay (F11), the customer confirms "Pay ¥… as **丰?", receipt; the
 *   ledger has the face payment and the cloud debited the wallet exactly once; the membership
 *   offer after paying.
 * - face.y4m with two payers sharing the face: the customer taps Face Pay, types the last four
 *   phone digits, confirms; only that payer pays.
 *
 * (empty.y4m, the fallback: facepay-fallback.spec.ts; a browser is launched per camera clip.)
 */
import { maskName } from '../cloud/payers/mask';
import { expect, test } from './fixtures';
import { enrol, facePayments, localCloud, ringUp, withCamera } from './facepay-support';
import { yuan } from './pos';

test.use(withCamera('face.y4m'));
test.setTimeout(120_000);

test.describe('face pay with face.y4m', () => {
  test('ring up, face pay, confirm, receipt: one face payment, one debit', async ({
    page,
    context,
    host,
  }) => {
    const customer = await context.newPage();
    const admin = await localCloud(host);
    const payerId = await enrol(admin, '张三丰', '13800001234', 100_000);
    const total = await ringUp(page, customer, host);

    const start = page.getByTestId('facepay-cashier-start');
    await expect(start).toBeEnabled({ timeout: 30_000 });
    await page.keyboard.press('F11');

    const journey = customer.getByRole('dialog', { name: '刷脸支付' });
    await expect(journey).toBeVisible();
    const confirmTitle = journey.getByTestId('facepay-confirm-title');
    await expect(confirmTitle).toContainText(maskName('张三丰'), { timeout: 30_000 });
    await expect(confirmTitle).toContainText(yuan(total));
    await expect(page.getByTestId('facepay-cashier-status')).toHaveAttribute(
      'data-phase',
      'confirm',
    );
    await journey.getByRole('button', { name: '确认支付' }).click();

    const receipt = page.getByRole('dialog', { name: '小票' });
    await expect(receipt.getByTestId('receipt-total')).toContainText(yuan(total));
    await expect(customer.getByTestId('customer-paid')).toBeVisible();

    const [payment, ...others] = facePayments(host);
    expect(others).toEqual([]);
    expect(payment).toMatchObject({ method: 'face', amount_fen: total, status: 'completed' });
    expect(payment?.reference).toBeTruthy();
    expect((await admin.payer(payerId)).balanceFen).toBe(100_000 - total);

    // Face as membership card: one tap after paying.
    const offer = customer.getByTestId('facepay-membership');
    await offer.getByRole('button', { name: '加入会员' }).click();
    await expect(offer.getByTestId('facepay-member-greeting')).toBeVisible();
  });

  test('two payers look alike: the customer types the phone tail and pays', async ({
    page,
    context,
    host,
  }) => {
    const customer = await context.newPage();
    const admin = await localCloud(host);
    const alice = await enrol(admin, '李小红', '13900005678', 50_000);
    const bob = await enrol(admin, '王大明', '13700004321', 50_000);
    const total = await ringUp(page, customer, host);

    // The customer taps Face Pay on the display.
    const tap = customer.getByTestId('facepay-start');
    await expect(tap).toBeVisible({ timeout: 30_000 });
    await tap.click();
    const journey = customer.getByRole('dialog', { name: '刷脸支付' });
    const pad = journey.getByTestId('facepay-phone');
    await expect(pad).toBeVisible({ timeout: 30_000 });
    for (const digit of '5678') await pad.getByRole('button', { name: digit, exact: true }).click();
    await expect(journey.getByTestId('facepay-confirm-title')).toContainText(maskName('李小红'));
    await journey.getByRole('button', { name: '确认支付' }).click();

    await expect(customer.getByTestId('customer-paid')).toBeVisible();
    await expect(page.getByRole('dialog', { name: '小票' })).toBeVisible();
    expect(facePayments(host).map((p) => [p.method, p.amount_fen])).toEqual([['face', total]]);
    expect((await admin.payer(alice)).balanceFen).toBe(50_000 - total);
    expect((await admin.payer(bob)).balanceFen).toBe(50_000);
  });
});
