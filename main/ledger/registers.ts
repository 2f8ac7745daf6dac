/**
 * Registers paired with the terminal and the orders they send (migration 16).
 *
 * A register order IS a ledger sale: it opens as the terminal's active cart (so the customer
 * display shows it, and it pays through the same payments.ts as the till's sales), completes
 * with a receipt number, and is refunded by refunds.ts. What is the register's alone is kept
 * beside it in register_orders: the order number (per register, the idempotency key), the
 * register's name then, the merchant/platform split of the discount (the sale keeps their sum as
 * its sale discount, spread over the lines by largest remainder, so line nets sum to the
 * amount), the callback URL and a version for long-polls.
 *
 * One sale on the customer display at a time: an order is refused with BUSY while the till has
 * a sale under way, and the till's cart edits are refused with BUSY while an order is open.
 */
import {
  MAX_AMOUNT_FEN,
  PosError,
  type CreateOrderRequest,
  type DiscountKind,
  type RegisterDevice,
} from '../contract';
import { activeCart, deleteCart, loadCart, saveCart, type Cart } from './carts';
import type { Ctx } from './context';
import { tokenHash } from './display-devices';
import { priceSale, type CartLine } from './pricing';
import { REGISTERS_SINCE } from './rows';
import { hasPayments } from './sale-view';

// ------------------------------------------------------------------------------- registers

interface RegisterRow {
  id: string;
  name: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}
const REGISTER_COLUMNS = 'id, name, created_at, last_seen_at, revoked_at';

function toRegister(row: RegisterRow): RegisterDevice {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
  };
}

export function addRegister(ctx: Ctx, name: string, token: string): RegisterDevice {
  const id = ctx.newId(ctx.now());
  ctx
    .stmt('INSERT INTO registers (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)')
    .run(id, name, tokenHash(token), ctx.now().toISOString());
  return getRegister(ctx, id);
}

/**
 * A register the terminal speaks for itself: the shop's own register, whose totals arrive on the
 * pole display's RS-232 line (core/pole-sales.ts). It is a registers row like a paired one, so
 * its sales are orders with everything orders have (BUSY against the till's sale, per-register
 * reports, the register origin synced to the cloud); but it has no token. Its token_hash is
 * `builtin:<key>`, which no SHA-256 hex digest equals: no bearer token can authenticate as it.
 */
const BUILT_IN = 'builtin:';

export function builtInRegister(ctx: Ctx, key: string, name: string): RegisterDevice {
  const row = ctx
    .stmt(`SELECT ${REGISTER_COLUMNS} FROM registers WHERE token_hash = ?`)
    .get(BUILT_IN + key) as RegisterRow | undefined;
  if (row !== undefined) return toRegister(row);
  const id = ctx.newId(ctx.now());
  ctx
    .stmt('INSERT INTO registers (id, name, token_hash, created_at) VALUES (?, ?, ?, ?)')
    .run(id, name, BUILT_IN + key, ctx.now().toISOString());
  return getRegister(ctx, id);
}

function isBuiltInRegister(ctx: Ctx, id: string): boolean {
  const row = ctx.stmt('SELECT token_hash FROM registers WHERE id = ?').get(id) as
    { token_hash: string } | undefined;
  return row?.token_hash.startsWith(BUILT_IN) === true;
}

export function getRegister(ctx: Ctx, id: string): RegisterDevice {
  const row = ctx.stmt(`SELECT ${REGISTER_COLUMNS} FROM registers WHERE id = ?`).get(id) as
    RegisterRow | undefined;
  if (row === undefined) throw new PosError('NOT_FOUND', `no paired register ${id}`, 'registerId');
  return toRegister(row);
}

export function listRegisters(ctx: Ctx): RegisterDevice[] {
  return (
    ctx.stmt(`SELECT ${REGISTER_COLUMNS} FROM registers ORDER BY created_at`).all() as RegisterRow[]
  ).map(toRegister);
}

/**
 * The unrevoked register a token belongs to; notes when it was last seen (at most once a
 * minute: every request passes here, and a write per request would cost an fsync each).
 */
