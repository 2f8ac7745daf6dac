import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import { gs1CheckDigit, rangeReport as rangeSchema } from '../contract';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';
import { payAny } from './test-support/face-debit';

/**
 * A small hand-made ledger whose figures are worked out by hand below (Asia/Shanghai, UTC+8):
 *
 * - Sat 2025-03-08 09:xx  Ann sells A (300)                                  (previous period)
 * - Mon 2025-03-10 10:xx  Ann sells A + B = 800, cash
 * - Mon 2025-03-10 10:xx  Ann sells C 1000 with a sale discount of 100 = 900, qr
 * - Tue 2025-03-11 15:xx  Bob sells B x2 = 1000, card
 * - Tue 2025-03-11 16:xx  Bob refunds one B of that sale: 500
 * - Wed 2025-03-12 11:xx  Bob refunds the B of Monday's first sale: 500
 *
 * A = 300 and C = 1000 are drinks, B = 500 is snacks.
 */
const ean = (payload: string) => `${payload}${gs1CheckDigit(payload)}`;

let t: TestLedger;
let ann: string;
let bob: string;

function at(localIso: string): void {
  t.clock.set(new Date(Date.parse(`${localIso}+08:00`)).toISOString());
}

function sell(
  items: { sku: string; qty?: number }[],
  method: 'cash' | 'qr' | 'card',
  op: string,
  discountFen = 0,
) {
  const l = t.ledger;
  let s = l.addItem(items[0] ?? { sku: '' });
  for (const item of items.slice(1)) s = l.addItem(item);
  if (discountFen > 0) s = l.setSaleDiscount(s.id, discountFen);
  return payAny(
    l,
    s.id,
    { method, amountFen: s.totalFen, ...(method === 'cash' ? { tenderedFen: s.totalFen } : {}) },
    op,
  );
}

beforeEach(() => {
  t = openTestLedger({ seed: false });
  const l = t.ledger;
  const product = (sku: string, barcode: string, category: string, priceFen: number) => ({
    sku,
    barcode,
    nameZh: sku,
    nameEn: sku,
    category,
    priceFen,
    taxRateBp: 1300,
  });
  l.upsertProducts([
    product('A', ean('690000000001'), 'drinks', 300),
    product('B', ean('690000000002'), 'snacks', 500),
    product('C', ean('690000000003'), 'drinks', 1000),
  ]);
  ann = l.addStaff({ name: 'Ann', role: 'cashier', pin: '4711' }).id;
  bob = l.addStaff({ name: 'Bob', role: 'cashier', pin: '4712' }).id;
  at('2025-03-08T09:00:00');
  l.openShift(0, ann);
  sell([{ sku: 'A' }], 'cash', ann);
  at('2025-03-10T10:00:00');
  const monday = sell([{ sku: 'A' }, { sku: 'B' }], 'cash', ann);
  at('2025-03-10T10:30:00');
  sell([{ sku: 'C' }], 'qr', ann, 100);
  at('2025-03-11T15:10:00');
  const tuesday = sell([{ sku: 'B', qty: 2 }], 'card', bob);
  at('2025-03-11T16:05:00');
  l.refund(tuesday.id, [{ lineNo: 1, qty: 1 }], 'returned', bob);
  at('2025-03-12T11:20:00');
  l.refund(monday.id, [{ lineNo: 2, qty: 1 }], 'returned', bob);
});
afterEach(() => t.cleanup());

const none = { salesCount: 0, grossFen: 0, discountFen: 0, refundsCount: 0, refundsFen: 0 };

