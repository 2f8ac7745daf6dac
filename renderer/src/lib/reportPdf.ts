/**
 * The daily report as a PDF a manager files: title, shop, date, key figures, the two charts
 * (drawn as vectors from the same geometry as the screen's) and the tables.
 *
 * The PDF is in English with the products' English names, set in the PDF's built-in Helvetica.
 * Why: a PDF can only show Chinese with an embedded CJK font, and the renderer bundle has none:
 * a subset cannot be prepared in advance for a shop's own product names, and a whole CJK font
 * would add several megabytes to every screen's bundle. Every catalogue entry carries an English
 * name, and the filed copy's figures are language-neutral. (The screen and CSV are bilingual.)
 */
import { jsPDF } from 'jspdf';
import type { DailyReport, Shift } from '../contract';
import {
  barLayout,
  METHOD_COLOURS,
  pieLayout,
  slicePolygon,
} from '../features/charts/chartGeometry';
import { formatFen } from './money';
import { tradingHours } from './report';
import { formatBp, formatDateTime, formatTime } from './time';

export interface PdfInput {
  report: DailyReport;
  shifts: readonly Shift[];
  shopName: string;
  terminalId: string;
  generatedAt: Date;
}

const METHOD_NAMES: Record<string, string> = {
  cash: 'Cash',
  face: 'Face pay',
  qr: 'QR code',
  card: 'Card',
};

