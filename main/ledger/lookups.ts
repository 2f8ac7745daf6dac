/**
 * Read-only lookups the screens need beside the core API: the catalogue by category, what is
 * left to refund on each line of a sale, and how many outbox events wait for delivery.
 */
import { PosError, type Product } from '../contract';
import type { Ctx } from './context';
import { saleRow } from './sale-view';

/** Categories in catalogue order (the order products were first added), with their sizes. */
export function categories(ctx: Ctx): { category: string; count: number }[] {
  return ctx
    .stmt(
      `SELECT category, count(*) AS count FROM products WHERE active = 1
       GROUP BY category ORDER BY min(rowid)`,
    )
    .all() as { category: string; count: number }[];
}

export function browseCategory(ctx: Ctx, category: string, limit = 100): Product[] {
  const n = Number.isInteger(limit) ? Math.min(Math.max(limit, 1), 200) : 100;
  const rows = ctx
    .stmt(
      `SELECT sku, barcode, name_zh, name_en, category, price_fen, tax_rate_bp FROM products
       WHERE category = ? AND active = 1 ORDER BY rowid LIMIT ?`,
    )
    .all(category, n) as {
    sku: string;
    barcode: string;
    name_zh: string;
    name_en: string;
    category: string;
    price_fen: number;
    tax_rate_bp: number;
  }[];
  return rows.map((r) => ({
    sku: r.sku,
    barcode: r.barcode,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    category: r.category,
    priceFen: r.price_fen,
    taxRateBp: r.tax_rate_bp,
  }));
}

export function refundableLines(
  ctx: Ctx,
  saleId: string,
): { lineNo: number; qty: number; refundedQty: number }[] {
  const sale = saleRow(ctx, saleId);
  if (!sale || sale.status !== 'completed')
    throw new PosError('NOT_FOUND', `no completed sale ${saleId}`, 'saleId');
  return ctx
    .stmt(
      `SELECT l.line_no AS lineNo, l.qty AS qty,
              COALESCE((SELECT SUM(rl.qty) FROM refunds r
                        JOIN refund_lines rl ON rl.refund_id = r.id
                        WHERE r.sale_id = l.sale_id AND rl.line_no = l.line_no), 0) AS refundedQty
       FROM sale_lines l WHERE l.sale_id = ? ORDER BY l.line_no`,
    )
    .all(saleId) as { lineNo: number; qty: number; refundedQty: number }[];
}

export function pendingOutboxCount(ctx: Ctx): number {
  const row = ctx
    .stmt(
      `SELECT count(*) AS n FROM outbox
       WHERE seq > (SELECT acked_through FROM outbox_state)
         AND seq NOT IN (SELECT seq FROM outbox_acks)`,
    )
    .get() as { n: number };
  return row.n;
}
