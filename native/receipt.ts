/**
 * A sale as it comes out of the receipt printer: the layout (lines of text at 32 or 48 columns,
 * for 58 mm or 80 mm paper, each with its style) and its ESC/POS bytes. The paper shows what
 * ReceiptView shows on screen: shop, receipt number, time, cashier, lines with discounts,
 * subtotal, discounts, total, tax, payments, tendered cash, change, refunds, a QR code of the
 * receipt number, and a REPRINT mark on every copy after the first.
 *
 * Money arrives as integer fen and is formatted to yuan here, nowhere else below the screens.
 * Amounts are printed without a currency sign: ¥ is outside GBK (it would be four bytes, or '?',
 * on many printers) and a receipt in a Chinese shop is in yuan anyway.
 */
import type { PaymentMethod, Sale } from '../main/contract';
import { EscPos, type Align, type Charset } from './escpos';
import { Columns } from './text-layout';

/** 58 mm paper takes 32 columns of Font A, 80 mm paper 48. */
export const PAPER_COLUMNS = [32, 48] as const;
export type PaperColumns = (typeof PAPER_COLUMNS)[number];
export type ReceiptLocale = 'zh-CN' | 'en';

export interface ReceiptInput {
  /** A completed sale, as the contract carries it. */
  sale: Sale;
  shopName: string;
  terminalId: string;
  /** Who was signed in at the till when the sale completed (null: nobody recorded). */
  cashier: string | null;
  /** The shop's IANA zone: the time on the paper is the shop's wall-clock time. */
  timezone: string;
  locale: ReceiptLocale;
  /** For a copy after the first: when it is printed. Null for the original. */
  reprintAt: string | null;
}

export type ReceiptBlock =
  | { kind: 'text'; text: string; align: Align; bold: boolean; width: 1 | 2; height: 1 | 2 }
  | { kind: 'qr'; data: string };

const LABELS = {
  'zh-CN': {
    receiptNo: '单号',
    time: '时间',
    cashier: '收银员',
    terminal: '终端',
    reprinted: '重印时间',
    item: '商品',
    qty: '数量',
    price: '单价',
    amount: '金额',
    lineDiscount: '折扣',
    subtotal: '小计',
    lineDiscounts: '单品折扣',
    saleDiscount: '整单折扣',
    total: '合计',
    tax: '其中税额',
    tendered: '实收现金',
    change: '找零',
    refunded: '已退款',
    thanks: '谢谢惠顾，欢迎再次光临',
    methods: {
      cash: '现金',
      face: '刷脸支付',
      qr: '扫码支付',
      card: '银行卡',
      alipay: '支付宝',
      wechat: '微信支付',
      unionpay: '银联二维码',
      stored_value: '储值卡',
    },
  },
  en: {
    receiptNo: 'Receipt',
    time: 'Time',
    cashier: 'Cashier',
    terminal: 'Till',
    reprinted: 'Reprinted',
    item: 'Item',
    qty: 'Qty',
    price: 'Price',
    amount: 'Amount',
    lineDiscount: 'Discount',
    subtotal: 'Subtotal',
    lineDiscounts: 'Line discounts',
    saleDiscount: 'Sale discount',
    total: 'TOTAL',
    tax: 'Tax included',
    tendered: 'Cash tendered',
    change: 'Change',
    refunded: 'Refunded',
    thanks: 'Thank you, please come again',
    methods: {
      cash: 'Cash',
      face: 'Face pay',
      qr: 'QR code',
      card: 'Card',
      alipay: 'Alipay',
      wechat: 'WeChat Pay',
      unionpay: 'UnionPay QR',
      stored_value: 'Stored value',
    },
  },
} satisfies Record<ReceiptLocale, Record<string, unknown>>;

/** Both languages, whatever the receipt's: whoever reads it must not take it for the original. */
export const REPRINT_MARK = '** 重印 REPRINT **';

/** Integer fen as yuan with two decimals, e.g. 1250 -> "12.50", -300 -> "-3.00". */
export function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`amount must be whole fen, got ${fen}`);
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** YYYY-MM-DD HH:mm:ss on the shop's clock. */
export function shopTime(iso: string, timezone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) throw new RangeError(`not a time: ${iso}`);
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((p) => p.type === type)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
}

/** Widths of the number columns of a line: quantity, unit price, amount (24 columns). */
const QTY = 5;
const PRICE = 9;
const AMOUNT = 10;
const NUMBERS = QTY + PRICE + AMOUNT;
/** At 48 columns the name shares the line with the numbers; at 32 it gets lines of its own. */
const INLINE_NAME_MIN_COLUMNS = 40;

