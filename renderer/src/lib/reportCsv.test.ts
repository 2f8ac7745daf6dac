import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DailyReport, Shift } from '../contract';
import { reportCsv, type CsvLabels } from './reportCsv';

const labels: CsvLabels = {
  title: 'Daily report',
  figure: 'Figure',
  value: 'Value',
  figures: {
    salesCount: 'Sales',
    gross: 'Gross sales',
    discounts: 'Discounts',
    refunds: 'Refunds',
    net: 'Net sales',
    averageTicket: 'Average ticket',
    faceSharePercent: 'Face-pay share (%)',
  },
  byHour: 'By hour',
  hour: 'Hour',
  count: 'Count',
  amount: 'Amount',
  byMethod: 'By method',
  method: (m) => m,
  topItems: 'Top items',
  sku: 'SKU',
  nameZh: 'Chinese name',
  nameEn: 'English name',
  qty: 'Qty',
  refunds: 'Refunds',
  receipt: 'Receipt',
  time: 'Time',
  reason: 'Reason',
  shifts: 'Shifts',
  opened: 'Opened',
  openedBy: 'Opened by',
  closed: 'Closed',
  closedBy: 'Closed by',
  expected: 'Expected',
  counted: 'Counted',
  variance: 'Variance',
};

const report: DailyReport = {
  businessDate: '2025-03-14',
  timezone: 'Asia/Shanghai',
  totals: {
    salesCount: 1,
    grossFen: 123_450,
    discountFen: 0,
    salesFen: 123_450,
    refundsCount: 0,
    refundsFen: 0,
    netFen: 123_450,
    taxFen: 0,
    averageTicketFen: 123_450,
    byMethod: [{ method: 'cash', count: 1, amountFen: 123_450 }],
    facePayShareBp: 1_250,
  },
  byHour: [{ hour: 9, count: 1, netFen: 123_450 }],
  topItems: [
    { sku: 'A-1', nameZh: '饼干, 原味', nameEn: 'Biscuits "plain"', qty: 3, netFen: 123_450 },
  ],
  refunds: [],
};

describe('report CSV', () => {
  it('quotes what needs quoting, keeps amounts summable, starts with a BOM', () => {
    const csv = reportCsv(report, [], labels);
    assert.ok(csv.startsWith('\uFEFFDaily report,2025-03-14,Asia/Shanghai'));
    // The key figures are plain numbers a spreadsheet sums: no currency sign, no grouping.
    assert.ok(csv.includes('\r\nSales,1\r\n'));
    assert.ok(csv.includes('\r\nGross sales,1234.50\r\n'));
    assert.ok(csv.includes('\r\nNet sales,1234.50\r\n'));
    assert.ok(csv.includes('\r\nRefunds,0.00\r\n'));
    assert.ok(csv.includes('\r\nFace-pay share (%),12.50\r\n'));
    assert.doesNotMatch(csv, /¥/);
    assert.ok(csv.includes('9,1,1234.50'));
    assert.ok(csv.includes('A-1,"饼干, 原味","Biscuits ""plain""",3,1234.50'));
    assert.ok(csv.includes('cash,1,1234.50'));
  });

  it('names who opened and closed each shift', () => {
    const shift: Shift = {
      id: 'sh1',
      status: 'closed',
      openedAt: '2025-03-14T01:00:00.000Z',
      closedAt: '2025-03-14T09:00:00.000Z',
      floatFen: 20_000,
      cashInFen: 0,
      cashOutFen: 0,
      cashSalesFen: 1_000,
      cashRefundsFen: 0,
      expectedCashFen: 21_000,
      countedCashFen: 20_900,
      varianceFen: -100,
      openedBy: { id: 'c1', name: '李收银' },
      closedBy: { id: 'm1', name: '王店长' },
    };
    const csv = reportCsv(report, [shift], labels);
    assert.ok(csv.includes('Opened,Opened by,Closed,Closed by,Expected,Counted,Variance'));
    assert.ok(
      csv.includes(
        '2025-03-14T01:00:00.000Z,李收银,2025-03-14T09:00:00.000Z,王店长,210.00,209.00,-1.00',
      ),
    );
  });
});
