import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import Database from 'better-sqlite3';
import {
  dailyReport as dailySchema,
  shift as shiftSchema,
  xReport as xSchema,
  zReport as zSchema,
} from '../contract';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';
import { payAny } from './test-support/face-debit';

let t: TestLedger;
beforeEach(() => {
  // 10:00 in Shanghai (UTC+8).
  t = openTestLedger();
  t.clock.set('2025-03-14T02:00:00.000Z');
});
afterEach(() => t.cleanup());

function sell(skus: string[], method: 'cash' | 'face' | 'qr' | 'card', tendered?: number) {
  const l = t.ledger;
  let s = l.addItem({ sku: skus[0] ?? '' });
  for (const sku of skus.slice(1)) s = l.addItem({ sku });
  return payAny(
    l,
    s.id,
    {
      method,
      amountFen: s.totalFen,
      ...(tendered === undefined ? {} : { tenderedFen: tendered }),
    },
    t.op,
  );
}

test('shift: one at a time, cash in/out, close with counted cash and variance', () => {
  const l = t.ledger;
  assert.equal(l.currentShift(), null);
  throwsCode(() => l.cashMovement('in', 100, 'x', t.op), 'NO_OPEN_SHIFT');
  throwsCode(() => l.closeShift(0, t.op), 'NO_OPEN_SHIFT');
  throwsCode(() => l.openShift(-1, t.op), 'AMOUNT_OUT_OF_RANGE');
  const opened = l.openShift(20_000, t.op);
  shiftSchema.parse(opened);
  throwsCode(() => l.openShift(0, t.op), 'SHIFT_ALREADY_OPEN');
  sell(['DRK-001', 'SNK-001'], 'cash', 2000); // 950 applied, 1050 change
  sell(['DRY-001'], 'face');
  const refunded = sell(['SNK-002'], 'cash'); // 750
  l.refund(refunded.id, undefined, 'returned', t.op);
  l.cashMovement('in', 5000, 'change from bank', t.op);
  throwsCode(() => l.cashMovement('out', 0, 'x', t.op), 'VALIDATION');
  throwsCode(() => l.cashMovement('out', 100, '', t.op), 'VALIDATION');
  throwsCode(() => l.cashMovement('out', 1_000_000, 'too much', t.op), 'AMOUNT_OUT_OF_RANGE');
  const s = l.cashMovement('out', 3000, 'supplier paid', t.op);
  const expected = 20_000 + 950 + 750 - 750 + 5000 - 3000;
  assert.deepEqual(
    [s.cashSalesFen, s.cashRefundsFen, s.cashInFen, s.cashOutFen, s.expectedCashFen],
    [1700, 750, 5000, 3000, expected],
  );
  const closed = l.closeShift(expected - 120, t.op);
  shiftSchema.parse(closed);
  assert.equal(closed.status, 'closed');
  assert.equal(closed.countedCashFen, expected - 120);
  assert.equal(closed.varianceFen, -120);
  assert.equal(l.currentShift(), null);
  // The closed shift reads back the same after a restart.
  t.reopen();
  assert.deepEqual(t.ledger.xReport().shift, closed);
  assert.equal(t.ledger.openShift(0, t.op).floatFen, 0);
});

test('a part-paid sale blocks closing the shift', () => {
  const l = t.ledger;
  l.openShift(0, t.op);
  const s = l.addItem({ sku: 'SNK-001' });
  payAny(l, s.id, { method: 'cash', amountFen: 100 }, t.op);
  throwsCode(() => l.closeShift(100, t.op), 'SALE_HAS_PAYMENTS');
  payAny(l, s.id, { method: 'face', amountFen: 650 }, t.op);
  assert.equal(l.closeShift(100, t.op).varianceFen, 0);
});

test('daily report: totals net of refunds, by hour, by method, top items, face share', () => {
  const l = t.ledger;
  l.openShift(0, t.op);
  const a = sell(['DRK-001', 'DRK-001', 'SNK-001'], 'face'); // 1150 at 10:xx
  t.clock.set('2025-03-14T06:30:00.000Z'); // 14:30
  const b = sell(['SNK-001', 'DRY-001'], 'cash', 2000); // 1100
  const c = sell(['DRY-001'], 'qr'); // 350
  t.clock.set('2025-03-14T15:59:00.000Z'); // 23:59
  l.refund(b.id, [{ lineNo: 1, qty: 1 }], 'stale', t.op); // 750 back in cash
  t.clock.set('2025-03-14T16:01:00.000Z'); // 00:01 on the 15th
  const d = sell(['DRK-001'], 'card'); // next business day
  const voided = l.addItem({ sku: 'SNK-001' });
  l.voidSale(voided.id, t.op);

  const r = l.dailyReport('2025-03-14');
  dailySchema.parse(r);
  assert.equal(r.timezone, 'Asia/Shanghai');
  const sales = 1150 + 1100 + 350;
  assert.deepEqual(
    {
      salesCount: r.totals.salesCount,
      salesFen: r.totals.salesFen,
      refundsCount: r.totals.refundsCount,
      refundsFen: r.totals.refundsFen,
      netFen: r.totals.netFen,
      averageTicketFen: r.totals.averageTicketFen,
      facePayShareBp: r.totals.facePayShareBp,
    },
    {
      salesCount: 3,
      salesFen: sales,
      refundsCount: 1,
      refundsFen: 750,
      netFen: sales - 750,
      averageTicketFen: Math.round(sales / 3),
      facePayShareBp: Math.round((1150 * 10_000) / sales),
    },
  );
  assert.equal(r.totals.taxFen, a.taxFen + b.taxFen + c.taxFen - 86); // 750 at 13 % holds 86
  assert.deepEqual(
    r.totals.byMethod.map((m) => [m.method, m.count, m.amountFen]),
    [
      ['cash', 1, 1100 - 750],
      ['face', 1, 1150],
      ['qr', 1, 350],
      ['card', 0, 0],
      // The acquirer methods (issue 10) are listed too, at zero here.
      ['alipay', 0, 0],
      ['wechat', 0, 0],
      ['unionpay', 0, 0],
      ['stored_value', 0, 0],
    ],
  );
  assert.equal(
    r.totals.byMethod.reduce((x, m) => x + m.amountFen, 0),
    r.totals.netFen,
  );
  assert.equal(r.byHour.length, 24);
  assert.deepEqual(
    r.byHour.filter((h) => h.count !== 0 || h.netFen !== 0).map((h) => [h.hour, h.count, h.netFen]),
    [
      [10, 1, 1150],
      [14, 2, 1450],
      [23, 0, -750],
    ],
  );
  assert.deepEqual(
    r.topItems.map((i) => [i.sku, i.qty, i.netFen]),
    [
      ['SNK-001', 2, 1500],
      ['DRY-001', 2, 700],
      ['DRK-001', 2, 400],
    ],
  );
  assert.deepEqual(
    r.refunds.map((x) => [x.receiptNo, x.amountFen, x.reason]),
    [[b.receiptNo, 750, 'stale']],
  );
  const next = l.dailyReport('2025-03-15');
  assert.deepEqual([next.totals.salesCount, next.totals.salesFen], [1, d.totalFen]);
  assert.equal(next.byHour[0]?.count, 1);
  const empty = l.dailyReport('2024-01-01');
  assert.deepEqual([empty.totals.salesCount, empty.totals.averageTicketFen], [0, 0]);
  throwsCode(() => l.dailyReport('2025-02-30'), 'VALIDATION');
});

