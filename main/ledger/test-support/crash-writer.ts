/**
 * Child process for crash.test.ts: sells complete sales in a loop (3 lines, 1 payment: cash and
 * face pay in turn, a face payment on a debit signed as the cloud signs it) until it is killed. After each commit it writes `committed <saleId>` to stdout, synchronously,
 * so the parent knows which sales the ledger promised to keep.
 */
import { writeSync } from 'node:fs';
import { DEMO_PRODUCTS, Ledger } from '../index';
import { testFaceDebit } from './face-debit';
import { operatorOf, TEST_AUDIT_KEY } from './helpers';

const file = process.argv[2];
if (!file) throw new Error('usage: crash-writer.ts LEDGER_FILE');
const ledger = Ledger.open({ auditKey: TEST_AUDIT_KEY, file });
if (ledger.productCount() === 0) ledger.upsertProducts([...DEMO_PRODUCTS]);
// Every sale records who sold it; the first writer adds the cashier (a kill may land there too).
const op = operatorOf(ledger);
if (!ledger.currentShift()) ledger.openShift(10_000, op);
// A cart left by the previous (killed) writer is not money: void it.
const leftover = ledger.currentSale();
if (leftover) ledger.voidSale(leftover.id, op);
writeSync(1, 'ready\n');

const skus = DEMO_PRODUCTS.map((p) => p.sku);
for (let i = Number(process.argv[3] ?? 0); ; i++) {
  // Three different products, so three lines.
  ledger.addItem({ sku: skus[(3 * i) % skus.length] ?? '', qty: 1 });
  ledger.addItem({ sku: skus[(3 * i + 1) % skus.length] ?? '', qty: 2 });
  let sale = ledger.addItem({ sku: skus[(3 * i + 2) % skus.length] ?? '', qty: 1 });
  const tendered = Math.ceil(sale.totalFen / 10_000) * 10_000;
  sale =
    i % 2 === 1
      ? ledger.payFace(testFaceDebit(sale.id, sale.totalFen), op)
      : ledger.pay(
          sale.id,
          { method: 'cash', amountFen: sale.totalFen, tenderedFen: tendered },
          op,
        );
  if (sale.status !== 'completed') throw new Error(`sale ${sale.id} did not complete`);
  writeSync(1, `committed ${sale.id}\n`);
}
