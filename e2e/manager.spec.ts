/**
 * The manager's report for a day of trade: behind the manager's PIN, the key figures, both
 * charts, the shifts, and the report downloaded as CSV and PDF with their contents checked (the
 * PDF's text holds the day's net total).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import { asCashier, demoProduct, FIRST_STEP_MS, MANAGER_PIN, yuan } from './pos';
import { pdfText } from './pdf-text';

test('the daily report: PIN, figures, charts, CSV and PDF', async ({ page, host }, testInfo) => {
  // A day of trade through the contract: cash and card sales, one refund.
  const [a, b, c] = [demoProduct(3), demoProduct(11), demoProduct(42)];
  const net = await asCashier(host.url, async (api) => {
    await api.invoke('shift.open', { floatFen: 20_000 });
    const first = await api.invoke('sale.addItem', { barcode: a.barcode, qty: 2 });
    const paidCash = await api.invoke('sale.pay', {
      saleId: first.id,
      method: 'cash',
      amountFen: first.totalFen,
      tenderedFen: 10_000,
    });
    await api.invoke('sale.addItem', { barcode: b.barcode });
    const second = await api.invoke('sale.addItem', { barcode: c.barcode });
    await api.invoke('sale.pay', { saleId: second.id, method: 'card', amountFen: second.totalFen });
    const refund = await api.invoke('refund.create', {
      saleId: paidCash.id,
      lines: [{ lineNo: 1, qty: 1 }],
      reason: 'damaged',
      managerPin: MANAGER_PIN,
    });
    return paidCash.totalFen + second.totalFen - refund.amountFen;
  });

  await page.goto(`${host.url}/manager`);
  const gate = page.getByRole('dialog', { name: '店长登录' });
  await gate.getByLabel('店长密码', { exact: true }).fill('1234');
  await gate.getByRole('button', { name: '查看报表' }).click();
  await expect(gate.getByRole('alert')).toHaveText('密码错误', { timeout: FIRST_STEP_MS });
  await gate.getByLabel('店长密码', { exact: true }).fill(MANAGER_PIN);
  await gate.getByRole('button', { name: '查看报表' }).click();
  await expect(gate).toBeHidden();

  await expect(page.getByTestId('report-net')).toHaveText(`¥${yuan(net)}`);
  await expect(page.getByTestId('report-sales-count')).toHaveText('2');
  await expect(page.getByRole('img', { name: '各时段净销售额' })).toBeVisible();
  await expect(page.getByRole('img', { name: '支付方式构成' })).toBeVisible();
  await expect(page.getByTestId('chart-methods')).toContainText('银行卡');
  await expect(page.getByRole('table', { name: '退款记录' })).toContainText('damaged');
  const shifts = page.getByRole('table', { name: '班次与现金清点' });
  await expect(shifts).toContainText('进行中');
  // Who opened the shift: the cashier signed in at the till.
  await expect(shifts.getByTestId('shift-opened-by')).toHaveText('李收银');
  await expect(page.getByTestId('sync-pending')).toHaveText(/^\d+$/);

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 CSV' }).click();
  const csvFile = testInfo.outputPath('daily-report.csv');
  await (await csvDownload).saveAs(csvFile);
  const csv = readFileSync(csvFile, 'utf8');
  expect(csv).toContain(`净销售额,¥${yuan(net)}`);
  expect(csv).toContain(`${c.sku},${c.nameZh},`);

  const pdfDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 PDF' }).click();
  const download = await pdfDownload;
  expect(download.suggestedFilename()).toMatch(/^daily-report-\d{4}-\d{2}-\d{2}\.pdf$/);
  const pdfFile = testInfo.outputPath('daily-report.pdf');
  await download.saveAs(pdfFile);
  const text = (await pdfText(pdfFile)).join('\n');
  expect(text).toContain('Daily sales report');
  expect(text).toContain('Demo Mart');
  expect(text).toMatch(new RegExp(`Net sales\\s+¥${yuan(net).replace('.', '\\.')}`));
  expect(text).toContain(c.nameEn);
});
