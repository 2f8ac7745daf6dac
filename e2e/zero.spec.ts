/**
 * Issue 12, part 9 leftovers: a ¥0.00 sale (100 % off, approved by the manager) completes from
 * F12 without a payment, and at 1366×768 the search results and a category's products sit above
 * the key bar instead of under it.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { demoProduct, MANAGER_PIN, scan, startTill } from './pos';

test('a 100 % discount approved by the manager: F12 completes the sale at ¥0.00, no payment', async ({
  page,
  host,
}) => {
  await startTill(page, host);
  const cola = demoProduct(3);
  await scan(page, cola.barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);

  // F7: the whole sale 100 % off, beyond the cashier's limit, so with the manager's PIN.
  await page.keyboard.press('F7');
  const discount = page.getByRole('dialog', { name: '整单优惠' });
  await discount.getByRole('radio', { name: '百分比（%）' }).click();
  await discount.getByLabel('优惠比例（%）').fill('100');
  await discount.getByLabel('店长密码', { exact: true }).fill(MANAGER_PIN);
  await discount.getByRole('button', { name: '确认优惠' }).click();
  await expect(discount).toBeHidden();

  // F12 offers the one thing left to do: complete at ¥0.00 (no tender, no face pay).
  await page.keyboard.press('F12');
  const zero = page.getByRole('dialog', { name: '无需付款' });
  await expect(zero.getByTestId('payment-due')).toHaveText('¥0.00');
  const complete = zero.getByRole('button', { name: '以 ¥0.00 完成' });
  await expect(complete).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(zero).toBeHidden();

  // The receipt: a number, total ¥0.00, no tender and no change line.
  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt).toBeVisible();
  await expect(receipt.getByTestId('receipt-change')).toHaveCount(0);

  const db = new Database(join(host.dataDir, 'ledger.db'), { readonly: true });
  try {
    const sale = db
      .prepare("SELECT id, total_fen, paid_fen, receipt_no FROM sales WHERE status = 'completed'")
      .all() as { id: string; total_fen: number; paid_fen: number; receipt_no: string }[];
    expect(sale).toHaveLength(1);
    expect([sale[0]?.total_fen, sale[0]?.paid_fen]).toEqual([0, 0]);
    expect(sale[0]?.receipt_no).toBeTruthy();
    await expect(receipt).toContainText(sale[0]?.receipt_no ?? '');
    const payments = db.prepare('SELECT count(*) AS n FROM payments').get();
    expect(payments).toEqual({ n: 0 });
    const events = db.prepare("SELECT count(*) AS n FROM outbox WHERE type = 'sale.completed'");
    expect(events.get()).toEqual({ n: 1 });
  } finally {
    db.close();
  }
});

test('a sale with something to pay shows no ¥0.00 completion', async ({ page, host }) => {
  await startTill(page, host);
  await scan(page, demoProduct(3).barcode);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);
  await page.keyboard.press('F12');
  await expect(page.getByRole('dialog', { name: '现金收款' })).toBeVisible();
  await expect(page.getByRole('dialog', { name: '无需付款' })).toHaveCount(0);
});

async function bottomOf(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (box === null) throw new Error('not rendered');
  return box.y + box.height;
}

async function keyBarTop(page: Page): Promise<number> {
  const box = await page.getByRole('navigation', { name: '功能键' }).boundingBox();
  if (box === null) throw new Error('no key bar');
  return box.y;
}

test.describe('at 1366×768', () => {
  test.use({ viewport: { width: 1366, height: 768 } });

  test('the second search result and a category’s products end above the key bar', async ({
    page,
    host,
  }) => {
    await startTill(page, host);
    const top = await keyBarTop(page);

    await page.keyboard.press('F2');
    await page.keyboard.type('可乐');
    const options = page.getByRole('option');
    await expect(options.nth(1)).toBeVisible();
    expect(await bottomOf(options.nth(1))).toBeLessThanOrEqual(top);

    // Leave the search; open a category: its first rows of products are in view.
    await page.keyboard.press('Escape');
    const categories = page.getByRole('region', { name: '商品分类' });
    await categories.getByRole('button', { name: '饮料' }).click();
    const tiles = categories.locator('.tiles--products .tile');
    await expect(tiles.first()).toBeVisible();
    for (let i = 0; i < 4; i += 1) expect(await bottomOf(tiles.nth(i))).toBeLessThanOrEqual(top);
    expect(await bottomOf(categories)).toBeLessThanOrEqual(top);
  });
});