export function registerByToken(ctx: Ctx, token: string): RegisterDevice | null {
  const row = ctx
    .stmt(`SELECT ${REGISTER_COLUMNS} FROM registers WHERE token_hash = ? AND revoked_at IS NULL`)
    .get(tokenHash(token)) as RegisterRow | undefined;
  if (row === undefined) return null;
  const now = ctx.now();
  const last = row.last_seen_at === null ? 0 : Date.parse(row.last_seen_at);
  if (now.getTime() - last > 60_000) {
    row.last_seen_at = now.toISOString();
    ctx.stmt('UPDATE registers SET last_seen_at = ? WHERE id = ?').run(row.last_seen_at, row.id);
  }
  return toRegister(row);
}

export function renameRegister(ctx: Ctx, id: string, name: string): RegisterDevice {
  return ctx.tx(() => {
    getRegister(ctx, id);
    ctx.stmt('UPDATE registers SET name = ? WHERE id = ?').run(name, id);
    return getRegister(ctx, id);
  });
}

export function revokeRegister(ctx: Ctx, id: string): RegisterDevice {
  return ctx.tx(() => {
    getRegister(ctx, id);
    ctx
      .stmt('UPDATE registers SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?')
      .run(ctx.now().toISOString(), id);
    return getRegister(ctx, id);
  });
}

// ---------------------------------------------------------------------------------- orders

export interface OrderDiscountRow {
  kind: DiscountKind;
  label: string | null;
  amountFen: number;
}

