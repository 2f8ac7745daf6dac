/**
 * The daily report as a PDF a manager files: title, shop, date, key figures, the two charts
 * (the screen's own Recharts drawings, as vectors through svg2pdf.js) and the tables.
 *
 * The PDF is in English with the products' English names, set in the PDF's built-in Helvetica.
 * Why not Chinese: jsPDF embeds TrueType (glyf) fonts only. The screens' Noto Sans SC comes as
 * WOFF2 slices (fontsource), which jsPDF cannot read; the npm packages that carry it as TTF ship
 * every weight at 10.5 MB each (@expo-google-fonts/noto-sans-sc, 57 MB to download), and the
 * GB2312 subset (@embedpdf/fonts-sc) is CFF-flavoured OTF, which jsPDF cannot embed. Carrying
 * Chinese would mean 10+ MB more in the app, parsed on every export. Every catalogue entry has an
 * English name, and the filed copy's figures are language-neutral; the screen and the CSV are
 * bilingual.
 */
import { jsPDF } from 'jspdf';
// Adds doc.svg(): SVG to PDF vectors (svg2pdf.js, kept by yWorks beside jsPDF itself).
import 'svg2pdf.js';
import { METHOD_SETTLED_BY, type DailyReport, type PaymentMethod, type Shift } from '../contract';
import { hourSeries, METHOD_COLOURS, methodMix } from '../features/charts/chartData';
import { formatFen } from './money';
import { pdfCharts, type PdfCharts, type PdfChartSizes } from './reportPdfCharts';
import { formatBp, formatDateTime, formatTime, hourRange } from './time';

export interface PdfInput {
  report: DailyReport;
  shifts: readonly Shift[];
  shopName: string;
  terminalId: string;
  generatedAt: Date;
}

const METHOD_NAMES: Record<PaymentMethod, string> = {
  cash: 'Cash',
  face: 'Face pay',
  qr: 'QR code',
  card: 'Card',
  alipay: 'Alipay',
  wechat: 'WeChat Pay',
  unionpay: 'UnionPay QR',
  stored_value: 'Stored value',
};

const SETTLED_BY_NAMES: Record<(typeof METHOD_SETTLED_BY)[PaymentMethod], string> = {
  till: 'Till',
  acquirer: 'Acquirer',
  cloud: 'Face-pay cloud',
};

