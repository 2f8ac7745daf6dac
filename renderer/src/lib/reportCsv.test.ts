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
  settledBy: 'Settled by',
  settled: (by) => by,
  paid: 'Paid',
  refundsCount: 'Refund parts',
  refundsAmount: 'Refunded',
  net: 'Net',
  byRegister: 'By register',
  register: 'Register',
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
    // An old Z snapshot's method line has only the net.
    assert.ok(csv.includes('cash,till,1,,,,1234.50'));
  });

  it('the payment mix: paid, refunds and net per method, and each register by method', () => {
    const mixed: DailyReport = {
      ...report,
      totals: {
        ...report.totals,
        refundsCount: 1,
        refundsFen: 450,
        netFen: 123_000,
        byMethod: [
          {
            method: 'cash',
            count: 1,
            amountFen: 3_000,
            paidFen: 3_450,
            refundsCount: 1,
            refundsFen: 450,
          },
          { method: 'qr', count: 0, amountFen: 0, paidFen: 0, refundsCount: 0, refundsFen: 0 },
          {
            method: 'alipay',
            count: 1,
            amountFen: 120_000,
            paidFen: 120_000,
            refundsCount: 0,
            refundsFen: 0,
          },
        ],
        byRegister: [
          {
            registerId: 'r1',
            registerName: 'Kiosk, left',
            salesCount: 1,
            salesFen: 120_000,
            refundsFen: 0,
            netFen: 120_000,
            byMethod: [
              { method: 'cash', count: 0, amountFen: 0 },
              { method: 'alipay', count: 1, amountFen: 120_000, paidFen: 120_000, refundsFen: 0 },
            ],
          },
        ],
      },
    };
    const csv = reportCsv(mixed, [], labels);
    assert.ok(csv.includes('\r\nmethod,Settled by,Count,Paid,Refund parts,Refunded,Net\r\n'));
    assert.ok(csv.includes('\r\ncash,till,1,34.50,1,4.50,30.00\r\n'));
    // The shop's own QR is recorded at the till; Alipay is settled by the acquirer.
    assert.ok(csv.includes('\r\nqr,till,0,0.00,0,0.00,0.00\r\n'));
    assert.ok(csv.includes('\r\nalipay,acquirer,1,1200.00,0,0.00,1200.00\r\n'));
    assert.ok(csv.includes('\r\nBy register\r\nRegister,method,Count,Paid,Refunded,Net\r\n'));
    assert.ok(csv.includes('\r\n"Kiosk, left",,1,1200.00,0.00,1200.00\r\n'));
    assert.ok(csv.includes('\r\n"Kiosk, left",alipay,1,1200.00,0.00,1200.00\r\n'));
    assert.doesNotMatch(csv, /"Kiosk, left",cash/);
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
