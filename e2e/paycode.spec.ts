/**
 * Payment codes (付款码) at the till: the customer's code, read by the scanner wherever focus is
 * (fast keystrokes and Enter, as a keyboard wedge sends them), pays the open sale through the
 * terminal's acquirer instead of being looked up as a product.
 *
 * The acquirer is the local Alipay gateway (payments/test-support: a real HTTP server on
 * loopback that verifies each request's RSA2 signature and signs its answers); the host is
 * configured for it exactly as a shop configures Alipay: POS_ALIPAY_APP_ID and POS_ALIPAY_GATEWAY
 * in the environment, the keys in the terminal's secret store. Swapping in another acquirer
 * (the reference cloud's) is a change to `alipayTerminal` only: the last tests do it, paying with
 * the one-time codes the back office issues (`npm run cloud -- paycode --payer …`) through the
 * reference cloud the host started beside itself.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AdminClient } from '../cloud/client/admin';
import { FileSecretStore, secretsDirFor } from '../main/shared/secret-store';
import { SECRET_NAMES } from '../main/core/payments/acquirers/secrets';
import {
  AlipayGateway,
  makeRsaPair,
  type RsaPair,
} from '../main/core/payments/test-support/alipay-gateway';
import { expect, test, type Host, type HostSetup } from './fixtures';
import { demoProduct, scan, startTill, yuan } from './pos';

const APP_ID = '2021000000000001';
/** An Alipay payment code: 28, then 16 digits. */
const CODE = '284112345678901234';

let gateway: AlipayGateway;
let app: RsaPair;
let alipay: RsaPair;

test.beforeAll(async () => {
  app = makeRsaPair();
  alipay = makeRsaPair();
  gateway = await AlipayGateway.start({
    appId: APP_ID,
    appPublicKeyPem: app.publicPem,
    alipayPrivateKeyPem: alipay.privatePem,
  });
});

test.afterAll(async () => {
  await gateway.close();
});

/** The terminal configured for Alipay against the local gateway. */
const alipayTerminal: HostSetup = {
  async prepare(dataDir) {
    const secrets = new FileSecretStore(secretsDirFor(dataDir));
    secrets.set(SECRET_NAMES.alipayAppPrivateKey, Buffer.from(app.privatePem));
    secrets.set(SECRET_NAMES.alipayPublicKey, Buffer.from(alipay.publicPem));
    return { POS_ALIPAY_APP_ID: APP_ID, POS_ALIPAY_GATEWAY: gateway.url };
  },
};

test.use({ hostSetup: alipayTerminal });

test('a scanned payment code pays the sale at once; the receipt says Alipay', async ({
  page,
  host,
}) => {
  const item = demoProduct(3);
  await startTill(page, host);
  await scan(page, item.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  const before = gateway.calls('alipay.trade.pay').length;

  await scan(page, CODE);
  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt).toBeVisible();
  await expect(receipt.getByTestId('receipt-payment')).toHaveCount(1);
  await expect(receipt).toContainText('支付宝');
  await expect(receipt.getByTestId('receipt-payment')).toHaveText(`¥${yuan(item.priceFen)}`);
  // One signed charge, for the sale's amount, with the code the scanner read.
  const charges = gateway.calls('alipay.trade.pay').slice(before);
  expect(charges).toHaveLength(1);
  expect(charges[0]?.signatureValid).toBe(true);
  expect(charges[0]?.biz.auth_code).toBe(CODE);
  expect(charges[0]?.biz.total_amount).toBe(yuan(item.priceFen));
  // Never a product lookup, and the code is nowhere on the screen.
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(CODE);
});

test('the customer confirms on the phone: the till says so with the seconds left, then paid', async ({
  page,
  host,
}) => {
  const item = demoProduct(5);
  await startTill(page, host);
  await scan(page, item.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  // The buyer must confirm (WAIT_BUYER_PAY); the till's first query (after 3 s) finds it paid.
  gateway.script('alipay.trade.pay', 'wait');
  gateway.confirmAfterQueries = 1;

  await scan(page, CODE);
  const status = page.getByTestId('paycode-status');
  await expect(status).toHaveAttribute('data-phase', 'waiting_for_buyer');
  await expect(status).toContainText('顾客正在手机上确认支付');
  await expect(status).toContainText(/剩余 \d+ 秒/);
  await expect(page.locator('body')).not.toContainText(CODE);

  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt).toBeVisible({ timeout: 15_000 });
  await expect(receipt).toContainText('支付宝');
});

