/**
 * A barcode scanner works wherever focus is and never types into the wrong field: with the
 * product search box or the cash amount focused, a scanner's burst (fast digits and Enter, as a
 * keyboard wedge sends them) puts the item in the cart and leaves the field as it was, while a
 * person typing the same digits slowly still types into the field.
 */
import { expect, test } from './fixtures';
import { demoProduct, scan, startTill, yuan } from './pos';

/** A person at the keyboard: well over the scanner detector's 30 ms average a key. */
const HUMAN_MS = 140;

test('a scan with the search box focused lands in the cart, not in the box', async ({
  page,
  host,
}) => {
  const [a, b] = [demoProduct(7), demoProduct(30)];
  await startTill(page, host);
  const cart = page.getByRole('table', { name: '购物车' });
  const search = page.getByRole('textbox', { name: '搜索商品' });

  await page.keyboard.press('F2');
  await expect(search).toBeFocused();
  await scan(page, a.barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);
  await expect(cart).toContainText(a.nameZh);
  await expect(search).toHaveValue('');
  await expect(search).toBeFocused();

  // A word typed into the box, then a scan: the word stays as it was, the item is added.
  // (A pause, as a person makes: the results are shown before the next item is scanned.)
  await page.keyboard.type('茶', { delay: HUMAN_MS });
  await expect(search).toHaveValue('茶');
  await expect(page.getByRole('option').first()).toBeVisible();
  await scan(page, b.barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(2);
  // The scanned product, not the highlighted search result: the scan's Enter never reached the box.
  await expect(cart).toContainText(b.nameZh);
  await expect(search).toHaveValue('茶');

  // The same digits typed by a person go into the box, and nothing is added.
  await search.fill('');
  await page.keyboard.type(b.barcode, { delay: HUMAN_MS });
  await expect(search).toHaveValue(b.barcode);
  await expect(search).toBeFocused();
  await expect(cart.getByTestId('cart-line')).toHaveCount(2);
});

test('a scan while taking cash adds to the sale; the typed amount stays', async ({
  page,
  host,
}) => {
  const [a, b] = [demoProduct(3), demoProduct(12)];
  await startTill(page, host);
  const cart = page.getByRole('table', { name: '购物车' });
  await scan(page, a.barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);

  await page.keyboard.press('F12');
  const payment = page.getByRole('dialog', { name: '现金收款' });
  const tendered = payment.getByLabel('实收金额（元）');
  await expect(tendered).toBeFocused();
  // The cashier types what the customer handed over, by hand.
  await page.keyboard.type('100', { delay: HUMAN_MS });
  await expect(tendered).toHaveValue('100');

  // One more item comes across the scanner: into the sale, not into the amount.
  await scan(page, b.barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(2);
  await expect(tendered).toHaveValue('100');
  await expect(tendered).toBeFocused();
  const total = a.priceFen + b.priceFen;
  await expect(payment.getByTestId('payment-due')).toHaveText(`¥${yuan(total)}`);
  await expect(payment.getByTestId('change-due')).toHaveText(`¥${yuan(10_000 - total)}`);

  await page.keyboard.press('Enter');
  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt.getByTestId('receipt-total')).toHaveText(`¥${yuan(total)}`);
});

test('a scan with another window open is refused and types nothing into it', async ({
  page,
  host,
}) => {
  const [a, b] = [demoProduct(5), demoProduct(9)];
  await startTill(page, host);
  const cart = page.getByRole('table', { name: '购物车' });
  await scan(page, a.barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);

  await page.keyboard.press('F6');
  const discount = page.getByRole('dialog', { name: '单品优惠' });
  const field = discount.getByLabel('优惠金额（元）');
  await expect(field).toBeFocused();
  await scan(page, b.barcode);
  await expect(page.getByTestId('sale-error')).toHaveText(/扫描已忽略/);
  await expect(field).toHaveValue('');
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);
});

test('a scan that stalls part-way (a busy machine) is still one scan, and the field stays clean', async ({
  page,
  host,
}) => {
  const item = demoProduct(15);
  await startTill(page, host);
  const cart = page.getByRole('table', { name: '购物车' });
  const search = page.getByRole('textbox', { name: '搜索商品' });
  await page.keyboard.press('F2');
  await expect(search).toBeFocused();

  // The first digits, then a stall longer than the detector waits (they go to the field as
  // typing), then the rest of the burst and Enter.
  await page.keyboard.type(item.barcode.slice(0, 3), { delay: 5 });
  await expect(search).toHaveValue(item.barcode.slice(0, 3));
  // (The search for those digits has answered: the stall is over before the rest comes.)
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.keyboard.type(`${item.barcode.slice(3)}\n`, { delay: 5 });
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);
  await expect(cart).toContainText(item.nameZh);
  await expect(search).toHaveValue('');
  await expect(page.getByTestId('sale-error')).toBeHidden();
});
