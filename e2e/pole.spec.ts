/**
 * The pole-display takeover end to end: the register's CD5220 bytes on a real pty, the host
 * reading the other end (--pole-display). The customer display shows the register's total and
 * the ways to pay at once; the till offers it ("收银机应收 ¥12.30", Enter to confirm) and nothing
 * moves without the cashier; Dismiss and the register's own clear take the offer away; a
 * confirmed total is a sale of exactly that amount, paid in cash at the till with a receipt.
 */
import iconv from 'iconv-lite';
import { expect, test } from './fixtures';
import { startTill } from './pos';

test.use({ poleDisplay: true });

const ESC = 0x1b;
const gb = (text: string) => Buffer.from(iconv.encode(text, 'gb18030'));
const line = (row: 'A' | 'B', text: string) =>
  Buffer.concat([Buffer.from([ESC, 0x51, row.charCodeAt(0)]), gb(text), Buffer.from([0x0d])]);

test('the register’s total reaches the customer display, waits for the cashier, is paid at the till', async ({
  page,
  context,
  host,
  pole,
}) => {
  if (pole === null) throw new Error('the pole-display line is missing');
  await startTill(page, host);
  const display = await context.newPage();
  await display.goto(host.screen('/customer'));
  await expect(display.getByTestId('customer-welcome')).toBeVisible();

  pole.write(
    Buffer.concat([Buffer.from([ESC, 0x40, 0x0c]), line('A', '合计 TOTAL'), line('B', '¥12.30')]),
  );

  const shown = display.getByTestId('customer-register');
  await expect(shown.getByTestId('customer-register-amount')).toHaveText('¥12.30');
  await expect(shown).toContainText('应付金额');
  await expect(shown.getByRole('list', { name: '支付方式' })).toContainText('刷脸支付');

  const offer = page.getByTestId('pole-offer');
  await expect(offer).toContainText('收银机应收');
  await expect(offer.getByTestId('pole-offer-amount')).toHaveText('¥12.30');

  // Dismiss (Enter on its button dismisses; Enter takes the total only from the till's field):
  // the offer goes; the customer display still shows what the register shows.
  await offer.getByRole('button', { name: '忽略' }).focus();
  await page.keyboard.press('Enter');
  await expect(offer).toBeHidden();
  await expect(shown.getByTestId('customer-register-amount')).toHaveText('¥12.30');

  // A new total is offered again; the register clearing its display takes everything away.
  pole.write(line('B', '¥15.00'));
  await expect(offer.getByTestId('pole-offer-amount')).toHaveText('¥15.00');
  pole.write(Buffer.from([0x0c]));
  await expect(offer).toBeHidden();
  await expect(display.getByTestId('customer-welcome')).toBeVisible();

  // The register's next total: Enter takes it as an open sale of exactly that amount (an
  // order of the pole display's register), the cashier takes cash, the receipt follows.
  pole.write(Buffer.concat([line('A', '合计 TOTAL'), line('B', '¥15.00')]));
  await expect(offer.getByTestId('pole-offer-amount')).toHaveText('¥15.00');
  await page.keyboard.press('Enter');
  await expect(offer).toBeHidden();
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await expect(page.getByTestId('cart-total')).toHaveText('¥15.00');
  await page.keyboard.press('F12');
  const payment = page.getByRole('dialog', { name: '现金收款' });
  await expect(payment.getByLabel('实收金额（元）')).toBeFocused();
  await page.keyboard.type('20');
  await page.keyboard.press('Enter');
  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt.getByTestId('receipt-total')).toHaveText('¥15.00');
  await expect(receipt.getByTestId('receipt-change')).toHaveText('¥5.00');
  await page.keyboard.press('Escape');
  await expect(receipt).toBeHidden();
  await expect(page.getByTestId('cart-line')).toHaveCount(0);
});
