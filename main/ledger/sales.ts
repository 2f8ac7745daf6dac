/**
 * Ringing up: the active cart, its lines and discounts, hold/recall and void.
 *
 * Rules chosen here:
 * - The terminal has at most one open cart; addItem opens one when there is none.
 * - Scanning a product that is already on the sale adds to that line's quantity, provided the
 *   line has no line discount and the same price and tax rate (otherwise a new line), so a
 *   receipt shows "3 x water", while a discounted line is never silently widened.
 * - Lines are numbered 1..n; removing a line renumbers the lines after it.
 * - Once a payment has been taken, the lines and discounts are frozen (SALE_HAS_PAYMENTS): what
 *   was paid always matches what is on the sale. Such a sale cannot be held or voided either.
 * - recall() needs the terminal to be free: an active cart with lines must be held, paid or
 *   voided first (SALE_NOT_OPEN); an empty active cart is simply discarded.
 * - A void writes the sale (status voided, with its lines) to the ledger, so voids stay visible
 *   and chained in the audit log; a voided sale gets no receipt number.
 */
import {
  MAX_LINES,
  MAX_QTY,
  PosError,
  type Product,
  type Sale,
  type SaleSummary,
  type StaffRef,
} from '../contract';
import { appendAudit, content } from './audit';
import { activeCart, deleteCart, heldCarts, loadCart, saveCart, type Cart } from './carts';
import { lookupBarcode, sellableProduct } from './catalog';
import type { Ctx } from './context';
import { priceSale, type PricedSale } from './pricing';
import { SALE_LINES, SALES, type SaleLineRow, type SaleRow } from './rows';
import { cartSummary, cartToSale, hasPayments, rowToSale, saleRow } from './sale-view';
import { openShiftRow } from './shifts';
import { requireOperator } from './staff';
import { refuseIfRegisterSale } from './registers';
import { checkAmount, checkId, checkLineNo, checkQty } from './validate';

/** The cart of a sale that is still open or held, or the reason there is none. */
export function requireCart(ctx: Ctx, saleId: string): Cart {
  const cart = loadCart(ctx, checkId(saleId, 'saleId'));
  if (cart) return cart;
  const row = saleRow(ctx, saleId);
  if (row) throw new PosError('SALE_NOT_OPEN', `sale ${saleId} is already ${row.status}`, 'saleId');
  throw new PosError('NOT_FOUND', `no sale ${saleId}`, 'saleId');
}

/** The cart of the active (open, not held) sale. */
export function requireOpenCart(ctx: Ctx, saleId: string): Cart {
  const cart = requireCart(ctx, saleId);
  if (cart.status !== 'open')
    throw new PosError('SALE_NOT_OPEN', `sale ${saleId} is held; recall it first`, 'saleId');
  return cart;
}

function refuseIfPaid(ctx: Ctx, saleId: string): void {
  if (hasPayments(ctx, saleId))
    throw new PosError(
      'SALE_HAS_PAYMENTS',
      `sale ${saleId} already has payments; it can no longer be changed, held or voided`,
      'saleId',
    );
}

/** One cart edit: load, check, change, re-price (which validates), save. */
function editCart(ctx: Ctx, saleId: string, edit: (cart: Cart) => void): Sale {
  return ctx.tx(() => {
    const cart = requireOpenCart(ctx, saleId);
    refuseIfRegisterSale(ctx, saleId);
    refuseIfPaid(ctx, saleId);
    edit(cart);
    priceSale(cart.lines, cart.saleDiscountFen);
    saveCart(ctx, cart);
    return cartToSale(ctx, cart, []);
  });
}

function lineOf(cart: Cart, lineNo: number) {
  const line = cart.lines.find((l) => l.lineNo === checkLineNo(lineNo));
  if (!line) throw new PosError('NOT_FOUND', `sale ${cart.id} has no line ${lineNo}`, 'lineNo');
  return line;
}

