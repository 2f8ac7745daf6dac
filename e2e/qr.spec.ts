/**
 * The merchant-presented QR (主扫) end to end: the host links the reference cloud it starts
 * beside itself (its wallet is the terminal's acquirer), the cashier presses the QR tender, the
 * customer display shows the QR, the test reads it back off a screenshot (jsqr) and the payer's
 * phone pays it with `npm run cloud -- scan --payer … URL` in a process of its own. The display
 * and the till show paid, the receipt prints, and the ledger has one payment for the total.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jsQR from 'jsqr';
import sharp from 'sharp';
import type { Locator } from '@playwright/test';
import { expect, test, type Host } from './fixtures';
import { facePayments, localCloud, ringUp } from './facepay-support';
import { yuan } from './pos';

const root = resolve(import.meta.dirname, '..');

test.setTimeout(120_000);

/** What a phone's camera reads: the QR's text, decoded from a screenshot of the element. */
async function readQr(element: Locator): Promise<string | null> {
  const png = await element.screenshot();
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data ?? null;
}

/** `npm run cloud -- scan --payer ID URL` against the host's cloud, as a separate process. */
function cloudScan(host: Host, payerId: string, qrUrl: string) {
  const cloudUrl = /cloud:\s+(http:\/\/\S+)/.exec(host.output())?.[1] ?? '';
  const token = readFileSync(join(host.dataDir, 'cloud', 'admin-token'), 'utf8').trim();
  return new Promise<{ code: number; out: string; err: string }>((done) => {
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        join(root, 'cloud/cli.ts'),
        'scan',
        '--url',
        cloudUrl,
        '--admin-token',
        token,
        '--payer',
        payerId,
        qrUrl,
      ],
      { cwd: root },
      (error, stdout, stderr) =>
        done({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1,
          out: stdout,
          err: stderr,
        }),
    );
  });
}

test('the QR on the customer display is paid by `cloud scan`: display and till say paid, receipt', async ({
  page,
  context,
  host,
}) => {
  const customer = await context.newPage();
  // Waits until the host has linked its cloud (the reference acquirer joins with the link).
  const admin = await localCloud(host);
  const { payerId } = await admin.createPayer({
    name: '赵敏',
    phone: '13900001111',
    balanceFen: 100_000,
  });
  const total = await ringUp(page, customer, host);

  await page.getByRole('button', { name: '扫码支付', exact: true }).click();
  const dialog = page.getByTestId('payment-dialog');
  await expect(page.getByRole('dialog', { name: '扫码收款' })).toBeVisible();
  await page.keyboard.press('Enter');

  const status = dialog.getByTestId('qr-status');
  await expect(status).toHaveAttribute('data-state', 'showing');
  await expect(status).toContainText('二维码已显示在顾客屏上，等待顾客付款（Esc 取消）');
  const shown = customer.getByTestId('customer-qr');
  await expect(shown).toBeVisible();
  await expect(customer.getByTestId('customer-qr-amount')).toContainText(yuan(total));
  await expect(customer.getByTestId('customer-qr-seconds')).toContainText(/剩余 \d+ 秒/);

  const qrUrl = await readQr(customer.getByTestId('customer-qr-code'));
  expect(qrUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/acquire\/qr\/[A-Za-z0-9_-]+$/);

  const scanned = await cloudScan(host, payerId, qrUrl as string);
  expect(scanned.code, scanned.err).toBe(0);
  expect(JSON.parse(scanned.out)).toMatchObject({ result: 'paid', amountFen: total });

  // The till learns it by query: the receipt; the customer display: paid.
  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt).toBeVisible({ timeout: 20_000 });
  await expect(receipt.getByTestId('receipt-payment')).toHaveCount(1);
  await expect(receipt.getByTestId('receipt-payment')).toHaveText(`¥${yuan(total)}`);
  await expect(customer.getByTestId('customer-paid')).toBeVisible();

  // One payment in the ledger, for the total; the payer's wallet debited once.
  const payments = facePayments(host);
  expect(payments).toHaveLength(1);
  expect(payments[0]).toMatchObject({ amount_fen: total, status: 'completed' });
  expect((await admin.payer(payerId)).balanceFen).toBe(100_000 - total);
  // Scanning the same QR again pays nothing more.
  const again = await cloudScan(host, payerId, qrUrl as string);
  expect(JSON.parse(again.out)).toMatchObject({ result: 'already_paid' });
});

test('Esc takes the QR down: the trade is cancelled, a late scan charges nothing', async ({
  page,
  context,
  host,
}) => {
  const customer = await context.newPage();
  const admin = await localCloud(host);
  const { payerId } = await admin.createPayer({
    name: '周芷若',
    phone: '13900002222',
    balanceFen: 100_000,
  });
  await ringUp(page, customer, host);
  await page.getByRole('button', { name: '扫码支付', exact: true }).click();
  await page.keyboard.press('Enter');
  const qrUrl = await readQr(customer.getByTestId('customer-qr-code'));
  expect(qrUrl).not.toBeNull();

  await page.keyboard.press('Escape');
  const status = page.getByTestId('qr-status');
  await expect(status).toHaveAttribute('data-state', 'cancelled');
  await expect(status).toContainText('二维码已取消，未扣款');
  await expect(customer.getByTestId('customer-qr')).toHaveCount(0);
  await expect(customer.getByTestId('customer-qr-outcome')).toHaveAttribute(
    'data-state',
    'cancelled',
  );
  const late = await cloudScan(host, payerId, qrUrl as string);
  expect(late.code).not.toBe(0);
  expect((await admin.payer(payerId)).balanceFen).toBe(100_000);
  expect(facePayments(host)).toHaveLength(0);
});
