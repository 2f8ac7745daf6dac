/**
 * Catalogue benchmark (`npm run bench -- catalog`).
 *
 * catalog.import_10k_ms  preview and apply a CSV of 10,000 new products (two barcodes each,
 *                        Chinese and English names, quoted cells) into a ledger holding the demo
 *                        catalogue: parse, check every row against the file and the catalogue,
 *                        then the all-or-nothing apply (which checks again) in one transaction,
 *                        synchronous=FULL, on a file in the OS temp dir. Median of 5 runs, each
 *                        on a fresh ledger. Target: ≤ 2,000 ms. preview_ms / apply_ms: the parts;
 *                        load_avg_1m, to read the figure on a busy machine.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { makeEan13 } from '../main/contract';
import { openTestLedger } from '../main/ledger/test-support/helpers';
import { emit, median, round } from './report';

const ROWS = 10_000;
const RUNS = 5;

function csvOf(rows: number): string {
  const lines = ['sku,barcodes,name_zh,name_en,category,unit,price,tax_rate,active'];
  for (let i = 0; i < rows; i++) {
    const a = makeEan13(`69500${String(i * 2).padStart(7, '0')}`);
    const b = makeEan13(`69500${String(i * 2 + 1).padStart(7, '0')}`);
    const yuan = `${1 + (i % 300)}.${String(i % 100).padStart(2, '0')}`;
    lines.push(
      `BN-${i},${a}|${b},"测试商品 ${i} 号, 500g","Test product ${i}, 500g",cat-${i % 12},件,${yuan},${i % 3 === 0 ? 9 : 13},1`,
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

const text = csvOf(ROWS);
const totals: number[] = [];
const previews: number[] = [];
const applies: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const t = openTestLedger();
  try {
    const t0 = performance.now();
    const preview = t.ledger.previewCatalogImport(text);
    const t1 = performance.now();
    if (preview.errorCount !== 0 || preview.created !== ROWS)
      throw new Error(`unexpected preview: ${JSON.stringify(preview.errors.slice(0, 3))}`);
    const applied = t.ledger.applyCatalogImport(text, preview.digest);
    const t2 = performance.now();
    if (applied.created !== ROWS) throw new Error(`applied ${applied.created}`);
    previews.push(t1 - t0);
    applies.push(t2 - t1);
    totals.push(t2 - t0);
  } finally {
    t.cleanup();
  }
}
emit({
  name: 'catalog.import_10k_ms',
  value: round(median(totals), 1),
  unit: 'ms',
  preview_ms: round(median(previews), 1),
  apply_ms: round(median(applies), 1),
  bytes: Buffer.byteLength(text),
  runs: RUNS,
  target: 2000,
  load_avg_1m: round(loadavg()[0] ?? 0, 2),
});
