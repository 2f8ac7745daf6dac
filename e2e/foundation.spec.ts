/**
 * The foundation's vertical slice in a real browser: a cashier scans two products, takes cash
 * with change; the customer display follows the cart while it is built; the manager's daily
 * report shows the sale; and the sale is in the ledger's SQLite file. zh-CN is the default
 * language, so the labels are Chinese, as a cashier in the shop sees them.
 */
import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { formatYuan } from '../main/contract';
import { DEMO_PRODUCTS } from '../main/ledger/demo-catalog';
import { expect, test } from './fixtures';

function yuan(fen: number): string {
  return formatYuan(fen).replace('¥', '');
}

/** A barcode scanner is a keyboard wedge: fast keystrokes, then Enter. */
async function scan(page: Page, barcode: string): Promise<void> {
  await page.keyboard.type(`${barcode}\n`, { delay: 5 });
}

test('scan two products, pay cash with change, customer display follows, manager report shows it', async ({
  page,
  context,
  host,
}) => {
  const [first, second] = [DEMO_PRODUCTS[3], DEMO_PRODUCTS[42]];
  if (!first || !second) throw new Error('demo catalogue too small');
  const total = first.priceFen + second.priceFen;

  const customer = await context.newPage();
  await customer.goto(host.screen('/customer'));
  await expect(customer.getByTestId('customer-welcome')).toBeVisible();

  await page.goto(host.screen('/'));
  // The demo shop's cashier signs in with the PIN printed at first start (see README).
  const signIn = page.getByRole('dialog', { name: '登录' });
  await signIn.getByLabel('密码', { exact: true }).fill('1234');
  await signIn.getByRole('button', { name: '登录' }).click();
  const openShift = page.getByRole('dialog', { name: '开班' });
  await openShift.getByLabel('备用金（元）').fill('200');
  await openShift.getByRole('button', { name: '开班' }).click();
  await expect(openShift).toBeHidden();

  await expect(page.getByLabel('条码')).toBeFocused();
  await scan(page, first.barcode);
  const cart = page.getByRole('table', { name: '购物车' });
  await expect(cart.getByTestId('cart-line')).toHaveCount(1);
  // The customer display shows the cart while it is being built, not only at the end.
  await expect(customer.getByTestId('customer-line')).toHaveCount(1);
  await expect(customer.getByRole('list', { name: '您的商品' })).toContainText(first.nameZh);

  await scan(page, second.barcode);
  await expect(cart.getByTestId('cart-line')).toHaveCount(2);
  await expect(page.getByTestId('cart-total')).toContainText(yuan(total));
  await expect(customer.getByTestId('customer-line')).toHaveCount(2);
  await expect(customer.getByTestId('customer-total')).toContainText(yuan(total));

  const tenderedYuan = Math.ceil((total + 1) / 10_000) * 100;
  const change = tenderedYuan * 100 - total;
  await page.keyboard.press('F12');
  const payment = page.getByRole('dialog', { name: '现金收款' });
  await payment.getByLabel('实收金额（元）').fill(String(tenderedYuan));
  await expect(payment.getByTestId('change-due')).toContainText(yuan(change));
  await payment.getByRole('button', { name: '确认收款' }).click();

  const receipt = page.getByRole('dialog', { name: '小票' });
  await expect(receipt.getByTestId('receipt-total')).toContainText(yuan(total));
  await expect(receipt.getByTestId('receipt-change')).toContainText(yuan(change));
  const receiptNo = (await receipt.getByTestId('receipt-no').innerText()).trim();
  await expect(receipt.getByTestId('receipt-cashier')).toHaveText('李收银');
  await expect(customer.getByTestId('customer-paid')).toBeVisible();
  await expect(customer.getByTestId('customer-change')).toContainText(yuan(change));

  const manager = await context.newPage();
  await manager.goto(host.screen('/manager'));
  // The reports are behind a manager's PIN.
  const gate = manager.getByRole('dialog', { name: '店长登录' });
  await gate.getByLabel('店长密码', { exact: true }).fill('888888');
  await gate.getByRole('button', { name: '查看报表' }).click();
  await expect(manager.getByTestId('report-sales-count')).toHaveText('1');
  await expect(manager.getByTestId('report-net')).toContainText(yuan(total));

  // The sale is whole in the ledger file: sale, both lines, the cash payment with its change.
  const db = new Database(join(host.dataDir, 'ledger.db'), { readonly: true });
  try {
    const sale = db
      .prepare("SELECT id, receipt_no, total_fen, change_fen FROM sales WHERE status = 'completed'")
      .all() as { id: string; receipt_no: string; total_fen: number; change_fen: number }[];
    expect(sale).toHaveLength(1);
    expect(receiptNo).toContain(sale[0]?.receipt_no ?? '?');
    expect(sale[0]?.total_fen).toBe(total);
    expect(sale[0]?.change_fen).toBe(change);
    const lines = db.prepare('SELECT sku FROM sale_lines WHERE sale_id = ?').all(sale[0]?.id);
    expect(lines).toHaveLength(2);
    const pay = db
      .prepare('SELECT method, amount_fen, tendered_fen FROM payments WHERE sale_id = ?')
      .all(sale[0]?.id);
    expect(pay).toEqual([{ method: 'cash', amount_fen: total, tendered_fen: tenderedYuan * 100 }]);
    // Recorded for the cashier who signed in, on the sale and on its payment.
    const who = db
      .prepare(
        `SELECT st.name AS sale_by, (SELECT name FROM staff WHERE id = p.operator_id) AS paid_by
         FROM sales s JOIN staff st ON st.id = s.operator_id JOIN payments p ON p.sale_id = s.id
         WHERE s.id = ?`,
      )
      .get(sale[0]?.id);
    expect(who).toEqual({ sale_by: '李收银', paid_by: '李收银' });
  } finally {
    db.close();
  }
});