test('a code typed on the payment dialog, refused by Alipay: the reason in words, the sale still open', async ({
  page,
  host,
}) => {
  const item = demoProduct(8);
  await startTill(page, host);
  await scan(page, item.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  gateway.script('alipay.trade.pay', { refuse: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' });

  await page.keyboard.press('F12');
  const dialog = page.getByTestId('payment-dialog');
  await page.keyboard.press('Alt+4');
  const field = dialog.getByTestId('paycode-input');
  await expect(field).toBeFocused();
  // Typed by hand (slowly): the field takes it; Enter charges it.
  await field.pressSequentially(CODE, { delay: 40 });
  await page.keyboard.press('Enter');
  const status = dialog.getByTestId('paycode-status');
  await expect(status).toHaveAttribute('data-phase', 'refused');
  await expect(status).toContainText('顾客余额不足');
  await expect(field).toHaveValue('');
  await expect(dialog.getByTestId('payment-due')).toHaveText(`¥${yuan(item.priceFen)}`);
});

test.describe('without an acquirer', () => {
  // Not even the reference cloud's wallet (on by default once the host links its cloud): with
  // it the QR tender would show a dynamic QR (e2e/qr.spec.ts).
  test.use({ hostSetup: { prepare: async () => ({ POS_ACQUIRER_REFERENCE: 'off' }) } });

  test('a scanned payment code says no acquirer is configured; QR stays a recorded tender', async ({
    page,
    host,
  }) => {
    const item = demoProduct(4);
    await startTill(page, host);
    await scan(page, item.barcode);
    await expect(page.getByTestId('cart-line')).toHaveCount(1);
    await scan(page, CODE);
    const status = page.getByTestId('paycode-status');
    await expect(status).toHaveAttribute('data-phase', 'no_acquirer');
    await expect(status).toContainText('未配置支付宝收单机构');
    await expect(page.locator('body')).not.toContainText(CODE);
    // QR is still taken as before: recorded at the till.
    await page.keyboard.press('Alt+3');
    await page.keyboard.press('Enter');
    const receipt = page.getByRole('dialog', { name: '小票' });
    await expect(receipt).toBeVisible();
    await expect(receipt).toContainText('扫码支付');
  });
});

test.describe('through the reference acquirer (the cloud the host started beside itself)', () => {
  test.use({ hostSetup: null });

  /** The host's cloud: its address and admin token, once the terminal has linked it. */
  async function backOffice(
    host: Host,
  ): Promise<{ url: string; token: string; admin: AdminClient }> {
    let url: string | undefined;
    await expect
      .poll(() => (url = /cloud:\s+(http:\/\/\S+)/.exec(host.output())?.[1]) ?? null, {
        timeout: 60_000,
        message: 'the host links its cloud',
      })
      .not.toBeNull();
    const token = readFileSync(join(host.dataDir, 'cloud', 'admin-token'), 'utf8').trim();
    return { url: url as string, token, admin: new AdminClient(url as string, token) };
  }

  /** `npm run cloud -- ARGS` against the host's cloud, as the shop's back office runs it. */
  async function cloudCli(cloud: { url: string; token: string }, args: string[]): Promise<string> {
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'cloud', '--', ...args, '--url', cloud.url, '--admin-token', cloud.token],
      { cwd: join(import.meta.dirname, '..') },
    );
    return stdout;
  }

  async function oneTimeCode(cloud: { url: string; token: string }, args: string[]) {
    const code = /\b99\d{16}\b/.exec(await cloudCli(cloud, ['paycode', ...args]))?.[0];
    if (code === undefined) throw new Error('cloud paycode printed no code');
    return code;
  }

  test('a one-time code from the back office pays at once; the wallet is debited once', async ({
    page,
    host,
  }) => {
    const cloud = await backOffice(host);
    const { payerId } = await cloud.admin.createPayer({
      name: '赵敏',
      phone: '13712340001',
      balanceFen: 100_000,
    });
    const item = demoProduct(6);
    await startTill(page, host);
    await scan(page, item.barcode);
    await expect(page.getByTestId('cart-line')).toHaveCount(1);
    const code = await oneTimeCode(cloud, ['--payer', payerId]);

    await scan(page, code);
    const receipt = page.getByRole('dialog', { name: '小票' });
    await expect(receipt).toBeVisible({ timeout: 15_000 });
    await expect(receipt.getByTestId('receipt-payment')).toHaveText(`¥${yuan(item.priceFen)}`);
    expect((await cloud.admin.payer(payerId)).balanceFen).toBe(100_000 - item.priceFen);
    await expect(page.locator('body')).not.toContainText(code);
  });

  test('--confirm: the till waits for the buyer until `cloud confirm`, then paid', async ({
    page,
    host,
  }) => {
    const cloud = await backOffice(host);
    const { payerId } = await cloud.admin.createPayer({
      name: '周芷若',
      phone: '13712340002',
      balanceFen: 100_000,
    });
    const item = demoProduct(7);
    await startTill(page, host);
    await scan(page, item.barcode);
    await expect(page.getByTestId('cart-line')).toHaveCount(1);
    const code = await oneTimeCode(cloud, ['--payer', payerId, '--confirm']);

    await scan(page, code);
    const status = page.getByTestId('paycode-status');
    await expect(status).toHaveAttribute('data-phase', 'waiting_for_buyer', { timeout: 15_000 });
    expect((await cloud.admin.payer(payerId)).balanceFen).toBe(100_000);
    await cloudCli(cloud, ['confirm', '--payer', payerId]);
    const receipt = page.getByRole('dialog', { name: '小票' });
    await expect(receipt).toBeVisible({ timeout: 15_000 });
    expect((await cloud.admin.payer(payerId)).balanceFen).toBe(100_000 - item.priceFen);
  });
});