/** What Helvetica (WinAnsi) can show: Latin text stays, anything else is dropped. */
export function latinOnly(text: string): string {
  return text
    .replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const money = (fen: number): string => formatFen(fen, 'en');

export function reportPdf(input: PdfInput): jsPDF {
  const { report } = input;
  const doc = new jsPDF({ unit: 'pt', format: 'a4' });
  const pageW = doc.internal.pageSize.getWidth();
  const pageH = doc.internal.pageSize.getHeight();
  const margin = 48;
  const contentW = pageW - 2 * margin;
  let y = margin;

  const shop = latinOnly(input.shopName) || `Terminal ${input.terminalId}`;
  doc.setProperties({
    title: `Daily sales report ${report.businessDate}`,
    subject: shop,
    creator: 'FacePay POS',
  });

  const ensure = (height: number): void => {
    if (y + height <= pageH - margin) return;
    doc.addPage();
    y = margin;
  };

  const heading = (text: string): void => {
    // Keep a heading with the first lines of what follows it.
    ensure(90);
    y += 12;
    doc.setFont('helvetica', 'bold');
    doc.setFontSize(13);
    doc.setTextColor('#101828');
    doc.text(text, margin, y);
    y += 8;
    doc.setDrawColor('#c9d0da');
    doc.line(margin, y, pageW - margin, y);
    y += 16;
  };

  /** A table: columns with width shares and alignment; a header row, then the rows. */
  const table = (
    columns: { title: string; share: number; align?: 'left' | 'right' }[],
    rows: string[][],
    empty = 'None',
  ): void => {
    const xs: number[] = [];
    let x = margin;
    for (const c of columns) {
      xs.push(x);
      x += c.share * contentW;
    }
    const at = (i: number): { x: number; align: 'left' | 'right' } => {
      const c = columns[i];
      const left = xs[i] ?? margin;
      return c?.align === 'right'
        ? { x: left + c.share * contentW - 4, align: 'right' }
        : { x: left + 4, align: 'left' };
    };
    ensure(36);
    doc.setFillColor('#f2f4f7');
    doc.rect(margin, y - 12, contentW, 18, 'F');
    doc.setFont('helvetica', 'bold');
    doc.setFontSize(9.5);
    columns.forEach((c, i) => {
      const p = at(i);
      doc.text(c.title, p.x, y, { align: p.align });
    });
    y += 18;
    doc.setFont('helvetica', 'normal');
    if (rows.length === 0) {
      doc.setTextColor('#475467');
      doc.text(empty, margin + 4, y);
      doc.setTextColor('#101828');
      y += 16;
      return;
    }
    for (const r of rows) {
      ensure(16);
      r.forEach((value, i) => {
        const p = at(i);
        const width = (columns[i]?.share ?? 0.2) * contentW - 8;
        const fitted = doc.splitTextToSize(value, width) as string[];
        doc.text(fitted[0] ?? '', p.x, y, { align: p.align });
      });
      y += 15;
    }
    y += 4;
  };

  // Title block.
  doc.setFont('helvetica', 'bold');
  doc.setFontSize(20);
  doc.setTextColor('#101828');
  doc.text('Daily sales report', margin, y + 6);
  y += 28;
  doc.setFont('helvetica', 'normal');
  doc.setFontSize(11);
  doc.text(shop, margin, y);
  doc.text(`Business date: ${report.businessDate}`, pageW - margin, y, { align: 'right' });
  y += 16;
  doc.setTextColor('#475467');
  doc.setFontSize(9.5);
  doc.text(`Terminal ${input.terminalId}  ·  Time zone ${report.timezone}`, margin, y);
  doc.text(
    `Generated ${formatDateTime(input.generatedAt, 'en-GB', report.timezone)}`,
    pageW - margin,
    y,
    { align: 'right' },
  );
  doc.setTextColor('#101828');
  y += 10;

  // Key figures as boxes.
  heading('Key figures');
  const t = report.totals;
  const kpis: [string, string][] = [
    ['Gross sales', money(t.grossFen)],
    ['Refunds', money(t.refundsFen)],
    ['Net sales', money(t.netFen)],
    ['Sales', String(t.salesCount)],
    ['Average ticket', money(t.averageTicketFen)],
    ['Face-pay share', formatBp(t.facePayShareBp, 'en')],
  ];
  const boxW = (contentW - 2 * 10) / 3;
  kpis.forEach(([label, value], i) => {
    const bx = margin + (i % 3) * (boxW + 10);
    const by = y + Math.floor(i / 3) * 54;
    doc.setDrawColor('#c9d0da');
    doc.roundedRect(bx, by, boxW, 46, 4, 4, 'S');
    doc.setFont('helvetica', 'normal');
    doc.setFontSize(9);
    doc.setTextColor('#475467');
    doc.text(label, bx + 10, by + 16);
    doc.setFont('helvetica', 'bold');
    doc.setFontSize(15);
    doc.setTextColor('#101828');
    doc.text(value, bx + 10, by + 36);
  });
  y += 2 * 54 + 4;
  doc.setFont('helvetica', 'normal');
  doc.setFontSize(9.5);
  doc.text(
    `Discounts ${money(t.discountFen)}  ·  Tax included ${money(t.taxFen)}  ·  ` +
      `${t.refundsCount} refund(s)`,
    margin,
    y,
  );
  y += 8;

  // Sales by hour: bars.
  heading('Net sales by hour');
  const hours = tradingHours(report.byHour);
  const chartH = 130;
  ensure(chartH + 30);
  if (hours.length === 0) {
    doc.text('No sales on this day', margin, y);
    y += 16;
  } else {
    const bars = barLayout(
      hours.map((h) => ({ key: h.hour, value: h.netFen })),
      contentW,
      chartH,
      0.25,
      40,
    );
    doc.setFillColor('#0b5cd5');
    doc.setFontSize(8);
    for (const b of bars) {
      if (b.height > 0) doc.rect(margin + b.x, y + b.y, b.width, b.height, 'F');
      doc.setTextColor('#475467');
      doc.text(String(b.key).padStart(2, '0'), margin + b.x + b.width / 2, y + chartH + 12, {
        align: 'center',
      });
      if (b.height > 0) {
        doc.setTextColor('#101828');
        doc.text(money(b.value), margin + b.x + b.width / 2, y + b.y - 3, { align: 'center' });
      }
    }
    doc.setDrawColor('#98a2b3');
    doc.line(margin, y + chartH, margin + contentW, y + chartH);
    doc.setTextColor('#101828');
    y += chartH + 24;
  }

  // Payment-method mix: a donut and its legend.
  heading('Payment-method mix (net of refunds)');
  const slices = pieLayout(t.byMethod.map((m) => ({ key: m.method, value: m.amountFen })));
  ensure(130);
  if (slices.length === 0) {
    doc.text('No payments on this day', margin, y);
    y += 16;
  } else {
    const r = 55;
    const cx = margin + r + 4;
    const cy = y + r;
    for (const s of slices) {
      const points = slicePolygon(cx, cy, r, r * 0.5, s);
      const [first, ...rest] = points;
      if (first === undefined) continue;
      const deltas: [number, number][] = [];
      let prev = first;
      for (const p of rest) {
        deltas.push([p[0] - prev[0], p[1] - prev[1]]);
        prev = p;
      }
      doc.setFillColor(METHOD_COLOURS[s.key] ?? '#667085');
      doc.lines(deltas, first[0], first[1], [1, 1], 'F', true);
    }
    doc.setFontSize(10);
    slices.forEach((s, i) => {
      const ly = y + 14 + i * 20;
      doc.setFillColor(METHOD_COLOURS[s.key] ?? '#667085');
      doc.rect(cx + r + 30, ly - 9, 10, 10, 'F');
      doc.text(
        `${METHOD_NAMES[s.key] ?? s.key}: ${money(s.value)} (${formatBp(Math.round(s.share * 10_000), 'en')})`,
        cx + r + 46,
        ly,
      );
    });
    y += 2 * r + 14;
  }

  heading('By payment method');
  table(
    [
      { title: 'Method', share: 0.5 },
      { title: 'Payments', share: 0.2, align: 'right' },
      { title: 'Net amount', share: 0.3, align: 'right' },
    ],
    t.byMethod.map((m) => [
      METHOD_NAMES[m.method] ?? m.method,
      String(m.count),
      money(m.amountFen),
    ]),
  );

  heading('Top items');
  table(
    [
      { title: 'Item', share: 0.5 },
      { title: 'SKU', share: 0.2 },
      { title: 'Qty', share: 0.1, align: 'right' },
      { title: 'Net', share: 0.2, align: 'right' },
    ],
    report.topItems.map((i) => [
      latinOnly(i.nameEn) || i.sku,
      i.sku,
      String(i.qty),
      money(i.netFen),
    ]),
  );

  heading('Refunds');
  table(
    [
      { title: 'Receipt', share: 0.22 },
      { title: 'Time', share: 0.13 },
      { title: 'Reason', share: 0.45 },
      { title: 'Amount', share: 0.2, align: 'right' },
    ],
    report.refunds.map((r) => [
      r.receiptNo ?? '',
      formatTime(r.createdAt, 'en-GB', report.timezone),
      latinOnly(r.reason) || '-',
      money(r.amountFen),
    ]),
  );

  heading('Shifts and cash counts');
  table(
    [
      { title: 'Opened', share: 0.16 },
      { title: 'Closed', share: 0.16 },
      { title: 'Float', share: 0.17, align: 'right' },
      { title: 'Expected', share: 0.17, align: 'right' },
      { title: 'Counted', share: 0.17, align: 'right' },
      { title: 'Variance', share: 0.17, align: 'right' },
    ],
    input.shifts.map((s) => [
      formatTime(s.openedAt, 'en-GB', report.timezone),
      s.closedAt === null ? 'open' : formatTime(s.closedAt, 'en-GB', report.timezone),
      money(s.floatFen),
      money(s.expectedCashFen),
      s.countedCashFen === null ? '-' : money(s.countedCashFen),
      s.varianceFen === null ? '-' : money(s.varianceFen),
    ]),
  );

  // Footer on every page.
  const pages = doc.getNumberOfPages();
  for (let p = 1; p <= pages; p++) {
    doc.setPage(p);
    doc.setFont('helvetica', 'normal');
    doc.setFontSize(8.5);
    doc.setTextColor('#475467');
    doc.text(`${shop} · Daily sales report ${report.businessDate}`, margin, pageH - 24);
    doc.text(`Page ${p} of ${pages}`, pageW - margin, pageH - 24, { align: 'right' });
  }
  return doc;
}
