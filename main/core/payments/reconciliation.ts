/**
 * A day's reconciliation with one acquirer: the ledger's list of what went through it
 * (Ledger.acquirerDayLines) set against the acquirer's own (Acquirer.settlementList). Lines
 * are keyed by (kind, outTradeNo, refundNo): a payment by our trade number, a refund also by
 * its refund number (the ledger's refund id, which the acquirer keeps as its request number).
 * A key on both sides with equal amounts is matched, with different amounts amount_differs; a
 * key on one side only is ledger_only / acquirer_only (e.g. money that arrived while the till
 * was down and was not yet recovered onto a sale).
 */
import type { AcquirerName, Reconciliation, ReconciliationLine } from '../../contract';
import type { SettlementLine } from './types';

type Side = Reconciliation['ledgerTotals'];

function keyOf(line: { kind: string; outTradeNo: string; refundNo?: string }): string {
  return `${line.kind}\u0000${line.outTradeNo}\u0000${line.kind === 'refund' ? (line.refundNo ?? '') : ''}`;
}

function totalsOf(lines: readonly ReconciliationLine[]): Side {
  const sum = (kind: ReconciliationLine['kind']) =>
    lines.filter((l) => l.kind === kind).reduce((s, l) => s + l.amountFen, 0);
  const payments = lines.filter((l) => l.kind === 'payment');
  const paymentsFen = sum('payment');
  const refundsFen = sum('refund');
  return {
    paymentsCount: payments.length,
    paymentsFen,
    refundsCount: lines.length - payments.length,
    refundsFen,
    netFen: paymentsFen - refundsFen,
  };
}

function fromBill(line: SettlementLine): ReconciliationLine {
  return {
    kind: line.kind,
    outTradeNo: line.outTradeNo,
    acquirerTradeNo: line.acquirerTradeNo,
    refundNo: line.kind === 'refund' ? (line.refundNo ?? '') : '',
    amountFen: line.amountFen,
    at: line.at,
  };
}

export function reconcile(
  businessDate: string,
  acquirer: AcquirerName,
  ledgerLines: readonly ReconciliationLine[],
  bill: readonly SettlementLine[],
): Reconciliation {
  const theirs = bill.map(fromBill);
  const byKey = new Map<string, ReconciliationLine>();
  for (const line of theirs) byKey.set(keyOf(line), line);
  const seen = new Set<string>();
  const lines: Reconciliation['lines'] = [];
  for (const ours of ledgerLines) {
    const key = keyOf(ours);
    const other = byKey.get(key) ?? null;
    seen.add(key);
    lines.push({
      status:
        other === null
          ? 'ledger_only'
          : other.amountFen === ours.amountFen
            ? 'matched'
            : 'amount_differs',
      ledger: ours,
      acquirer: other,
    });
  }
  for (const other of theirs)
    if (!seen.has(keyOf(other)))
      lines.push({ status: 'acquirer_only', ledger: null, acquirer: other });
  return {
    businessDate,
    acquirer,
    lines,
    ledgerTotals: totalsOf(ledgerLines),
    acquirerTotals: totalsOf(theirs),
    balanced: lines.every((l) => l.status === 'matched'),
  };
}