export function addItem(ctx: Ctx, input: { barcode?: string; sku?: string; qty?: number }): Sale {
  if ((input.barcode === undefined) === (input.sku === undefined))
    throw new PosError('VALIDATION', 'give exactly one of barcode or sku', 'barcode');
  const qty = checkQty(input.qty ?? 1);
  const product: Product =
    input.barcode !== undefined
      ? lookupBarcode(ctx, input.barcode)
      : sellableProduct(ctx, checkId(input.sku, 'sku'));
  return ctx.tx(() => {
    const now = ctx.now();
    const cart: Cart = activeCart(ctx) ?? {
      id: ctx.newId(now),
      status: 'open',
      openedAt: now.toISOString(),
      heldAt: null,
      saleDiscountFen: 0,
      lines: [],
    };
    refuseIfRegisterSale(ctx, cart.id);
    refuseIfPaid(ctx, cart.id);
    const same = cart.lines.find(
      (l) =>
        l.sku === product.sku &&
        l.lineDiscountFen === 0 &&
        l.unitPriceFen === product.priceFen &&
        l.taxRateBp === product.taxRateBp,
    );
    if (same) {
      if (same.qty + qty > MAX_QTY)
        throw new PosError(
          'VALIDATION',
          `line ${same.lineNo} would hold more than ${MAX_QTY} units`,
          'qty',
        );
      same.qty += qty;
    } else {
      if (cart.lines.length >= MAX_LINES)
        throw new PosError('VALIDATION', `a sale holds at most ${MAX_LINES} lines`, 'sku');
      cart.lines.push({
        lineNo: cart.lines.length + 1,
        sku: product.sku,
        barcode: product.barcode,
        nameZh: product.nameZh,
        nameEn: product.nameEn,
        qty,
        unitPriceFen: product.priceFen,
        taxRateBp: product.taxRateBp,
        lineDiscountFen: 0,
      });
    }
    priceSale(cart.lines, cart.saleDiscountFen);
    saveCart(ctx, cart);
    return cartToSale(ctx, cart, []);
  });
}

export function setQty(ctx: Ctx, saleId: string, lineNo: number, qty: number): Sale {
  const q = checkQty(qty);
  return editCart(ctx, saleId, (cart) => {
    lineOf(cart, lineNo).qty = q;
  });
}

export function removeLine(ctx: Ctx, saleId: string, lineNo: number): Sale {
  return editCart(ctx, saleId, (cart) => {
    const line = lineOf(cart, lineNo);
    cart.lines = cart.lines.filter((l) => l !== line).map((l, i) => ({ ...l, lineNo: i + 1 }));
    // An emptied sale keeps no discount (there is nothing left to discount).
    if (cart.lines.length === 0) cart.saleDiscountFen = 0;
  });
}

export function setLineDiscount(
  ctx: Ctx,
  saleId: string,
  lineNo: number,
  discountFen: number,
): Sale {
  const d = checkAmount(discountFen, 'discountFen');
  return editCart(ctx, saleId, (cart) => {
    lineOf(cart, lineNo).lineDiscountFen = d;
  });
}

export function setSaleDiscount(ctx: Ctx, saleId: string, discountFen: number): Sale {
  const d = checkAmount(discountFen, 'discountFen');
  return editCart(ctx, saleId, (cart) => {
    cart.saleDiscountFen = d;
  });
}

export function currentSale(ctx: Ctx): Sale | null {
  const cart = activeCart(ctx);
  return cart ? cartToSale(ctx, cart) : null;
}

export function hold(ctx: Ctx, saleId: string): SaleSummary {
  return ctx.tx(() => {
    const cart = requireOpenCart(ctx, saleId);
    if (cart.lines.length === 0)
      throw new PosError('SALE_EMPTY', `sale ${saleId} has no lines to hold`, 'saleId');
    refuseIfRegisterSale(ctx, saleId);
    refuseIfPaid(ctx, saleId);
    cart.status = 'held';
    cart.heldAt = ctx.now().toISOString();
    saveCart(ctx, cart, true);
    return cartSummary(cart);
  });
}

