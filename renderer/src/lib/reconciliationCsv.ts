/**
 * A day's reconciliation with one acquirer as CSV, to set beside the acquirer's statement in a
 * spreadsheet: the totals of both sides, then every line with its status. Amounts in plain yuan
 * (12.50), so that they sum; a UTF-8 BOM for Excel, as the daily report's CSV.
 */
import type { Reconciliation, ReconciliationLine } from '../contract';
import { fenToYuanInput } from './money';
import { csvRow as row } from './reportCsv';

export interface ReconciliationCsvLabels {
  title: string;
  acquirer: string;
  totals: string;
  side: string;
  ledger: string;
  statement: string;
  payments: string;
  paymentsAmount: string;
  refunds: string;
  refundsAmount: string;
  net: string;
  statusColumn: string;
  status: (status: Reconciliation['lines'][number]['status']) => string;
  kindColumn: string;
  kind: (kind: ReconciliationLine['kind']) => string;
  outTradeNo: string;
  acquirerTradeNo: string;
  refundNo: string;
  ledgerAmount: string;
  acquirerAmount: string;
  time: string;
}

export function reconciliationCsv(r: Reconciliation, l: ReconciliationCsvLabels): string {
  const yuan = fenToYuanInput;
  const lines: string[] = [row([l.title, r.businessDate, l.acquirer, r.acquirer]), ''];
  lines.push(
    row([l.totals]),
    row([l.side, l.payments, l.paymentsAmount, l.refunds, l.refundsAmount, l.net]),
  );
  for (const [name, s] of [
    [l.ledger, r.ledgerTotals],
    [l.statement, r.acquirerTotals],
  ] as const)
    lines.push(
      row([
        name,
        s.paymentsCount,
        yuan(s.paymentsFen),
        s.refundsCount,
        yuan(s.refundsFen),
        yuan(s.netFen),
      ]),
    );
  lines.push(
    '',
    row([
      l.statusColumn,
      l.kindColumn,
      l.outTradeNo,
      l.acquirerTradeNo,
      l.refundNo,
      l.ledgerAmount,
      l.acquirerAmount,
      l.time,
    ]),
  );
  for (const line of r.lines) {
    const either = (line.ledger ?? line.acquirer) as ReconciliationLine;
    lines.push(
      row([
        l.status(line.status),
        l.kind(either.kind),
        either.outTradeNo,
        line.acquirer?.acquirerTradeNo ?? line.ledger?.acquirerTradeNo ?? '',
        either.refundNo,
        line.ledger === null ? '' : yuan(line.ledger.amountFen),
        line.acquirer === null ? '' : yuan(line.acquirer.amountFen),
        either.at,
      ]),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
