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
 * - after a face payment, requests signed with the host's own terminal credentials against the
 *   cloud the host started: a replayed one and one with an altered body are refused, and no
 *   money moves.
 *
 * (empty.y4m, the fallback: facepay-fallback.spec.ts; a browser is launched per camera clip.)
 */
import type { Page } from '@playwright/test';
import { expect, test, type Host } from './fixtures';
import {
  enrol,
  facePayments,
  localCloud,
  ringUp,
  send,
  signAsTerminal,
  terminalClient,
  skipWithoutFaces,
  withCamera,
} from './facepay-support';
import { MANAGER_PIN, demoProduct, yuan } from './pos';

test.use(withCamera('face.y4m'));
skipWithoutFaces(test);
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
    await expect(confirmTitle).toContainText('张*丰', { timeout: 30_000 });
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

    // The customer brings one item back: the cashier refunds it, and is told that the money is
    // back in the customer's face-pay wallet (the cloud credited it while the dialog waited).
    const receiptNo = (await receipt.getByTestId('receipt-no').innerText()).trim();
    await page.keyboard.press('Escape');
    await page.keyboard.press('F8');
    const receipts = page.getByRole('dialog', { name: '小票与退货' });
    await receipts.getByLabel('小票号').fill(receiptNo);
    await receipts.getByRole('button', { name: '查找' }).click();
    const returned = demoProduct(42);
    await receipts.getByRole('checkbox', { name: returned.nameZh }).check();
    await receipts.getByLabel('退货原因').fill('不想要了');
    await receipts.getByLabel('店长密码').fill(MANAGER_PIN);
    await receipts.getByRole('button', { name: '退所选商品' }).click();
    const wallet = receipts.getByTestId('refund-wallet');
    await expect(wallet).toHaveAttribute('data-status', 'credited');
    await expect(wallet).toHaveText(`刷脸支付：¥${yuan(returned.priceFen)} 已退回顾客账户`);
    expect((await admin.payer(payerId)).balanceFen).toBe(100_000 - total + returned.priceFen);
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
    await expect(journey.getByTestId('facepay-confirm-title')).toContainText('李*红');
    await journey.getByRole('button', { name: '确认支付' }).click();

    await expect(customer.getByTestId('customer-paid')).toBeVisible();
    await expect(page.getByRole('dialog', { name: '小票' })).toBeVisible();
    expect(facePayments(host).map((p) => [p.method, p.amount_fen])).toEqual([['face', total]]);
    expect((await admin.payer(alice)).balanceFen).toBe(50_000 - total);
    expect((await admin.payer(bob)).balanceFen).toBe(50_000);
  });

  test('a replayed or tampered signed request is refused, and no money moves', async ({
    page,
    context,
    host,
  }) => {
    const customer = await context.newPage();
    const admin = await localCloud(host);
    const payerId = await enrol(admin, '陈静怡', '13500002468', 100_000);
    const total = await payByFace(page, customer, host);
    const [payment] = facePayments(host);
    expect(payment).toMatchObject({ method: 'face', amount_fen: total });
    const paymentId = payment?.reference ?? '';
    const saleId = payment?.sale_id ?? '';
    const afterPaying = 100_000 - total;
    expect((await admin.payer(payerId)).balanceFen).toBe(afterPaying);

    // The terminal's own authorisation, signed as the till signs it: the cloud answers it with
    // the stored result (the same payment, no second debit) ...
    const key = `fp:${saleId}:1`;
    const authorise = signAsTerminal(host, '/v1/payments/authorise', {
      token: 'x'.repeat(43),
      amountFen: total,
      saleId,
      idempotencyKey: key,
    });
    expect(await send(authorise)).toEqual({ status: 200, code: null, paymentId });
    // ... and refuses the very same bytes sent again.
    expect(await send(authorise)).toEqual({ status: 401, code: 'REPLAYED', paymentId: undefined });

    // A refund signed for 1 fen, its body altered to the whole amount: refused, nothing credited.
    const refund = signAsTerminal(host, '/v1/refunds', {
      paymentId,
      amountFen: 1,
      idempotencyKey: `e2e-tamper-${saleId}`,
    });
    const tampered = refund.body.replace('"amountFen":1,', `"amountFen":${total},`);
    expect(tampered).not.toBe(refund.body);
    expect(await send(refund, tampered)).toEqual({
      status: 401,
      code: 'SIGNATURE_INVALID',
      paymentId: undefined,
    });
    // An altered authorisation (another key: a second debit, were it let through) too.
    const altered = authorise.body.replace(`"${key}"`, `"fp:${saleId}:2"`);
    expect(altered).not.toBe(authorise.body);
    expect(await send(authorise, altered)).toEqual({
      status: 401,
      code: 'SIGNATURE_INVALID',
      paymentId: undefined,
    });

    // No money moved: the wallet as it was after paying; no refund under that key; the cloud's
    // payment unrefunded; one face payment in the ledger.
    expect((await admin.payer(payerId)).balanceFen).toBe(afterPaying);
    const cloud = terminalClient(host);
    expect(await cloud.refundStatus(`e2e-tamper-${saleId}`)).toBeNull();
    expect(await cloud.status(`fp:${saleId}:2`)).toBeNull();
    expect(await cloud.status(key)).toMatchObject({
      paymentId,
      status: 'approved',
      refundedFen: 0,
    });
    expect(facePayments(host).map((p) => [p.method, p.amount_fen])).toEqual([['face', total]]);
  });
});

/** Rings up, pays by face (F11, the customer confirms) and waits for the receipt. */
async function payByFace(page: Page, customer: Page, host: Host) {
  const total = await ringUp(page, customer, host);
  await expect(page.getByTestId('facepay-cashier-start')).toBeEnabled({ timeout: 30_000 });
  await page.keyboard.press('F11');
  const journey = customer.getByRole('dialog', { name: '刷脸支付' });
  await expect(journey.getByTestId('facepay-confirm-title')).toContainText(yuan(total), {
    timeout: 30_000,
  });
  await journey.getByRole('button', { name: '确认支付' }).click();
  await expect(
    page.getByRole('dialog', { name: '小票' }).getByTestId('receipt-total'),
  ).toContainText(yuan(total));
  return total;
}