export interface RegisterOrderRow {
  registerId: string;
  orderNo: string;
  saleId: string;
  registerName: string;
  /** What the register asked for, canonical (see canonicalOrder). */
  request: CanonicalOrder;
  amountFen: number;
  discounts: OrderDiscountRow[];
  callbackUrl: string | null;
  cancelledAt: string | null;
  businessDate: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface OrderDbRow {
  register_id: string;
  order_no: string;
  sale_id: string;
  register_name: string;
  request: string;
  amount_fen: number;
  discounts: string;
  callback_url: string | null;
  cancelled_at: string | null;
  business_date: string;
  version: number;
  created_at: string;
  updated_at: string;
}

function toOrderRow(r: OrderDbRow): RegisterOrderRow {
  return {
    registerId: r.register_id,
    orderNo: r.order_no,
    saleId: r.sale_id,
    registerName: r.register_name,
    request: JSON.parse(r.request) as CanonicalOrder,
    amountFen: r.amount_fen,
    discounts: JSON.parse(r.discounts) as OrderDiscountRow[],
    callbackUrl: r.callback_url,
    cancelledAt: r.cancelled_at,
    businessDate: r.business_date,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const ORDER_SELECT = 'SELECT * FROM register_orders';

export function orderByNo(ctx: Ctx, registerId: string, orderNo: string): RegisterOrderRow | null {
  const r = ctx
    .stmt(`${ORDER_SELECT} WHERE register_id = ? AND order_no = ?`)
    .get(registerId, orderNo) as OrderDbRow | undefined;
  return r === undefined ? null : toOrderRow(r);
}

export function orderBySale(ctx: Ctx, saleId: string): RegisterOrderRow | null {
  // A ledger opened at an older schema (tests of migrations) has no register orders.
  if (ctx.schemaVersion < REGISTERS_SINCE) return null;
  const r = ctx.stmt(`${ORDER_SELECT} WHERE sale_id = ?`).get(saleId) as OrderDbRow | undefined;
  return r === undefined ? null : toOrderRow(r);
}

export function ordersOfDay(
  ctx: Ctx,
  registerId: string,
  businessDate: string,
): RegisterOrderRow[] {
  return (
    ctx
      .stmt(`${ORDER_SELECT} WHERE register_id = ? AND business_date = ? ORDER BY created_at`)
      .all(registerId, businessDate) as OrderDbRow[]
  ).map(toOrderRow);
}

/** The order's version goes up (its sale changed: a payment, completion, a refund...). */
export function touchOrder(ctx: Ctx, saleId: string, cancelled = false): RegisterOrderRow | null {
  const now = ctx.now().toISOString();
  ctx
    .stmt(
      `UPDATE register_orders SET version = version + 1, updated_at = ?,
         cancelled_at = CASE WHEN ? THEN coalesce(cancelled_at, ?) ELSE cancelled_at END
       WHERE sale_id = ?`,
    )
    .run(now, cancelled ? 1 : 0, now, saleId);
  return orderBySale(ctx, saleId);
}

/** The content that makes "the same order": everything but the order number. */
export interface CanonicalOrder {
  amountFen: number;
  lines: { name: string; qty: number; unitPriceFen: number }[] | null;
  discounts: { kind: DiscountKind; amountFen: number; label: string | null }[];
  callbackUrl: string | null;
}

export function canonicalOrder(input: CreateOrderRequest): CanonicalOrder {
  return {
    amountFen: input.amountFen,
    lines:
      input.lines?.map((l) => ({ name: l.name, qty: l.qty, unitPriceFen: l.unitPriceFen })) ?? null,
    discounts: (input.discounts ?? []).map((d) => ({
      kind: d.kind,
      amountFen: d.amountFen,
      label: d.label ?? null,
    })),
    callbackUrl: input.callbackUrl ?? null,
  };
}

/** What differs between two requests under one order number, for the 409's message. */
export function orderDifferences(was: CanonicalOrder, now: CanonicalOrder): string[] {
  const out: string[] = [];
  if (was.amountFen !== now.amountFen)
    out.push(`amountFen (was ${was.amountFen}, now ${now.amountFen})`);
  if (JSON.stringify(was.lines) !== JSON.stringify(now.lines)) out.push('lines');
  if (JSON.stringify(was.discounts) !== JSON.stringify(now.discounts)) out.push('discounts');
  if (was.callbackUrl !== now.callbackUrl) out.push('callbackUrl');
  return out;
}

/** The cart lines of an order: the register's lines, or one line for the whole amount. */
function orderLines(orderNo: string, request: CanonicalOrder, discountFen: number): CartLine[] {
  const given = request.lines ?? [
    { name: `#${orderNo}`, qty: 1, unitPriceFen: request.amountFen + discountFen },
  ];
  return given.map((l, i) => ({
    lineNo: i + 1,
    // Free-text lines are no catalogue product: a sku that says where the line came from.
    sku: 'register',
    barcode: '',
    nameZh: l.name,
    nameEn: l.name,
    qty: l.qty,
    unitPriceFen: l.unitPriceFen,
    // The register's own receipt states the tax; the terminal does not invent a rate.
    taxRateBp: 0,
    lineDiscountFen: 0,
  }));
}

/**
 * Opens an order as the active sale, or returns the one already made under that number (same
 * content). `created` says which. BUSY while another sale is under way at the till.
 */
export function openOrder(
  ctx: Ctx,
  register: RegisterDevice,
  input: CreateOrderRequest,
): { order: RegisterOrderRow; created: boolean } {
  const request = canonicalOrder(input);
  return ctx.tx(() => {
    const existing = orderByNo(ctx, register.id, input.orderNo);
    if (existing !== null) {
      const differs = orderDifferences(existing.request, request);
      if (differs.length > 0)
        throw new PosError(
          'ORDER_CONFLICT',
          `order ${input.orderNo} was already sent with other content: ${differs.join(', ')} ` +
            'differ; use a new order number for a new order',
          differs[0]?.split(' ')[0],
        );
      return { order: existing, created: false };
    }
    const discountFen = request.discounts.reduce((a, d) => a + d.amountFen, 0);
    if (request.lines !== null) {
      const gross = request.lines.reduce((a, l) => a + l.qty * l.unitPriceFen, 0);
      if (gross - discountFen !== request.amountFen)
        throw new PosError(
          'VALIDATION',
          `amountFen ${request.amountFen} does not match the lines: ${gross} (lines) - ` +
            `${discountFen} (discounts) = ${gross - discountFen}`,
          'amountFen',
        );
    } else if (request.amountFen + discountFen > MAX_AMOUNT_FEN) {
      throw new PosError(
        'AMOUNT_OUT_OF_RANGE',
        'amount plus discounts exceeds ¥1,000,000',
        'amountFen',
      );
    }
    const active = activeCart(ctx);
    if (active !== null) {
      if (active.lines.length > 0 || hasPayments(ctx, active.id)) {
        const other = orderBySale(ctx, active.id);
        throw new PosError(
          'BUSY',
          other === null
            ? 'the till has a sale under way: finish, hold or void it first, then send the order again'
            : `order ${other.orderNo} of register ${other.registerName} is on the customer display`,
        );
      }
      deleteCart(ctx, active.id);
    }
    const at = ctx.now();
    const cart: Cart = {
      id: ctx.newId(at),
      status: 'open',
      openedAt: at.toISOString(),
      heldAt: null,
      saleDiscountFen: discountFen,
      lines: orderLines(input.orderNo, request, discountFen),
    };
    // Validates the lines (bounds) and checks the nets sum to the amount.
    const priced = priceSale(cart.lines, cart.saleDiscountFen);
    if (priced.totalFen !== request.amountFen)
      throw new PosError('INTERNAL', 'register order priced to another amount');
    saveCart(ctx, cart);
    const createdAt = at.toISOString();
    ctx
      .stmt(
        `INSERT INTO register_orders (register_id, order_no, sale_id, register_name, request,
           amount_fen, discounts, callback_url, business_date, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        register.id,
        input.orderNo,
        cart.id,
        register.name,
        JSON.stringify(request),
        request.amountFen,
        JSON.stringify(request.discounts),
        request.callbackUrl,
        ctx.businessMoment(at).date,
        createdAt,
        createdAt,
      );
    const order = orderByNo(ctx, register.id, input.orderNo);
    if (order === null) throw new PosError('INTERNAL', 'register order not written');
    return { order, created: true };
  });
}

/**
 * The till may not change a register's sale (its content is the register's), nor start one
 * of its own while an order is open: BUSY. `settle` (pay, void): a built-in register's sale is
 * the till's to settle, there being no register API on the other end to do it.
 */
export function refuseIfRegisterSale(
  ctx: Ctx,
  saleId: string,
  action: 'change' | 'settle' = 'change',
): void {
  const order = orderBySale(ctx, saleId);
  if (order === null || loadCart(ctx, saleId) === null) return;
  if (action === 'settle' && isBuiltInRegister(ctx, order.registerId)) return;
  throw new PosError(
    'BUSY',
    `this is order ${order.orderNo} of register ${order.registerName}: it is paid or ` +
      'cancelled at the register',
    'saleId',
  );
}

// --------------------------------------------------------------------------------- refunds

export interface RegisterRefundRow {
  refundNo: string;
  orderNo: string;
  refundId: string;
  request: string;
}

export function refundByNo(
  ctx: Ctx,
  registerId: string,
  refundNo: string,
): RegisterRefundRow | null {
  const r = ctx
    .stmt(
      `SELECT refund_no, order_no, refund_id, request FROM register_refunds
       WHERE register_id = ? AND refund_no = ?`,
    )
    .get(registerId, refundNo) as
    { refund_no: string; order_no: string; refund_id: string; request: string } | undefined;
  return r === undefined
    ? null
    : { refundNo: r.refund_no, orderNo: r.order_no, refundId: r.refund_id, request: r.request };
}

/** The register's refund numbers of a sale's refunds (refunds made at the till have none). */
export function refundNosOf(ctx: Ctx, saleId: string): Map<string, string> {
  const rows = ctx
    .stmt(
      `SELECT rr.refund_id AS id, rr.refund_no AS no FROM register_refunds rr
       JOIN refunds r ON r.id = rr.refund_id WHERE r.sale_id = ?`,
    )
    .all(saleId) as { id: string; no: string }[];
  return new Map(rows.map((r) => [r.id, r.no]));
}

export function recordRefundNo(
  ctx: Ctx,
  registerId: string,
  refundNo: string,
  orderNo: string,
  refundId: string,
  request: string,
): void {
  ctx
    .stmt(
      `INSERT INTO register_refunds (register_id, refund_no, order_no, refund_id, request,
         created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(registerId, refundNo, orderNo, refundId, request, ctx.now().toISOString());
}

/** Where a sale came from, for its outbox event (the cloud keeps it with the sale): or null. */
export function registerOrigin(
  ctx: Ctx,
  saleId: string,
): { kind: 'register'; registerId: string; registerName: string; orderNo: string } | null {
  const order = orderBySale(ctx, saleId);
  return order === null
    ? null
    : {
        kind: 'register',
        registerId: order.registerId,
        registerName: order.registerName,
        orderNo: order.orderNo,
      };
}
