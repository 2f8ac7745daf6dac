/**
 * The catalogue on the manager's screen (issue 12): the manager adds a product with a barcode
 * and it scans at the till at once; a price change reaches the next scan and leaves the line
 * already rung up as it was; a CSV with an error is shown row by row and cannot be applied.
 */
import { readFileSync } from 'node:fs';
import { makeEan13 } from '../main/contract';
import { expect, test } from './fixtures';
import { FIRST_STEP_MS, scan, startTill, unlockManager } from './pos';

test('the manager adds a product and it scans at the till', async ({
  page,
  context,
  host,
}, testInfo) => {
  const barcode = makeEan13('690555000017');
  await unlockManager(page, host);
  const panel = page.getByTestId('catalogue');
  await expect(panel.getByTestId('catalogue-count')).toContainText('共', {
    timeout: FIRST_STEP_MS,
  });
  await panel.getByRole('button', { name: '新增商品' }).click();
  const editor = panel.getByTestId('product-editor');
  await editor.getByLabel('编码').fill('E2E-001');
  await editor.getByLabel('条码（第一个为主条码，用空格分隔）').fill(barcode);
  await editor.getByLabel('中文名').fill('测试 桂花糕');
  await editor.getByLabel('英文名').fill('Osmanthus cake');
  await editor.getByLabel('分类').fill('snacks');
  await editor.getByLabel('单位').fill('盒');
  await editor.getByLabel('价格（元）').fill('8.80');
  await editor.getByRole('button', { name: '保存' }).click();
  await expect(panel.getByTestId('catalogue-notice')).toHaveText('已保存 E2E-001');
  await panel.getByRole('searchbox').fill('桂花糕');
  await expect(panel.getByTestId('catalogue-row-E2E-001')).toContainText('¥8.80');

  const till = await context.newPage();
  await startTill(till, host);
  await scan(till, barcode);
  const line = till.getByTestId('cart-line');
  await expect(line).toHaveCount(1);
  await expect(line).toContainText('测试 桂花糕');
  await expect(till.getByTestId('cart-total')).toContainText('8.80');

  // The manager raises the price: the next scan has it, the line rung up keeps its own.
  await panel.getByTestId('catalogue-row-E2E-001').getByRole('button', { name: '编辑' }).click();
  await editor.getByLabel('价格（元）').fill('9.50');
  await editor.getByRole('button', { name: '保存' }).click();
  await expect(panel.getByTestId('catalogue-row-E2E-001')).toContainText('¥9.50');
  await scan(till, barcode);
  await expect(till.getByTestId('cart-line')).toHaveCount(2);
  await expect(till.getByTestId('cart-total')).toContainText('18.30');

  // The export: UTF-8 with a BOM for Excel, the new product with both its prices' latest.
  const download = page.waitForEvent('download');
  await panel.getByRole('button', { name: '导出商品目录 CSV' }).click();
  const file = testInfo.outputPath('catalog.csv');
  await (await download).saveAs(file);
  const exported = readFileSync(file, 'utf8');
  expect(
    exported.startsWith(
      '\uFEFFsku,barcodes,name_zh,name_en,category,unit,price,tax_rate,active\r\n',
    ),
  ).toBe(true);
  expect(exported).toContain(
    `E2E-001,${barcode},测试 桂花糕,Osmanthus cake,snacks,盒,9.50,13,1\r\n`,
  );

  // An import with a price of three decimals: the row error is shown, nothing can be applied.
  const csv =
    'sku,barcodes,name_zh,name_en,category,unit,price,tax_rate,active\r\n' +
    `E2E-002,${makeEan13('690555000024')},坏价格,Bad price,snacks,件,1.999,13,1\r\n`;
  await panel.getByTestId('catalogue-file').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv),
  });
  const errors = panel.getByTestId('import-errors');
  await expect(errors).toContainText('1.999 超过两位小数');
  await expect(errors).toContainText('price');
  await expect(panel.getByRole('button', { name: '应用导入' })).toHaveCount(0);
});

test('two managers edit one product: the second save is refused and says why', async ({
  page,
  context,
  host,
}) => {
  const other = await context.newPage();
  for (const screen of [page, other]) {
    await unlockManager(screen, host);
    const panel = screen.getByTestId('catalogue');
    await panel.getByRole('searchbox').fill('DRK-001');
    await panel.getByTestId('catalogue-row-DRK-001').getByRole('button', { name: '编辑' }).click();
  }
  const first = page.getByTestId('product-editor');
  await first.getByLabel('价格（元）').fill('2.20');
  await first.getByRole('button', { name: '保存' }).click();
  await expect(page.getByTestId('catalogue-notice')).toHaveText('已保存 DRK-001');

  const second = other.getByTestId('product-editor');
  await second.getByLabel('价格（元）').fill('2.50');
  await second.getByRole('button', { name: '保存' }).click();
  await expect(other.getByTestId('product-error')).toHaveText(
    '该商品已被他人修改，请重新载入后再改',
  );
  // The first manager's price stands; the second sees it on opening the product again.
  await expect(other.getByTestId('catalogue-row-DRK-001')).toContainText('¥2.20');
});
