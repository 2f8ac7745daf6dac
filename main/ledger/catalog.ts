/**
 * The catalogue. Barcodes are stored as EAN-13 (a UPC-A code gets its leading 0), so a product
 * is found whichever form the scanner reports. Products are not money: they are upserted in
 * place; a sale line keeps its own copy of name, price and tax rate from the moment of the scan,
 * so a price change takes effect at the next scan and never changes a line already rung up.
 *
 * A product may have several barcodes (product_barcodes; products.barcode is the primary one, a
 * sale line's copy). A product taken off sale (active = 0) is kept for the manager but is not
 * found by a scan, a search or a category (catalog-edit.ts edits; this module is the till's).
 */
import {
  PosError,
  checkBarcode,
  product as productSchema,
  toPosError,
  type Product,
} from '../contract';
import type { Ctx } from './context';

interface ProductRow {
  sku: string;
  barcode: string;
  name_zh: string;
  name_en: string;
  category: string;
  price_fen: number;
  tax_rate_bp: number;
}

const COLUMNS = 'sku, barcode, name_zh, name_en, category, price_fen, tax_rate_bp';
/** The same columns of `products p`, for queries that join. */
const P_COLUMNS = COLUMNS.split(', ')
  .map((c) => `p.${c}`)
  .join(', ');

function toProduct(r: ProductRow): Product {
  return {
    sku: r.sku,
    barcode: r.barcode,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    category: r.category,
    priceFen: r.price_fen,
    taxRateBp: r.tax_rate_bp,
  };
}

/** Validates and normalises a barcode, or throws INVALID_BARCODE saying what is wrong. */
export function normaliseBarcode(raw: unknown, field = 'barcode'): string {
  if (typeof raw !== 'string')
    throw new PosError('INVALID_BARCODE', `${field}: expected a barcode`, field);
  const check = checkBarcode(raw);
  if (check.ok) return check.ean13;
  throw new PosError(
    'INVALID_BARCODE',
    check.reason === 'format'
      ? `${field}: a barcode must be 12 (UPC-A) or 13 (EAN-13) digits`
      : `${field}: the check digit of ${raw.trim()} is wrong`,
    field,
  );
}

export function upsertProducts(ctx: Ctx, products: readonly Product[]): void {
  const updatedAt = ctx.now().toISOString();
  const clash = ctx.stmt('SELECT sku FROM product_barcodes WHERE barcode = ? AND sku <> ?');
  const dropBarcodes = ctx.stmt('DELETE FROM product_barcodes WHERE sku = ?');
  const addBarcode = ctx.stmt('INSERT INTO product_barcodes (barcode, sku) VALUES (?, ?)');
  const upsert = ctx.stmt(`
    INSERT INTO products (${COLUMNS}, updated_at)
    VALUES (@sku, @barcode, @nameZh, @nameEn, @category, @priceFen, @taxRateBp, @updatedAt)
    ON CONFLICT (sku) DO UPDATE SET
      barcode = excluded.barcode, name_zh = excluded.name_zh, name_en = excluded.name_en,
      category = excluded.category, price_fen = excluded.price_fen,
      tax_rate_bp = excluded.tax_rate_bp, updated_at = excluded.updated_at,
      active = 1, version = products.version + 1`);
  ctx.tx(() => {
    products.forEach((input, i) => {
      const field = `products.${i}`;
      const barcode = normaliseBarcode(
        (input as { barcode?: unknown } | null)?.barcode,
        `${field}.barcode`,
      );
      const parsed = productSchema.safeParse({ ...input, barcode });
      if (!parsed.success) throw toPosError(parsed.error, field);
      const p = parsed.data;
      const other = clash.get(p.barcode, p.sku) as { sku: string } | undefined;
      if (other)
        throw new PosError(
          'VALIDATION',
          `${field}.barcode: ${p.barcode} already belongs to ${other.sku}`,
          `${field}.barcode`,
        );
      upsert.run({ ...p, updatedAt });
      // The one barcode given is the product's only one: this is the chain's (or the demo's)
      // catalogue speaking, and it is the master of what it sends.
      dropBarcodes.run(p.sku);
      addBarcode.run(p.barcode, p.sku);
    });
  });
}

