/**
 * Issue 10 (reports): the payment mix by channel, and the ledger's side of an acquirer's day.
 * One business day with split tenders, an acquirer payment and refunds spread over methods:
 * the mix's per-method figures add up, to the fen, to the report's totals.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { mintPaidTrade } from '../shared/paid-trade';
import {
  dailyReport as dailySchema,
  METHOD_SETTLED_BY,
  xReport as xSchema,
  type ReportTotals,
} from '../contract';
import { payAny } from './test-support/face-debit';
import { openTestLedger, throwsCode, type TestLedger } from './test-support/helpers';

let t: TestLedger;
beforeEach(() => {
  t = openTestLedger();
  t.clock.set('2025-03-14T02:00:00.000Z'); // 10:00 in Shanghai
  t.ledger.openShift(0, t.op);
});
afterEach(() => t.cleanup());

function basket() {
  t.ledger.addItem({ sku: 'DRK-001', qty: 2 });
  t.ledger.addItem({ sku: 'SNK-001' });
  return t.ledger.addItem({ sku: 'SNK-002' });
}

/** An Alipay payment for the whole sale, as the pay-by-code flow hands it over. */
function payAlipay(saleId: string, amountFen: number, no: string, paidAt: string) {
  return t.ledger.payAcquirer(
    mintPaidTrade({
      acquirer: 'alipay',
      scheme: 'alipay',
      saleId,
      outTradeNo: no,
      acquirerTradeNo: `2025031422001${no.slice(-4)}`,
      amountFen,
      paidAt,
    }),
    t.op,
  ).sale;
}

/** A day: split cash + face + card, an Alipay sale, a QR sale; refunds over cash/face and Alipay. */
function busyDay() {
  const split = basket();
  payAny(t.ledger, split.id, { method: 'cash', amountFen: 333, tenderedFen: 500 }, t.op);
  payAny(t.ledger, split.id, { method: 'face', amountFen: 401 }, t.op);
  payAny(t.ledger, split.id, { method: 'card', amountFen: split.totalFen - 734 }, t.op);
  const code = basket();
  payAlipay(code.id, code.totalFen, 'abcdefghijklmnopqrstuvw_0001', '2025-03-14T02:05:00.000Z');
  const qr = t.ledger.addItem({ sku: 'DRY-001' });
  payAny(t.ledger, qr.id, { method: 'qr', amountFen: qr.totalFen }, t.op);
  // A partial refund of the split sale goes back over its methods (largest remainder).
  t.ledger.refund(split.id, [{ lineNo: 1, qty: 1 }], 'returned', t.op);
  // A partial refund of the Alipay sale, with what Alipay said it refunded.
  const plan = t.ledger.planRefund(code.id, [{ lineNo: 2, qty: 1 }], 'broken');
  const paymentId = t.ledger.getSale(code.id).payments[0]?.id ?? '';
  t.ledger.refund(code.id, [{ lineNo: 2, qty: 1 }], 'broken', t.op, {
    id: plan.id,
    acquirerRefunds: plan.allocation.map((a) => ({
      paymentId,
      refundNo: plan.id,
      amountFen: a.amountFen,
      refundedAt: '2025-03-14T03:00:00.000Z',
    })),
  });
  return { split, code, qr, refundNo: plan.id };
}

function assertMixAddsUp(totals: ReportTotals) {
  const sum = (f: (m: ReportTotals['byMethod'][number]) => number) =>
    totals.byMethod.reduce((s, m) => s + f(m), 0);
  assert.equal(
    sum((m) => m.amountFen),
    totals.netFen,
    'the nets add up to the net',
  );
  assert.equal(
    sum((m) => m.paidFen ?? 0),
    totals.salesFen,
    'paid adds up to sales',
  );
  assert.equal(
    sum((m) => m.refundsFen ?? 0),
    totals.refundsFen,
    'refunds add up to refunds',
  );
  for (const m of totals.byMethod)
    assert.equal(m.amountFen, (m.paidFen ?? 0) - (m.refundsFen ?? 0), m.method);
}

test('the payment mix: per method paid, refunds and net; the nets sum to the day, to the fen', () => {
  busyDay();
  const daily = dailySchema.parse(t.ledger.dailyReport('2025-03-14'));
  const totals = daily.totals;
  assert.equal(totals.refundsCount, 2);
  assert.ok(totals.refundsFen > 0);
  assertMixAddsUp(totals);
  const by = Object.fromEntries(totals.byMethod.map((m) => [m.method, m]));
  assert.deepEqual(
    ['cash', 'face', 'card', 'alipay', 'qr'].map((k) => by[k]?.count),
    [1, 1, 1, 1, 1],
  );
  // The split sale's refund went back over cash, face and card; Alipay's once.
  assert.equal(by.alipay?.refundsCount, 1);
  assert.equal(
    (by.cash?.refundsCount ?? 0) + (by.face?.refundsCount ?? 0) + (by.card?.refundsCount ?? 0) > 0,
    true,
  );
  assert.equal(by.cash?.paidFen, 333, 'cash applied, not tendered');
  // QR recorded at the till is the till's, not an acquirer's: it is never reconciled.
  assert.equal(METHOD_SETTLED_BY.qr, 'till');
  assert.equal(METHOD_SETTLED_BY.alipay, 'acquirer');
  // The X report of the shift has the same mix.
  const x = xSchema.parse(t.ledger.xReport());
  assert.deepEqual(x.totals.byMethod, totals.byMethod);
  assertMixAddsUp(x.totals);
});

test("an acquirer's day in the ledger: its payments and refunds of that shop-zone day only", () => {
  const { code, refundNo } = busyDay();
  // Paid at 00:30 on the 15th in Shanghai (16:30 UTC on the 14th): the next day's bill.
  t.clock.set('2025-03-14T16:30:00.000Z');
  const late = basket();
  payAlipay(late.id, late.totalFen, 'abcdefghijklmnopqrstuvw_0002', '2025-03-14T16:30:00.000Z');
  const day = t.ledger.acquirerDayLines('alipay', '2025-03-14');
  const codeSale = t.ledger.getSale(code.id);
  assert.deepEqual(
    day.map((l) => [l.kind, l.outTradeNo, l.refundNo]),
    [
      ['payment', 'abcdefghijklmnopqrstuvw_0001', ''],
      ['refund', 'abcdefghijklmnopqrstuvw_0001', refundNo],
    ],
  );
  assert.equal(day[0]?.amountFen, codeSale.totalFen);
  assert.equal(day[0]?.acquirerTradeNo, '20250314220010001');
  assert.deepEqual(
    t.ledger.acquirerDayLines('alipay', '2025-03-15').map((l) => l.outTradeNo),
    ['abcdefghijklmnopqrstuvw_0002'],
  );
  assert.deepEqual(t.ledger.acquirerDayLines('wechatpay', '2025-03-14'), []);
  throwsCode(() => t.ledger.acquirerDayLines('alipay', '2025-02-30'), 'VALIDATION');
});
