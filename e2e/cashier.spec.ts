/**
 * The cashier at work, found by role and label as a person would: a whole sale by keyboard
 * alone, a line discount with split tender, hold and recall, and a refund that needs the
 * manager's PIN (a wrong PIN is refused).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { makeEan13 } from '../main/contract';
import { expect, test } from './fixtures';
import { demoProduct, scan, startTill, yuan } from './pos';

test('a whole sale by keyboard alone: scan, search, quantity, pay cash, next sale', async ({
  page,
  host,
}) => {
  const cola = demoProduct(3);
  await startTill(page, host);
  const cart = page.getByRole('table', { name: '购物车' });

  await scan(page, cola.barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);
  // '+' adds one more of the selected (last scanned) line.
  await page.keyboard.press('+');
  await expect(cart.getByTestId('line-qty')).toHaveText('2');

  // An unknown barcode is explained, never a stack trace.
  const unknown = makeEan13('690999999999');
  await scan(page, unknown);
  await expect(page.getByTestId('sale-error')).toHaveText(
    new RegExp(`没有条码为 ${unknown} 的商品`),
  );
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('sale-error')).toBeHidden();

  // F2 searches by name; arrows and Enter add the highlighted product.
  await page.keyboard.press('F2');
  await expect(page.getByRole('textbox', { name: '搜索商品' })).toBeFocused();
  await page.keyboard.type('矿泉水');
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(cart.getByTestId('cart-line')).toHaveCount(2);
  await expect(page.getByLabel('条码')).toBeFocused();

  // F12 pays; the tendered amount is typed and Enter confirms.
  const total = await page.getByTestId('cart-total').innerText();
  await page.keyboard.press('F12');
  const payment = page.getByRole('dialog', { name: '现金收款' });
  await expect(payment.getByLabel('实收金额（元）')).toBeFocused();
  await page.keyboard.type('100');
  await expect(payment.getByTestId('change-due')).not.toHaveText('—');
  await page.keyboard.press('Enter');
  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt.getByTestId('receipt-total')).toHaveText(total);
  // Esc puts the receipt away; the next sale starts from an empty cart.
  await page.keyboard.press('Escape');
  await expect(receipt).toBeHidden();
  await expect(cart.getByTestId('cart-line')).toHaveCount(0);
  await expect(page.getByLabel('条码')).toBeFocused();

  // F1 lists the keys.
  await page.keyboard.press('F1');
  const help = page.getByRole('dialog', { name: '快捷键' });
  await expect(help.getByRole('row', { name: /F8/ })).toContainText('小票与退货');
  // Every key the till answers to is listed, face pay's F11 too, and sits in the key bar.
  await expect(help.getByRole('row', { name: /F11/ })).toContainText('刷脸支付');
  await expect(help.getByRole('row', { name: /↓/ })).toContainText('选择下一行');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  const keyBar = page.getByRole('navigation', { name: '功能键' });
  await expect(keyBar.locator('[aria-keyshortcuts="F11"]')).toContainText('刷脸支付');
});

test('a line discount and split tender: part by card, the rest in cash', async ({ page, host }) => {
  const [a, b] = [demoProduct(11), demoProduct(60)];
  await startTill(page, host);
  await scan(page, a.barcode);
  await scan(page, b.barcode);
  const cart = page.getByRole('table', { name: '购物车' });
  await expect(cart.getByTestId('cart-line')).toHaveCount(2);

  // ↑ selects the first line; F6 gives it a discount (within the 20 % limit: no PIN).
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('F6');
  const discount = page.getByRole('dialog', { name: '单品优惠' });
  const off = Math.floor(a.priceFen * 0.1);
  await discount.getByLabel('优惠金额（元）').fill(yuan(off));
  await discount.getByRole('button', { name: '确认优惠' }).click();
  await expect(discount).toBeHidden();
  await expect(cart.getByTestId('cart-line').first()).toContainText(`优惠 ¥${yuan(off)}`);
  const total = a.priceFen + b.priceFen - off;
  await expect(page.getByTestId('cart-total')).toHaveText(`¥${yuan(total)}`);

  // Card for part of it...
  await page.keyboard.press('F12');
  await page.keyboard.press('Alt+2');
  const card = page.getByRole('dialog', { name: '银行卡收款' });
  const byCard = 1000;
  await card.getByLabel('收款金额（元）').fill(yuan(byCard));
  await card.getByRole('button', { name: '确认收款' }).click();
  await expect(card.getByTestId('payment-due')).toHaveText(`¥${yuan(total - byCard)}`);
  // ...the rest in cash.
  await card.getByRole('radio', { name: /现金/ }).click();
  const cash = page.getByRole('dialog', { name: '现金收款' });
  await cash.getByLabel('实收金额（元）').fill('100');
  await cash.getByRole('button', { name: '确认收款' }).click();

  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt.getByTestId('receipt-total')).toHaveText(`¥${yuan(total)}`);
  await expect(receipt.getByTestId('receipt-payment')).toHaveText([
    `¥${yuan(byCard)}`,
    `¥${yuan(total - byCard)}`,
  ]);
  await expect(receipt.getByTestId('receipt-change')).toHaveText(
    `¥${yuan(10_000 - (total - byCard))}`,
  );

  const db = new Database(join(host.dataDir, 'ledger.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT method, amount_fen FROM payments ORDER BY id').all() as {
      method: string;
      amount_fen: number;
    }[];
    expect(rows).toEqual([
      { method: 'card', amount_fen: byCard },
      { method: 'cash', amount_fen: total - byCard },
    ]);
  } finally {
    db.close();
  }
});

test('hold a sale, serve another customer, recall the first', async ({ page, host }) => {
  const [a, b] = [demoProduct(5), demoProduct(20)];
  await startTill(page, host);
  const cart = page.getByRole('table', { name: '购物车' });
  await scan(page, a.barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);
  await page.keyboard.press('F4');
  await expect(page.getByTestId('notice')).toHaveText(/已挂单/);
  await expect(cart.getByTestId('cart-line')).toHaveCount(0);

  // Another customer meanwhile: recalling now is refused until this sale is done.
  await scan(page, b.barcode);
  await expect(cart).toContainText(b.nameZh);
  await page.keyboard.press('F12');
  await page.getByRole('dialog', { name: '现金收款' }).getByLabel('实收金额（元）').fill('100');
  await page.keyboard.press('Enter');
  await page.getByRole('dialog', { name: '小票' }).getByRole('button', { name: '新交易' }).click();

  await page.keyboard.press('F5');
  const held = page.getByRole('dialog', { name: '挂单列表' });
  await expect(held.getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(held).toBeHidden();
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);
  await expect(cart).toContainText(a.nameZh);
});

test('a refund by receipt number needs the manager PIN; a wrong PIN is refused', async ({
  page,
  host,
}) => {
  const [a, b] = [demoProduct(3), demoProduct(42)];
  await startTill(page, host);
  await scan(page, a.barcode);
  await scan(page, b.barcode);
  await page.keyboard.press('F12');
  await page.getByRole('dialog', { name: '现金收款' }).getByLabel('实收金额（元）').fill('100');
  await page.keyboard.press('Enter');
  const receipt = page.getByRole('dialog', { name: '小票' });
  const receiptNo = (await receipt.getByTestId('receipt-no').innerText()).trim();
  await page.keyboard.press('Escape');

  await page.keyboard.press('F8');
  const dialog = page.getByRole('dialog', { name: '小票与退货' });
  await expect(dialog.getByLabel('小票号')).toHaveValue(receiptNo);
  await dialog.getByRole('button', { name: '查找' }).click();
  await dialog.getByRole('checkbox', { name: b.nameZh }).check();
  await dialog.getByLabel('退货原因').fill('包装破损');
  await dialog.getByLabel('店长密码').fill('0000');
  await dialog.getByRole('button', { name: '退所选商品' }).click();
  await expect(dialog.getByTestId('receipts-error')).toHaveText('密码错误');
  await expect(dialog.getByTestId('refund-done')).toHaveCount(0);

  await dialog.getByLabel('店长密码').fill('888888');
  await dialog.getByRole('button', { name: '退所选商品' }).click();
  await expect(dialog.getByTestId('refund-done')).toContainText(`¥${yuan(b.priceFen)}`);
  await expect(dialog.getByTestId('receipt-refunded')).toHaveText(`−¥${yuan(b.priceFen)}`);

  // The rest, then more than was paid: refused in words.
  await dialog.getByLabel('店长密码').fill('888888');
  await dialog.getByRole('button', { name: '全部退货' }).click();
  await expect(dialog.getByTestId('receipt-refunded')).toHaveText(
    `−¥${yuan(a.priceFen + b.priceFen)}`,
  );
  await dialog.getByLabel('店长密码').fill('888888');
  await dialog.getByRole('button', { name: '全部退货' }).click();
  await expect(dialog.getByTestId('receipts-error')).toHaveText('退款金额超过实付金额');

  const db = new Database(join(host.dataDir, 'ledger.db'), { readonly: true });
  try {
    const approval = db.prepare('SELECT action FROM approvals').all();
    expect(approval).toEqual([{ action: 'refund' }, { action: 'refund' }]);
  } finally {
    db.close();
  }
});