/** What Helvetica (WinAnsi) can show: Latin text stays, anything else is dropped. */
export function latinOnly(text: string): string {
  return text
    .replace(/[^\u0020-\u007e\u00a0-\u00ff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const money = (fen: number): string => formatFen(fen, 'en');

const MARGIN = 48;
const A4_WIDTH = 595.28;

/** The charts' size on paper, in points (the SVG is drawn at this size: 1 px = 1 pt). */
export const PDF_CHART_SIZES: PdfChartSizes = {
  hourly: { width: A4_WIDTH - 2 * MARGIN, height: 140 },
  donut: 110,
};

export async function reportPdf(input: PdfInput): Promise<jsPDF> {
  const charts = await pdfCharts(input.report, PDF_CHART_SIZES);
  try {
    return await layout(input, charts);
  } finally {
    charts.dispose();
  }
}

async function layout(input: PdfInput, charts: PdfCharts): Promise<jsPDF> {
  const { report } = input;
  const doc = new jsPDF({ unit: 'pt', format: 'a4' });
  const pageW = doc.internal.pageSize.getWidth();
  const pageH = doc.internal.pageSize.getHeight();
  const margin = MARGIN;
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

  // Sales by hour: the screen's Recharts bars, as vectors.
  heading('Net sales by hour');
  ensure(PDF_CHART_SIZES.hourly.height + 10);
  if (charts.hourly === null) {
    doc.text('No sales on this day', margin, y);
    y += 16;
  } else {
    await doc.svg(charts.hourly, {
      x: margin,
      y,
      width: PDF_CHART_SIZES.hourly.width,
      height: PDF_CHART_SIZES.hourly.height,
    });
    y += PDF_CHART_SIZES.hourly.height + 10;
    doc.setFont('helvetica', 'normal');
    doc.setTextColor('#101828');
  }

  // The bars' figures, exactly: a busy day has too many bars to label each one.
  const hours = hourSeries(report);
  if (hours.length > 0) {
    heading('Sales by hour');
    table(
      [
        { title: 'Hour', share: 0.4 },
        { title: 'Sales', share: 0.25, align: 'right' },
        { title: 'Net', share: 0.35, align: 'right' },
      ],
      hours.map((h) => [hourRange(h.hour), String(h.count), money(h.netFen)]),
    );
  }

  // Payment-method mix: the screen's donut, and its legend as text (copyable, searchable).
  heading('Payment-method mix (net of refunds)');
  const slices = methodMix(report);
  const r = PDF_CHART_SIZES.donut / 2;
  ensure(2 * r + 14);
  if (charts.donut === null) {
    doc.text('No payments on this day', margin, y);
    y += 16;
  } else {
    await doc.svg(charts.donut, { x: margin, y, width: 2 * r, height: 2 * r });
    // svg2pdf.js leaves its own font and colours set.
    doc.setFont('helvetica', 'normal');
    doc.setFontSize(10);
    doc.setTextColor('#101828');
    slices.forEach((s, i) => {
      const ly = y + 14 + i * 20;
      doc.setFillColor(METHOD_COLOURS[s.method]);
      doc.rect(margin + 2 * r + 30, ly - 9, 10, 10, 'F');
      doc.text(
        `${METHOD_NAMES[s.method]}: ${money(s.amountFen)} (${formatBp(s.shareBp, 'en')})`,
        margin + 2 * r + 46,
        ly,
      );
    });
    y += 2 * r + 14;
  }

  heading('By payment method');
  // Paid and refunds are absent in a Z snapshot older than the payment mix: '-' then.
  const orDash = (fen: number | undefined) => (fen === undefined ? '-' : money(fen));
  table(
    [
      { title: 'Method', share: 0.22 },
      { title: 'Settled by', share: 0.14 },
      { title: 'Payments', share: 0.12, align: 'right' },
      { title: 'Paid', share: 0.18, align: 'right' },
      { title: 'Refunds', share: 0.16, align: 'right' },
      { title: 'Net', share: 0.18, align: 'right' },
    ],
    t.byMethod.map((m) => [
      METHOD_NAMES[m.method],
      SETTLED_BY_NAMES[METHOD_SETTLED_BY[m.method]],
      String(m.count),
      orDash(m.paidFen),
      orDash(m.refundsFen),
      money(m.amountFen),
    ]),
  );

  const registers = t.byRegister ?? [];
  if (registers.length > 0) {
    heading('By register (part of the figures above)');
    table(
      [
        { title: 'Register', share: 0.3 },
        { title: 'Sales', share: 0.1, align: 'right' },
        { title: 'Sold', share: 0.2, align: 'right' },
        { title: 'Refunds', share: 0.2, align: 'right' },
        { title: 'Net', share: 0.2, align: 'right' },
      ],
      registers.map((g) => [
        latinOnly(g.registerName) || g.registerId.slice(0, 8),
        String(g.salesCount),
        money(g.salesFen),
        money(g.refundsFen),
        money(g.netFen),
      ]),
    );
    table(
      [
        { title: 'Register', share: 0.3 },
        { title: 'Method', share: 0.3 },
        { title: 'Payments', share: 0.15, align: 'right' },
        { title: 'Net', share: 0.25, align: 'right' },
      ],
      registers.flatMap((g) =>
        g.byMethod
          .filter((m) => m.count !== 0 || m.amountFen !== 0)
          .map((m) => [
            latinOnly(g.registerName) || g.registerId.slice(0, 8),
            METHOD_NAMES[m.method],
            String(m.count),
            money(m.amountFen),
          ]),
      ),
    );
  }

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