test('a three-day range: totals, per day, cashier, till, category, heat map, previous period', () => {
  const r = t.ledger.rangeReport({ from: '2025-03-10', to: '2025-03-12' });
  rangeSchema.parse(r);
  assert.equal(r.days, 3);
  // 3 sales: gross 800 + 1000 + 1000, discount 100; 2 refunds of 500; net 1700; 1700 / 3 = 567.
  assert.deepEqual(r.totals, {
    salesCount: 3,
    grossFen: 2800,
    discountFen: 100,
    refundsCount: 2,
    refundsFen: 1000,
    netFen: 1700,
    averageTicketFen: 567,
  });
  assert.deepEqual(r.byDay, [
    { date: '2025-03-10', ...none, salesCount: 2, grossFen: 1800, discountFen: 100, netFen: 1700 },
    {
      date: '2025-03-11',
      ...none,
      salesCount: 1,
      grossFen: 1000,
      refundsCount: 1,
      refundsFen: 500,
      netFen: 500,
    },
    { date: '2025-03-12', ...none, refundsCount: 1, refundsFen: 500, netFen: -500 },
  ]);
  // A refund counts for who gave it: Bob's own sale and Ann's Monday sale.
  assert.deepEqual(r.byCashier, [
    {
      staffId: ann,
      name: 'Ann',
      ...none,
      salesCount: 2,
      grossFen: 1800,
      discountFen: 100,
      netFen: 1700,
    },
    {
      staffId: bob,
      name: 'Bob',
      ...none,
      salesCount: 1,
      grossFen: 1000,
      refundsCount: 2,
      refundsFen: 1000,
      netFen: 0,
    },
  ]);
  const { averageTicketFen: _, ...figures } = r.totals;
  assert.deepEqual(r.byTill, [{ kind: 'terminal', tillId: 'T01', name: 'T01', ...figures }]);
  // drinks: A 300 + C 1000 less its 100 discount; snacks: B 500 + 2 x B 1000, two B refunded.
  assert.deepEqual(r.byCategory, [
    { category: 'drinks', qty: 2, salesFen: 1200, refundsFen: 0, netFen: 1200 },
    { category: 'snacks', qty: 3, salesFen: 1500, refundsFen: 1000, netFen: 500 },
  ]);
  // Monday 10h, Tuesday 15h (sale) and 16h (refund), Wednesday 11h (refund).
  const cells = r.heat.flatMap((row, weekday) =>
    row.flatMap((c, hour) => (c.count || c.netFen ? [{ weekday, hour, ...c }] : [])),
  );
  assert.deepEqual(cells, [
    { weekday: 0, hour: 10, count: 2, netFen: 1700 },
    { weekday: 1, hour: 15, count: 1, netFen: 1000 },
    { weekday: 1, hour: 16, count: 0, netFen: -500 },
    { weekday: 2, hour: 11, count: 0, netFen: -500 },
  ]);
  assert.equal(r.heat.length, 7);
  assert.ok(r.heat.every((row) => row.length === 24));
  // The three days before: Saturday's single sale of A.
  assert.deepEqual(r.previous, {
    from: '2025-03-07',
    to: '2025-03-09',
    totals: { ...none, salesCount: 1, grossFen: 300, netFen: 300, averageTicketFen: 300 },
  });
  assert.equal(r.sameDayLastWeek, null);
});

test('a one-day report compares with the day before and the same weekday last week', () => {
  const r = t.ledger.rangeReport({ from: '2025-03-17', to: '2025-03-17' });
  assert.deepEqual(r.totals, { ...none, netFen: 0, averageTicketFen: 0 });
  assert.deepEqual(r.previous.totals, { ...none, netFen: 0, averageTicketFen: 0 });
  assert.equal(r.previous.from, '2025-03-16');
  // Monday 2025-03-10: 2 sales, 1800 gross, 100 discount; Wednesday's refund is not Monday's.
  assert.deepEqual(r.sameDayLastWeek, {
    from: '2025-03-10',
    to: '2025-03-10',
    totals: {
      ...none,
      salesCount: 2,
      grossFen: 1800,
      discountFen: 100,
      netFen: 1700,
      averageTicketFen: 850,
    },
  });
});

test('bad ranges are refused with the field named', () => {
  const l = t.ledger;
  throwsCode(() => l.rangeReport({ from: '2025-02-30', to: '2025-03-01' }), 'VALIDATION');
  throwsCode(() => l.rangeReport({ from: '2025-03-02', to: '2025-03-01' }), 'VALIDATION');
  throwsCode(() => l.rangeReport({ from: '2000-01-01', to: '2025-03-01' }), 'VALIDATION');
  throwsCode(() => l.rangeReport({ from: 20250301, to: '2025-03-01' } as never), 'VALIDATION');
});

test('a ledger from before version 19 gets its past into the running totals as it migrates', () => {
  const before = t.ledger.rangeReport({ from: '2025-03-01', to: '2025-03-31' });
  t.ledger.close();
  const raw = new Database(t.file);
  raw.exec(`DROP TRIGGER report_slots_sale; DROP TRIGGER report_slots_refund;
    DROP TRIGGER report_categories_line; DROP TRIGGER report_categories_refund_line;
    DROP TABLE report_slots; DROP TABLE report_categories;
    DELETE FROM schema_version WHERE version = 19;`);
  raw.close();
  const l = t.reopen();
  assert.deepEqual(l.rangeReport({ from: '2025-03-01', to: '2025-03-31' }), before);
  assert.equal(before.totals.salesCount, 4);
  // ...and the triggers are back: a new sale counts.
  at('2025-03-20T12:00:00');
  sell([{ sku: 'C' }], 'card', ann);
  assert.equal(l.rangeReport({ from: '2025-03-20', to: '2025-03-20' }).totals.grossFen, 1000);
});
