/**
 * The receipt printer at the till: the host's printer is a file (--printer-file) that receives
 * exactly the bytes a device would. A cash sale opens the drawer and prints the receipt by
 * itself; Print on the receipt and Reprint in F8 send copies marked 重印 / REPRINT.
 */
import { readFileSync, existsSync } from 'node:fs';
import iconv from 'iconv-lite';
import { expect, test } from './fixtures';
import { demoProduct, startTill } from './pos';

test.use({ printer: true });

/** ESC p 0 25 250: pulse pin 2 for 50 ms (the drawer); ESC @ FS &: a receipt begins. */
const KICK = '1b700019fa';
const RECEIPT_START = '1b401c26';
const CUT = '1d564200';

const gb = (text: string): string => Buffer.from(iconv.encode(text, 'gb18030')).toString('hex');

test('a cash sale kicks the drawer and prints the receipt; Print and F8 reprint it', async ({
  page,
  host,
}) => {
  const printerFile = host.printerFile ?? '';
  const printed = (): string =>
    existsSync(printerFile) ? readFileSync(printerFile).toString('hex') : '';

  await startTill(page, host);
  const cart = page.getByRole('table', { name: '购物车' });
  const indicator = page.getByTestId('printer-state');
  await expect(indicator).toHaveAttribute('data-state', 'ready');
  await expect(indicator).toHaveText('打印机就绪');

  // Typed into the barcode field (not the scanner's keystroke timing, which a busy machine can
  // stretch): this test is about what reaches the printer.
  const barcode = page.getByLabel('条码');
  for (const [n, index] of [3, 11].entries()) {
    await barcode.fill(demoProduct(index).barcode);
    await barcode.press('Enter');
    await expect(cart.getByTestId('cart-line')).toHaveCount(n + 1);
  }
  await page.keyboard.press('F12');
  await page.getByRole('dialog', { name: '现金收款' }).getByLabel('实收金额（元）').fill('100');
  await page.keyboard.press('Enter');
  const receipt = page.getByRole('dialog', { name: '小票' });
  const receiptNo = (await receipt.getByTestId('receipt-no').innerText()).trim();
  expect(receiptNo).toMatch(/^T01-\d{6}$/);

  // The drawer first, then the receipt, to its cut (GS V 66 0), with its number in words and in
  // the QR code (GS ( k Function 180: 10 bytes + 3).
  await expect.poll(printed).toMatch(new RegExp(`${CUT}$`));
  const first = printed();
  expect(first.startsWith(KICK + RECEIPT_START)).toBe(true);
  expect(first).toContain(gb(`单号: ${receiptNo}`));
  expect(first).toContain(`1d286b0d00315030${gb(receiptNo)}`);
  expect(first.split(KICK).length - 1).toBe(1);
  expect(first).not.toContain(gb('重印'));

  // Print on the receipt: another copy, marked as a reprint, and no drawer.
  await receipt.getByRole('button', { name: '打印' }).click();
  await expect(receipt.getByTestId('print-done')).toHaveText('已打印重印小票（标注“重印”）');
  const second = printed().slice(first.length);
  expect(second.startsWith(RECEIPT_START)).toBe(true);
  expect(second).toContain(gb('** 重印 REPRINT **'));
  expect(second).toContain(gb(receiptNo));
  expect(second).not.toContain(KICK);
  await page.keyboard.press('Escape');

  // F8, find the receipt, reprint it.
  await page.keyboard.press('F8');
  const dialog = page.getByRole('dialog', { name: '小票与退货' });
  await dialog.getByRole('button', { name: '查找' }).click();
  await dialog.getByRole('button', { name: '重印小票' }).click();
  await expect(dialog.getByTestId('reprint-done')).toBeVisible();
  expect(printed().split(gb('** 重印 REPRINT **')).length - 1).toBe(2);
  await expect(indicator).toHaveAttribute('data-state', 'ready');
});
