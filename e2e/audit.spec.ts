/**
 * Trust on the screen: a paid sale edited in the ledger file behind the till's back (1 yuan
 * less, every total kept consistent, as a fraudster would) is found by the manager's "check
 * now"; the manager's audit panel names the first bad row, and the cashier's screen, open all
 * along, raises the banner naming the same row.
 */
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { underRecordLive } from '../main/ledger/test-support/tamper';
import { asCashier, demoProduct, FIRST_STEP_MS, signIn, unlockManager } from './pos';

test('a tampered ledger: the manager check names the row, the cashier sees the banner', async ({
  page,
  context,
  host,
}) => {
  const saleId = await asCashier(host, async (api) => {
    await api.invoke('shift.open', { floatFen: 0 });
    const sale = await api.invoke('sale.addItem', { barcode: demoProduct(7).barcode, qty: 1 });
    await api.invoke('sale.pay', { saleId: sale.id, method: 'card', amountFen: sale.totalFen });
    return sale.id;
  });
  // The cashier's screen, open all along (the shift is already open).
  await page.goto(host.screen('/'));
  await signIn(page);
  await expect(page.getByTestId('audit-banner')).toHaveCount(0);

  const row = underRecordLive(join(host.dataDir, 'ledger.db'), saleId);

  const manager = await context.newPage();
  await unlockManager(manager, host);
  const panel = manager.getByTestId('audit-panel');
  await expect(panel.getByTestId('audit-result')).toContainText('审计链完好', {
    timeout: FIRST_STEP_MS,
  });
  await panel.getByRole('button', { name: '立即检查' }).click();
  await expect(panel.getByTestId('audit-result')).toHaveText(`审计链在第 ${row} 行断开`, {
    timeout: FIRST_STEP_MS,
  });
  await expect(panel.getByTestId('audit-reason')).toContainText(saleId);
  await expect(manager.getByTestId('audit-banner')).toContainText(`审计链在第 ${row} 行断开`);
  // The cashier's screen hears it at once, without a reload.
  await expect(page.getByTestId('audit-banner')).toContainText(`审计链在第 ${row} 行断开`);
});
