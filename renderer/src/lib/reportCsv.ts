/**
 * The daily report as CSV, for a spreadsheet: one section per table, amounts as plain yuan
 * (12.50) so that they sum, both product names. A UTF-8 BOM lets Excel read the Chinese.
 */
import { METHOD_SETTLED_BY, type DailyReport, type Shift } from '../contract';
import { fenToYuanInput } from './money';

/** The key figures' names; their values are the report's own (amounts in plain yuan). */
export interface FigureLabels {
  salesCount: string;
  gross: string;
  discounts: string;
  refunds: string;
  net: string;
  averageTicket: string;
  /** Written as a plain percentage (12.50 for 12.5 %): say so in the label. */
  faceSharePercent: string;
}

export interface CsvLabels {
  title: string;
  figure: string;
  value: string;
  figures: FigureLabels;
  byHour: string;
  hour: string;
  count: string;
  amount: string;
  byMethod: string;
  method: (method: string) => string;
  /** Who settles a method's money (contract METHOD_SETTLED_BY): the column and its values. */
  settledBy: string;
  settled: (by: 'till' | 'acquirer' | 'cloud') => string;
  paid: string;
  refundsCount: string;
  refundsAmount: string;
  net: string;
  byRegister: string;
  register: string;
  topItems: string;
  sku: string;
  nameZh: string;
  nameEn: string;
  qty: string;
  refunds: string;
  receipt: string;
  time: string;
  reason: string;
  shifts: string;
  opened: string;
  openedBy: string;
  closed: string;
  closedBy: string;
  expected: string;
  counted: string;
  variance: string;
}

function cell(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, quoted where needed (the reconciliation CSV writes its lines with it too). */
export function csvRow(values: (string | number)[]): string {
  return values.map(cell).join(',');
}

const row = csvRow;

export function reportCsv(report: DailyReport, shifts: readonly Shift[], l: CsvLabels): string {
  const yuan = fenToYuanInput;
  const lines: string[] = [row([l.title, report.businessDate, report.timezone]), ''];
  const t = report.totals;
  const f = l.figures;
  lines.push(
    row([l.figure, l.value]),
    row([f.salesCount, t.salesCount]),
    row([f.gross, yuan(t.grossFen)]),
    row([f.discounts, yuan(t.discountFen)]),
    row([f.refunds, yuan(t.refundsFen)]),
    row([f.net, yuan(t.netFen)]),
    row([f.averageTicket, yuan(t.averageTicketFen)]),
    // Basis points to a percentage with two decimals, by integer arithmetic.
    row([f.faceSharePercent, fenToYuanInput(t.facePayShareBp)]),
  );
  lines.push('', row([l.byHour]), row([l.hour, l.count, l.amount]));
  for (const h of report.byHour)
    if (h.count !== 0 || h.netFen !== 0) lines.push(row([h.hour, h.count, yuan(h.netFen)]));
  // The payment mix: paid, refunds and net per method (the nets sum to the net figure above).
  // A Z snapshot older than the mix has only the net: its paid and refunds cells stay empty.
  const maybe = (fen: number | undefined) => (fen === undefined ? '' : yuan(fen));
  lines.push(
    '',
    row([l.byMethod]),
    row([l.method('method'), l.settledBy, l.count, l.paid, l.refundsCount, l.refundsAmount, l.net]),
  );
  for (const m of report.totals.byMethod)
    lines.push(
      row([
        l.method(m.method),
        l.settled(METHOD_SETTLED_BY[m.method]),
        m.count,
        maybe(m.paidFen),
        m.refundsCount ?? '',
        maybe(m.refundsFen),
        yuan(m.amountFen),
      ]),
    );
  // Per register (part of the figures above): one row per register and method used.
  const registers = report.totals.byRegister ?? [];
  if (registers.length > 0) {
    lines.push(
      '',
      row([l.byRegister]),
      row([l.register, l.method('method'), l.count, l.paid, l.refundsAmount, l.net]),
    );
    for (const g of registers) {
      lines.push(
        row([
          g.registerName,
          '',
          g.salesCount,
          yuan(g.salesFen),
          yuan(g.refundsFen),
          yuan(g.netFen),
        ]),
      );
      for (const m of g.byMethod)
        if (m.count !== 0 || m.amountFen !== 0)
          lines.push(
            row([
              g.registerName,
              l.method(m.method),
              m.count,
              maybe(m.paidFen),
              maybe(m.refundsFen),
              yuan(m.amountFen),
            ]),
          );
    }
  }
  lines.push('', row([l.topItems]), row([l.sku, l.nameZh, l.nameEn, l.qty, l.amount]));
  for (const item of report.topItems)
    lines.push(row([item.sku, item.nameZh, item.nameEn, item.qty, yuan(item.netFen)]));
  lines.push('', row([l.refunds]), row([l.receipt, l.time, l.amount, l.reason]));
  for (const r of report.refunds)
    lines.push(row([r.receiptNo ?? '', r.createdAt, yuan(r.amountFen), r.reason]));
  lines.push(
    '',
    row([l.shifts]),
    row([l.opened, l.openedBy, l.closed, l.closedBy, l.expected, l.counted, l.variance]),
  );
  for (const s of shifts)
    lines.push(
      row([
        s.openedAt,
        s.openedBy?.name ?? '',
        s.closedAt ?? '',
        s.closedBy?.name ?? '',
        yuan(s.expectedCashFen),
        s.countedCashFen === null ? '' : yuan(s.countedCashFen),
        s.varianceFen === null ? '' : yuan(s.varianceFen),
      ]),
    );
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
