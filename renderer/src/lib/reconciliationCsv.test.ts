import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reconciliation } from '../contract';
import { reconciliationCsv, type ReconciliationCsvLabels } from './reconciliationCsv';

const labels: ReconciliationCsvLabels = {
  title: 'Reconciliation',
  acquirer: 'Acquirer',
  totals: 'Totals',
  side: 'Side',
  ledger: 'Ledger',
  statement: 'Acquirer',
  payments: 'Payments',
  paymentsAmount: 'Paid',
  refunds: 'Refunds',
  refundsAmount: 'Refunded',
  net: 'Net',
  statusColumn: 'Status',
  status: (s) => s,
  kindColumn: 'Type',
  kind: (k) => k,
  outTradeNo: 'Our trade no.',
  acquirerTradeNo: 'Acquirer trade no.',
  refundNo: 'Refund no.',
  ledgerAmount: 'Ledger amount',
  acquirerAmount: 'Acquirer amount',
  time: 'Time',
};

const pay = (no: string, fen: number) => ({
  kind: 'payment' as const,
  outTradeNo: no,
  acquirerTradeNo: `2025031422001${no}`,
  refundNo: '',
  amountFen: fen,
  at: '2025-03-14T02:00:00.000Z',
});

const r: Reconciliation = {
  businessDate: '2025-03-14',
  acquirer: 'alipay',
  lines: [
    { status: 'matched', ledger: pay('A_1', 1250), acquirer: pay('A_1', 1250) },
    { status: 'amount_differs', ledger: pay('B_1', 500), acquirer: pay('B_1', 499) },
    { status: 'acquirer_only', ledger: null, acquirer: pay('C_1', 1234) },
  ],
  ledgerTotals: {
    paymentsCount: 2,
    paymentsFen: 1750,
    refundsCount: 0,
    refundsFen: 0,
    netFen: 1750,
  },
  acquirerTotals: {
    paymentsCount: 3,
    paymentsFen: 2983,
    refundsCount: 0,
    refundsFen: 0,
    netFen: 2983,
  },
  balanced: false,
};

describe('reconciliation CSV', () => {
  it("both sides' totals, then each line with its status and both amounts", () => {
    const csv = reconciliationCsv(r, labels);
    assert.ok(csv.startsWith('\uFEFFReconciliation,2025-03-14,Acquirer,alipay\r\n'));
    assert.ok(csv.includes('\r\nLedger,2,17.50,0,0.00,17.50\r\n'));
    assert.ok(csv.includes('\r\nAcquirer,3,29.83,0,0.00,29.83\r\n'));
    assert.ok(csv.includes('\r\nmatched,payment,A_1,2025031422001A_1,,12.50,12.50,'));
    assert.ok(csv.includes('\r\namount_differs,payment,B_1,2025031422001B_1,,5.00,4.99,'));
    // At the acquirer only: the ledger's amount cell is empty.
    assert.ok(csv.includes('\r\nacquirer_only,payment,C_1,2025031422001C_1,,,12.34,'));
  });
});
