/**
 * Open and held sales ("carts") live in the carts database (see db.ts): they change with every
 * scan and are not money, so they are kept out of the append-only ledger and off the fsync
 * path. A cart is one row whose document holds its lines and sale discount; it becomes a sale
 * row in the ledger when it completes or is voided, and is then deleted.
 */
import type { CartLine } from './pricing';
import type { Ctx } from './context';

export interface Cart {
  id: string;
  status: 'open' | 'held';
  openedAt: string;
  heldAt: string | null;
  saleDiscountFen: number;
  lines: CartLine[];
}

interface CartRow {
  id: string;
  status: 'open' | 'held';
  opened_at: string;
  held_at: string | null;
  doc: string;
}

interface CartDoc {
  saleDiscountFen: number;
  lines: CartLine[];
}

function fromRow(r: CartRow): Cart {
  const doc = JSON.parse(r.doc) as CartDoc;
  return {
    id: r.id,
    status: r.status,
    openedAt: r.opened_at,
    heldAt: r.held_at,
    saleDiscountFen: doc.saleDiscountFen,
    lines: doc.lines,
  };
}

const SELECT = 'SELECT id, status, opened_at, held_at, doc FROM carts.carts';

export function loadCart(ctx: Ctx, id: string): Cart | null {
  const r = ctx.stmt(`${SELECT} WHERE id = ?`).get(id) as CartRow | undefined;
  return r ? fromRow(r) : null;
}

/** The terminal's active (open, not held) cart. */
export function activeCart(ctx: Ctx): Cart | null {
  const r = ctx.stmt(`${SELECT} WHERE terminal_id = ? AND status = 'open'`).get(ctx.terminalId) as
    CartRow | undefined;
  return r ? fromRow(r) : null;
}

export function heldCarts(ctx: Ctx): Cart[] {
  const rows = ctx
    .stmt(`${SELECT} WHERE terminal_id = ? AND status = 'held' ORDER BY held_at, id`)
    .all(ctx.terminalId) as CartRow[];
  return rows.map(fromRow);
}

/**
 * Writes a cart. Only what changed is written: a scan updates the document alone, so the
 * one-open-cart index is not rewritten on every scan.
 */
export function saveCart(ctx: Ctx, cart: Cart, statusChanged = false): void {
  const doc = JSON.stringify({
    saleDiscountFen: cart.saleDiscountFen,
    lines: cart.lines,
  } satisfies CartDoc);
  if (statusChanged) {
    ctx
      .stmt('UPDATE carts.carts SET status = ?, held_at = ?, doc = ? WHERE id = ?')
      .run(cart.status, cart.heldAt, doc, cart.id);
    return;
  }
  const updated = ctx.stmt('UPDATE carts.carts SET doc = ? WHERE id = ?').run(doc, cart.id);
  if (updated.changes === 0)
    ctx
      .stmt(
        `INSERT INTO carts.carts (id, terminal_id, status, opened_at, held_at, doc)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(cart.id, ctx.terminalId, cart.status, cart.openedAt, cart.heldAt, doc);
}

export function deleteCart(ctx: Ctx, id: string): void {
  ctx.stmt('DELETE FROM carts.carts WHERE id = ?').run(id);
}