test('X report covers the shift so far', () => {
  const l = t.ledger;
  throwsCode(() => l.xReport(), 'NO_OPEN_SHIFT');
  l.openShift(1000, t.op);
  sell(['DRK-001'], 'cash');
  l.closeShift(1200, t.op);
  l.openShift(500, t.op);
  const s = sell(['SNK-001', 'DRY-001'], 'face');
  l.refund(s.id, [{ lineNo: 2, qty: 1 }], 'x', t.op);
  const x = l.xReport();
  xSchema.parse(x);
  assert.equal(x.shift.status, 'open');
  assert.deepEqual(
    [x.totals.salesCount, x.totals.salesFen, x.totals.refundsFen, x.totals.facePayShareBp],
    [1, 1100, 350, 10_000],
  );
});

test('Z report: numbered, once per day, not while a shift is open, immutable, reprintable', () => {
  const l = t.ledger;
  l.openShift(1000, t.op);
  sell(['DRK-001', 'SNK-001'], 'cash');
  throwsCode(() => l.takeZReport(), 'SHIFT_OPEN');
  l.closeShift(1950, t.op);
  throwsCode(() => l.takeZReport('2025-03-15'), 'VALIDATION', /not begun/);
  const z1 = l.takeZReport();
  zSchema.parse(z1);
  assert.equal(z1.number, 1);
  assert.equal(z1.businessDate, '2025-03-14');
  assert.equal(z1.totals.salesFen, 950);
  assert.equal(z1.shifts.length, 1);
  assert.match(z1.hash, /^[0-9a-f]{64}$/);
  throwsCode(() => l.takeZReport('2025-03-14'), 'Z_ALREADY_TAKEN');
  // After the Z the terminal is in the next business day, even before midnight.
  assert.equal(l.businessDate(), '2025-03-15');
  l.openShift(0, t.op);
  const late = sell(['DRY-001'], 'card');
  l.closeShift(0, t.op);
  assert.equal(l.dailyReport('2025-03-14').totals.salesCount, 1, 'the closed day is unchanged');
  assert.equal(l.dailyReport('2025-03-15').totals.salesFen, late.totalFen);
  const z0 = l.takeZReport('2025-03-13'); // a day with no trade may still be closed
  assert.equal(z0.number, 2);
  assert.equal(z0.totals.salesCount, 0);
  assert.deepEqual(
    l.listZReports().map((z) => [z.number, z.businessDate]),
    [
      [1, '2025-03-14'],
      [2, '2025-03-13'],
    ],
  );
  // Reprints are identical, also after a restart.
  assert.deepEqual(l.getZReport(1), z1);
  t.reopen();
  assert.deepEqual(t.ledger.getZReport(1), z1);
  assert.equal(t.ledger.businessDate(), '2025-03-15');
  throwsCode(() => t.ledger.getZReport(9), 'NOT_FOUND');
  t.ledger.close();

  // The database itself refuses to change or delete a Z report.
  const raw = new Database(t.file);
  assert.throws(
    () => raw.prepare("UPDATE z_reports SET snapshot = '{}' WHERE number = 1").run(),
    /append-only/,
  );
  assert.throws(() => raw.prepare('DELETE FROM z_reports').run(), /append-only/);
  assert.throws(() => raw.prepare('UPDATE sales SET total_fen = 1').run(), /append-only/);
  assert.throws(() => raw.prepare('DELETE FROM sale_lines').run(), /append-only/);
  assert.throws(() => raw.prepare('UPDATE payments SET amount_fen = 1').run(), /append-only/);
  assert.throws(() => raw.prepare('DELETE FROM audit').run(), /append-only/);
  assert.throws(
    () => raw.prepare("INSERT INTO z_reports VALUES (3, '2025-03-14', 'x', '{}', 'h')").run(),
    /UNIQUE/,
  );
  raw.close();
  t.reopen();
});