/**
 * Takes products off the catalogue (the chain withdrew them). Products are not money: a sale
 * line keeps its own copy of what was sold, so no sale changes. Returns how many were there.
 */
export function removeProducts(ctx: Ctx, skus: readonly string[]): number {
  const remove = ctx.stmt('DELETE FROM products WHERE sku = ?');
  const dropBarcodes = ctx.stmt('DELETE FROM product_barcodes WHERE sku = ?');
  return ctx.tx(() =>
    skus.reduce((n, sku) => {
      dropBarcodes.run(sku);
      return n + remove.run(sku).changes;
    }, 0),
  );
}

export function productCount(ctx: Ctx): number {
  return (ctx.stmt('SELECT count(*) AS n FROM products').get() as { n: number }).n;
}

/** The product a scan finds: any of its barcodes, and only while it is on sale. */
export function lookupBarcode(ctx: Ctx, raw: string): Product {
  const barcode = normaliseBarcode(raw);
  const row = ctx
    .stmt(
      `SELECT ${P_COLUMNS}, p.active FROM product_barcodes b JOIN products p ON p.sku = b.sku
       WHERE b.barcode = ?`,
    )
    .get(barcode) as (ProductRow & { active: number }) | undefined;
  if (!row) throw new PosError('UNKNOWN_BARCODE', `no product has barcode ${barcode}`, 'barcode');
  if (row.active !== 1)
    throw new PosError(
      'UNKNOWN_BARCODE',
      `${row.name_zh} (${row.sku}) is off sale: the manager can put it back on sale`,
      'barcode',
    );
  return toProduct(row);
}

/** Which product holds a barcode (on sale or not), or null. */
export function skuWithBarcode(ctx: Ctx, barcode: string): string | null {
  const row = ctx.stmt('SELECT sku FROM product_barcodes WHERE barcode = ?').get(barcode) as
    { sku: string } | undefined;
  return row?.sku ?? null;
}

export function getProduct(ctx: Ctx, sku: string): Product {
  const row = ctx.stmt(`SELECT ${COLUMNS} FROM products WHERE sku = ?`).get(sku) as
    ProductRow | undefined;
  if (!row) throw new PosError('NOT_FOUND', `no product has SKU ${sku}`, 'sku');
  return toProduct(row);
}

/** A product to sell by SKU (picked from a search or a category): only while it is on sale. */
export function sellableProduct(ctx: Ctx, sku: string): Product {
  const row = ctx.stmt(`SELECT ${COLUMNS}, active FROM products WHERE sku = ?`).get(sku) as
    (ProductRow & { active: number }) | undefined;
  if (!row) throw new PosError('NOT_FOUND', `no product has SKU ${sku}`, 'sku');
  if (row.active !== 1)
    throw new PosError('NOT_FOUND', `${row.name_zh} (${sku}) is off sale`, 'sku');
  return toProduct(row);
}

/**
 * Products whose Chinese or English name contains the query (case-insensitive for Latin
 * letters), or whose SKU or barcode starts with it. Exact SKU/barcode matches come first.
 */
export function searchProducts(ctx: Ctx, query: string, limit = 20): Product[] {
  const q = typeof query === 'string' ? query.trim() : '';
  if (q.length === 0) return [];
  const n = Number.isInteger(limit) ? Math.min(Math.max(limit, 1), 50) : 20;
  const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = ctx
    .stmt(
      `SELECT ${COLUMNS} FROM products
       WHERE active = 1 AND (name_zh LIKE @contains ESCAPE '\\' OR name_en LIKE @contains ESCAPE '\\'
          OR sku LIKE @prefix ESCAPE '\\' OR barcode LIKE @prefix ESCAPE '\\')
       ORDER BY (sku = @q COLLATE NOCASE OR barcode = @q) DESC, name_en COLLATE NOCASE, sku
       LIMIT @n`,
    )
    .all({ contains: `%${escaped}%`, prefix: `${escaped}%`, q, n }) as ProductRow[];
  return rows.map(toProduct);
}