export function listHeld(ctx: Ctx): SaleSummary[] {
  return heldCarts(ctx).map(cartSummary);
}

export function recall(ctx: Ctx, saleId: string): Sale {
  return ctx.tx(() => {
    const cart = requireCart(ctx, saleId);
    if (cart.status === 'open') return cartToSale(ctx, cart);
    const active = activeCart(ctx);
    if (active) {
      if (active.lines.length > 0 || hasPayments(ctx, active.id))
        throw new PosError(
          'SALE_NOT_OPEN',
          `sale ${active.id} is in progress with ${active.lines.length} line(s); hold, pay or ` +
            'void it before recalling another',
          'saleId',
        );
      deleteCart(ctx, active.id);
    }
    cart.status = 'open';
    cart.heldAt = null;
    saveCart(ctx, cart, true);
    return cartToSale(ctx, cart, []);
  });
}

/** Writes a completed or voided sale and its lines to the ledger, chained in the audit log. */
export function writeSale(
  ctx: Ctx,
  cart: Cart,
  priced: PricedSale,
  fields: Pick<
    SaleRow,
    'status' | 'receipt_seq' | 'receipt_no' | 'shift_id' | 'paid_fen' | 'change_fen' | 'operator_id'
  >,
  at: Date,
): { row: SaleRow; lines: SaleLineRow[] } {
  const closedAt = at.toISOString();
  const moment = ctx.businessMoment(at);
  const row: SaleRow = {
    id: cart.id,
    terminal_id: ctx.terminalId,
    status: fields.status,
    receipt_seq: fields.receipt_seq,
    receipt_no: fields.receipt_no,
    shift_id: fields.shift_id,
    opened_at: cart.openedAt,
    closed_at: closedAt,
    business_date: moment.date,
    hour: moment.hour,
    subtotal_fen: priced.subtotalFen,
    line_discount_fen: priced.lineDiscountFen,
    sale_discount_fen: priced.saleDiscountFen,
    total_fen: priced.totalFen,
    tax_fen: priced.taxFen,
    paid_fen: fields.paid_fen,
    change_fen: fields.change_fen,
    operator_id: fields.operator_id,
  };
  const lines: SaleLineRow[] = priced.lines.map((l) => ({
    sale_id: cart.id,
    line_no: l.lineNo,
    sku: l.sku,
    barcode: l.barcode,
    name_zh: l.nameZh,
    name_en: l.nameEn,
    qty: l.qty,
    unit_price_fen: l.unitPriceFen,
    tax_rate_bp: l.taxRateBp,
    gross_fen: l.grossFen,
    line_discount_fen: l.lineDiscountFen,
    sale_discount_share_fen: l.saleDiscountShareFen,
    net_fen: l.netFen,
    tax_fen: l.taxFen,
  }));
  SALES.insert(ctx, row);
  for (const l of lines) SALE_LINES.insert(ctx, l);
  appendAudit(ctx, 'sale', row.id, content.sale(row, lines), closedAt);
  deleteCart(ctx, cart.id);
  return { row, lines };
}

/** Voids a sale that has no payments; `operatorId` is who is signed in at the till. */
export function voidSale(ctx: Ctx, saleId: string, operatorId: string): Sale {
  return ctx.tx(() => {
    const operator: StaffRef | null = requireOperator(ctx, operatorId);
    const cart = requireCart(ctx, saleId);
    refuseIfPaid(ctx, saleId);
    const priced = priceSale(cart.lines, cart.saleDiscountFen);
    const { row, lines } = writeSale(
      ctx,
      cart,
      priced,
      {
        status: 'voided',
        receipt_seq: null,
        receipt_no: null,
        shift_id: openShiftRow(ctx)?.id ?? null,
        paid_fen: 0,
        change_fen: 0,
        operator_id: operator?.id ?? null,
      },
      ctx.now(),
    );
    return rowToSale(row, lines, [], 0, operator);
  });
}
