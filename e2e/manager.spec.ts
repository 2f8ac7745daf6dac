/**
 * The manager's report for a day of trade: behind the manager's PIN, the key figures, both
 * charts, the shifts, and the report downloaded as CSV and PDF with their contents checked (the
 * PDF's text holds the day's net total).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import type { DailyReport } from '../main/contract';
import { BAR_COLOUR, METHOD_COLOURS } from '../renderer/src/features/charts/chartData';
import { hourRange, todayIn } from '../renderer/src/lib/time';
import { asCashier, demoProduct, FIRST_STEP_MS, MANAGER_PIN, yuan } from './pos';
import { fillsNear, pdfFillsByColour, pdfText } from './pdf-text';

test('the daily report: PIN, figures, charts, CSV and PDF', async ({ page, host }, testInfo) => {
  // A day of trade through the contract: cash and card sales, one refund.
  const [a, b, c] = [demoProduct(3), demoProduct(11), demoProduct(42)];
  let cashFen = 0;
  let cardFen = 0;
  let cashPaidFen = 0;
  let refundFen = 0;
  const net = await asCashier(host, async (api) => {
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
    cashPaidFen = paidCash.totalFen;
    refundFen = refund.amountFen;
    cashFen = paidCash.totalFen - refund.amountFen;
    cardFen = second.totalFen;
    return paidCash.totalFen + second.totalFen - refund.amountFen;
  });
  // The ledger's own figures for the day, read as the manager (a session on that connection).
  const report: DailyReport = await asCashier(host, async (api) => {
    await api.invoke('manager.signIn', { pin: MANAGER_PIN });
    const { timezone } = await api.invoke('system.info', {});
    return api.invoke('report.daily', { businessDate: todayIn(timezone) });
  });

  await page.goto(host.screen('/manager'));
  const gate = page.getByRole('dialog', { name: '店长登录' });
  await gate.getByLabel('店长密码', { exact: true }).fill('1234');
  await gate.getByRole('button', { name: '查看报表' }).click();
  await expect(gate.getByRole('alert')).toHaveText('密码错误', { timeout: FIRST_STEP_MS });
  await gate.getByLabel('店长密码', { exact: true }).fill(MANAGER_PIN);
  await gate.getByRole('button', { name: '查看报表' }).click();
  await expect(gate).toBeHidden();

  await expect(page.getByTestId('report-net')).toHaveText(`¥${yuan(net)}`);
  await expect(page.getByTestId('report-sales-count')).toHaveText('2');
  // Sales by hour: one bar for each hour with sales (the ledger's hours, not a fixed count),
  // and the same figures in the chart's table for screen readers.
  const byHour = page.getByTestId('chart-by-hour');
  await expect(byHour.getByRole('img', { name: '各时段净销售额' })).toBeVisible();
  const sold = report.byHour.filter((h) => h.netFen > 0);
  expect(sold.length).toBeGreaterThan(0);
  await expect(byHour.locator('path.recharts-rectangle')).toHaveCount(sold.length);
  const hourTable = byHour.getByRole('table', { name: '各时段净销售额（数据）' });
  const label = (hour: number): string => String(hour).padStart(2, '0');
  await expect(byHour.locator('.recharts-cartesian-axis-tick-value')).toContainText(
    sold.map((h) => label(h.hour)),
  );
  for (const h of sold) {
    await expect(
      hourTable.getByRole('row', { name: new RegExp(`^${label(h.hour)}:00`) }),
    ).toContainText(`¥${yuan(h.netFen)}`);
  }
  // The mix: a slice for each method that took money, the shares in the legend.
  const methods = page.getByTestId('chart-methods');
  await expect(methods.getByRole('img', { name: '支付方式构成' })).toBeVisible();
  await expect(methods.locator('path.recharts-sector')).toHaveCount(2);
  const share = (fen: number): string => `${((fen * 100) / (cashFen + cardFen)).toFixed(1)}%`;
  await expect(methods.getByTestId('mix-entry')).toHaveText([
    `现金¥${yuan(cashFen)} · ${share(cashFen)}`,
    `银行卡¥${yuan(cardFen)} · ${share(cardFen)}`,
  ]);
  // The payment mix by channel: paid, refunds and net per method; the nets total the day's net.
  const mix = page.getByTestId('report-payment-mix');
  await expect(mix.locator('[data-method="cash"]')).toHaveText(
    `现金收银台记录1¥${yuan(cashPaidFen)}1¥${yuan(refundFen)}¥${yuan(cashFen)}`,
  );
  await expect(mix.locator('[data-method="card"]')).toContainText(`¥${yuan(cardFen)}`);
  await expect(mix.getByTestId('mix-net')).toHaveText(`¥${yuan(net)}`);
  // 对账: this terminal has no acquirer configured, and says so (nothing to set against).
  const reconcile = page.getByTestId('reconcile-panel');
  await reconcile.getByRole('button', { name: '对账' }).click();
  await expect(reconcile.getByTestId('reconcile-error')).toContainText('本终端无法在此执行该操作');
  await expect(page.getByRole('table', { name: '退款记录' })).toContainText('damaged');
  const shifts = page.getByRole('table', { name: '班次与现金清点' });
  await expect(shifts).toContainText('进行中');
  // Who opened the shift: the cashier signed in at the till.
  await expect(shifts.getByTestId('shift-opened-by')).toHaveText('李收银');
  await expect(page.getByTestId('sync-pending')).toHaveText(/^\d+$/);

  const csvDownload = page.waitForEvent('download');
  // The day's report's own export (the period report below has one too).
  await page.getByTestId('report-controls').getByRole('button', { name: '导出 CSV' }).click();
  const csvFile = testInfo.outputPath('daily-report.csv');
  await (await csvDownload).saveAs(csvFile);
  const csv = readFileSync(csvFile, 'utf8');
  expect(csv).toContain(`净销售额,${yuan(net)}`);
  expect(csv).toContain(`${c.sku},${c.nameZh},`);
  expect(csv).toContain(
    `现金,收银台记录,1,${yuan(cashPaidFen)},1,${yuan(refundFen)},${yuan(cashFen)}`,
  );

  const pdfDownload = page.waitForEvent('download');
  await page.getByTestId('report-controls').getByRole('button', { name: '导出 PDF' }).click();
  const download = await pdfDownload;
  expect(download.suggestedFilename()).toMatch(/^daily-report-\d{4}-\d{2}-\d{2}\.pdf$/);
  const pdfFile = testInfo.outputPath('daily-report.pdf');
  await download.saveAs(pdfFile);
  const text = (await pdfText(pdfFile)).join('\n');
  expect(text).toContain('Daily sales report');
  expect(text).toContain('Demo Mart');
  expect(text).toMatch(new RegExp(`Net sales\\s+¥${yuan(net).replace('.', '\\.')}`));
  expect(text).toContain(c.nameEn);
  // The charts are in the PDF too: the hours under the bars, the mix with its shares.
  // (The axis label stands alone; the hourly table below it writes "09:00–10:00".)
  for (const h of sold) {
    expect(text).toMatch(new RegExp(`(^|\\s)${label(h.hour)}(\\s|$)`));
    expect(text).toMatch(
      new RegExp(`${hourRange(h.hour)}\\s+${h.count}\\s+¥${yuan(h.netFen).replace('.', '\\.')}`),
    );
  }
  expect(text).toContain(`Card: ¥${yuan(cardFen)} (${share(cardFen)})`);
  // ...drawn as vectors: a bar for each hour with sales, a slice and a swatch for each method.
  const fills = await pdfFillsByColour(pdfFile);
  expect(fillsNear(fills, BAR_COLOUR)).toBe(sold.length);
  expect(fillsNear(fills, METHOD_COLOURS.cash)).toBe(2);
  expect(fillsNear(fills, METHOD_COLOURS.card)).toBe(2);
});