export function layoutReceipt(
  input: ReceiptInput,
  columns: PaperColumns,
  charset: Charset = 'gb18030',
): ReceiptBlock[] {
  if (!PAPER_COLUMNS.includes(columns))
    throw new RangeError(`columns: 32 or 48, got ${String(columns)}`);
  const { sale, locale } = input;
  const L = LABELS[locale];
  const cols = new Columns(charset);
  const blocks: ReceiptBlock[] = [];
  const text = (
    line: string,
    style: Partial<{ align: Align; bold: boolean; width: 1 | 2; height: 1 | 2 }> = {},
  ): void => {
    blocks.push({
      kind: 'text',
      text: line,
      align: 'left',
      bold: false,
      width: 1,
      height: 1,
      ...style,
    });
  };
  const lines = (many: string[], style?: Parameters<typeof text>[1]): void =>
    many.forEach((line) => text(line, style));
  const rule = (): void => text('-'.repeat(columns));
  const name = (line: Sale['lines'][number]): string =>
    locale === 'zh-CN' ? line.nameZh || line.nameEn : line.nameEn || line.nameZh;
  const method = (m: PaymentMethod): string => L.methods[m];

  // Head: the shop in double size (half the columns), then who, when, which receipt.
  lines(cols.wrap(input.shopName, columns / 2), {
    align: 'center',
    bold: true,
    width: 2,
    height: 2,
  });
  if (input.reprintAt !== null) text(REPRINT_MARK, { align: 'center', bold: true });
  lines(cols.wrap(`${L.receiptNo}: ${sale.receiptNo ?? '-'}`, columns));
  lines(
    cols.wrap(`${L.time}: ${shopTime(sale.completedAt ?? sale.openedAt, input.timezone)}`, columns),
  );
  if (input.reprintAt !== null)
    lines(cols.wrap(`${L.reprinted}: ${shopTime(input.reprintAt, input.timezone)}`, columns));
  lines(
    cols.spread(
      `${L.cashier}: ${input.cashier ?? '-'}`,
      `${L.terminal}: ${input.terminalId}`,
      columns,
    ),
  );
  rule();

  // Lines: name, quantity, unit price, amount (before discounts, as the shelf priced it).
  const nameWidth = columns - NUMBERS;
  const inline = columns >= INLINE_NAME_MIN_COLUMNS;
  const numbers = (qty: string, price: string, amount: string): string | null =>
    cols.width(qty) < QTY && cols.width(price) < PRICE && cols.width(amount) < AMOUNT
      ? cols.padStart(qty, QTY) + cols.padStart(price, PRICE) + cols.padStart(amount, AMOUNT)
      : null;
  text(cols.padEnd(L.item, nameWidth) + (numbers(L.qty, L.price, L.amount) ?? ''));
  rule();
  for (const line of sale.lines) {
    const figures = numbers(String(line.qty), yuan(line.unitPriceFen), yuan(line.grossFen));
    const wrapped = cols.wrap(name(line), inline ? nameWidth - 1 : columns);
    if (figures === null) {
      // A price too long for its column: the figures on a line of their own instead.
      lines(wrapped);
      lines(
        cols.spread(`  ${line.qty} x ${yuan(line.unitPriceFen)}`, yuan(line.grossFen), columns),
      );
    } else if (inline) {
      const [first = '', ...rest] = wrapped;
      text(cols.padEnd(first, nameWidth) + figures);
      lines(rest);
    } else {
      lines(wrapped);
      text(' '.repeat(nameWidth) + figures);
    }
    if (line.lineDiscountFen !== 0)
      lines(cols.spread(`  ${L.lineDiscount}`, `-${yuan(line.lineDiscountFen)}`, columns));
  }
  rule();

  // Totals.
  const row = (label: string, fen: number, style?: Parameters<typeof text>[1]): void =>
    lines(cols.spread(label, yuan(fen), columns), style);
  row(L.subtotal, sale.subtotalFen);
  if (sale.lineDiscountFen !== 0) row(L.lineDiscounts, -sale.lineDiscountFen);
  if (sale.saleDiscountFen !== 0) row(L.saleDiscount, -sale.saleDiscountFen);
  // Double height keeps the columns, so the total stays aligned with the amounts above it.
  row(L.total, sale.totalFen, { bold: true, height: 2 });
  row(L.tax, sale.taxFen);
  for (const p of sale.payments) row(method(p.method), p.amountFen);
  // Tendered and change are cash lines: a face, card or QR payment has no change to give.
  const cash = sale.payments.filter((p) => p.method === 'cash');
  if (cash.length > 0) {
    row(
      L.tendered,
      cash.reduce((sum, p) => sum + (p.tenderedFen ?? p.amountFen), 0),
    );
    row(L.change, sale.changeFen);
  }
  if (sale.refundedFen !== 0) row(L.refunded, -sale.refundedFen);
  rule();

  // Foot: the receipt number as a QR code (a refund at the till scans it) and in words.
  if (sale.receiptNo !== null) {
    blocks.push({ kind: 'qr', data: sale.receiptNo });
    text(sale.receiptNo, { align: 'center' });
  }
  lines(cols.wrap(L.thanks, columns), { align: 'center' });
  return blocks;
}

/** The layout as ESC/POS: initialise, Chinese mode, the styled lines, the QR code, a cut. */
export function encodeReceipt(
  blocks: readonly ReceiptBlock[],
  columns: PaperColumns,
  charset: Charset = 'gb18030',
): Uint8Array {
  const out = new EscPos(charset).init().chinese();
  let align: Align = 'left';
  let bold = false;
  let size = '1x1';
  for (const block of blocks) {
    if (block.kind === 'qr') {
      out
        .align('center')
        .qr(block.data, { moduleSize: columns >= 48 ? 6 : 4 })
        .line();
      align = 'center';
      continue;
    }
    if (block.align !== align) out.align((align = block.align));
    if (block.bold !== bold) out.bold((bold = block.bold));
    if (`${block.width}x${block.height}` !== size) {
      out.size(block.width, block.height);
      size = `${block.width}x${block.height}`;
    }
    out.line(block.text);
  }
  return out.feed(2).cut({ partial: true, feed: 0 }).bytes();
}

export function renderReceipt(
  input: ReceiptInput,
  columns: PaperColumns,
  charset: Charset = 'gb18030',
): Uint8Array {
  return encodeReceipt(layoutReceipt(input, columns, charset), columns, charset);
}
