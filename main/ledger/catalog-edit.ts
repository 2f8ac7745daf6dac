/**
 * The catalogue as the manager edits it: list and filter, save one product with an optimistic
 * version. Where a chain's cloud is linked it is the catalogue's master (the core refuses these
 * writes with CATALOG_MANAGED_BY_CLOUD before they get here) and the sync overwrites whatever
 * the till holds (sync-store.ts applyCatalog): the rule for "both edited the same product" is
 * simply that the cloud's version wins, because only the cloud's is ever edited.
 */
import {
  PosError,
  productDraft,
  toPosError,
  type CatalogList,
  type CatalogListRequest,
  type CatalogProduct,
  type ProductDraft,
} from '../contract';
import { normaliseBarcode } from './catalog';
import type { Ctx } from './context';

interface CatalogRow {
  sku: string;
  barcode: string;
  name_zh: string;
  name_en: string;
  category: string;
  price_fen: number;
  tax_rate_bp: number;
  unit: string;
  active: number;
  version: number;
  /** The other barcodes, space-separated (null: none). */
  extra: string | null;
}

const SELECT = `SELECT p.sku, p.barcode, p.name_zh, p.name_en, p.category, p.price_fen,
  p.tax_rate_bp, p.unit, p.active, p.version,
  (SELECT group_concat(b.barcode, ' ') FROM (SELECT barcode FROM product_barcodes
     WHERE sku = p.sku AND barcode <> p.barcode ORDER BY barcode) b) AS extra
  FROM products p`;

function toCatalogProduct(r: CatalogRow): CatalogProduct {
  return {
    sku: r.sku,
    barcode: r.barcode,
    barcodes: [r.barcode, ...(r.extra === null ? [] : r.extra.split(' '))],
    nameZh: r.name_zh,
    nameEn: r.name_en,
    category: r.category,
    unit: r.unit,
    priceFen: r.price_fen,
    taxRateBp: r.tax_rate_bp,
    active: r.active === 1,
    version: r.version,
  };
}

export function findCatalogProduct(ctx: Ctx, sku: string): CatalogProduct | null {
  const row = ctx.stmt(`${SELECT} WHERE p.sku = ?`).get(sku) as CatalogRow | undefined;
  return row === undefined ? null : toCatalogProduct(row);
}

export function catalogProduct(ctx: Ctx, sku: string): CatalogProduct {
  const product = findCatalogProduct(ctx, sku);
  if (product === null) throw new PosError('NOT_FOUND', `no product has SKU ${sku}`, 'sku');
  return product;
}

/** Every product, in SKU order (the export). */
export function allCatalogProducts(ctx: Ctx): CatalogProduct[] {
  return (ctx.stmt(`${SELECT} ORDER BY p.sku`).all() as CatalogRow[]).map(toCatalogProduct);
}

/**
 * The manager's list: a search (name in either language, SKU or any barcode), a category,
 * products off sale too unless asked not to; one page and the total.
 */
export function listCatalog(
  ctx: Ctx,
  request: CatalogListRequest,
  managedBy: string | null,
): CatalogList {
  const where: string[] = [];
  const params: Record<string, string | number> = {};
  const q = request.query?.trim() ?? '';
  if (q !== '') {
    const escaped = q.replace(/[\\%_]/g, (c) => `\\${c}`);
    params.contains = `%${escaped}%`;
    params.prefix = `${escaped}%`;
    where.push(`(p.name_zh LIKE @contains ESCAPE '\\' OR p.name_en LIKE @contains ESCAPE '\\'
      OR p.sku LIKE @prefix ESCAPE '\\'
      OR EXISTS (SELECT 1 FROM product_barcodes b WHERE b.sku = p.sku
                 AND b.barcode LIKE @prefix ESCAPE '\\'))`);
  }
  if (request.category !== undefined && request.category !== '') {
    params.category = request.category;
    where.push('p.category = @category');
  }
  if (request.includeInactive === false) where.push('p.active = 1');
  const filter = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
  const total = (
    ctx.stmt(`SELECT count(*) AS n FROM products p ${filter}`).get(params) as { n: number }
  ).n;
  const rows = ctx
    .stmt(`${SELECT} ${filter} ORDER BY p.category, p.sku LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: request.limit ?? 50, offset: request.offset ?? 0 }) as CatalogRow[];
  return { products: rows.map(toCatalogProduct), total, managedBy };
}

/** A draft checked and normalised: barcodes as EAN-13, no duplicates, the first the primary. */
export type CheckedProduct = Omit<CatalogProduct, 'version'>;

/** Validates a draft (a clear error naming the field) and normalises its barcodes. */
export function checkDraft(
  input: unknown,
  field = '',
): CheckedProduct & {
  expectedVersion: number | null;
} {
  const at = (f: string) => (field === '' ? f : `${field}.${f}`);
  const parsed = productDraft.safeParse(input);
  if (!parsed.success) {
    if (field !== '') throw toPosError(parsed.error, field);
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new PosError('VALIDATION', `${path}: ${issue?.message ?? 'invalid'}`, path);
  }
  const d: ProductDraft = parsed.data;
  const barcodes = d.barcodes.map((b, i) => normaliseBarcode(b.trim(), at(`barcodes.${i}`)));
  const seen = new Set<string>();
  barcodes.forEach((b, i) => {
    if (seen.has(b))
      throw new PosError(
        'VALIDATION',
        `${at('barcodes')}: ${b} is given twice`,
        at(`barcodes.${i}`),
      );
    seen.add(b);
  });
  const { expectedVersion, ...rest } = d;
  return { ...rest, barcode: barcodes[0] as string, barcodes, expectedVersion };
}

/**
 * Writes one checked product: a new one (version 1) or the next version of the one there. The
 * caller has checked versions and barcode owners; this keeps the barcode table in step. Returns
 * whether anything changed (a save of the same values keeps the version).
 */
export function writeProduct(
  ctx: Ctx,
  p: CheckedProduct,
  current: CatalogProduct | null,
): 'created' | 'updated' | 'unchanged' {
  if (current !== null && sameProduct(current, p)) return 'unchanged';
  const row = {
    sku: p.sku,
    barcode: p.barcode,
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    category: p.category,
    priceFen: p.priceFen,
    taxRateBp: p.taxRateBp,
    unit: p.unit,
    active: p.active ? 1 : 0,
    updatedAt: ctx.now().toISOString(),
  };
  // The barcodes go first: products.barcode is UNIQUE too, and a barcode may move between two
  // products of one import (the primary of one becoming the other's).
  ctx.stmt('DELETE FROM product_barcodes WHERE sku = ?').run(p.sku);
  if (current === null) {
    ctx
      .stmt(
        `INSERT INTO products (sku, barcode, name_zh, name_en, category, price_fen, tax_rate_bp,
           unit, active, version, updated_at)
         VALUES (@sku, @barcode, @nameZh, @nameEn, @category, @priceFen, @taxRateBp, @unit,
           @active, 1, @updatedAt)`,
      )
      .run(row);
  } else {
    ctx
      .stmt(
        `UPDATE products SET barcode = @barcode, name_zh = @nameZh, name_en = @nameEn,
           category = @category, price_fen = @priceFen, tax_rate_bp = @taxRateBp, unit = @unit,
           active = @active, version = version + 1, updated_at = @updatedAt
         WHERE sku = @sku`,
      )
      .run(row);
  }
  const add = ctx.stmt('INSERT INTO product_barcodes (barcode, sku) VALUES (?, ?)');
  for (const b of p.barcodes) add.run(b, p.sku);
  return current === null ? 'created' : 'updated';
}

export function sameProduct(a: CheckedProduct, b: CheckedProduct): boolean {
  return (
    a.barcode === b.barcode &&
    a.nameZh === b.nameZh &&
    a.nameEn === b.nameEn &&
    a.category === b.category &&
    a.unit === b.unit &&
    a.priceFen === b.priceFen &&
    a.taxRateBp === b.taxRateBp &&
    a.active === b.active &&
    [...a.barcodes].sort().join() === [...b.barcodes].sort().join()
  );
}

/**
 * Saves one product the manager edited. `expectedVersion` is the version the edit began from
 * (null: a new product): if someone saved the product since, the save is refused with
 * VERSION_CONFLICT and nothing changes; a barcode another product holds is refused too.
 */
export function saveProduct(ctx: Ctx, input: unknown): CatalogProduct {
  const draft = checkDraft(input);
  return ctx.tx(() => {
    const current = findCatalogProduct(ctx, draft.sku);
    if (draft.expectedVersion === null && current !== null)
      throw new PosError(
        'VERSION_CONFLICT',
        `a product with SKU ${draft.sku} already exists (version ${current.version}): open it to edit`,
        'sku',
      );
    if (draft.expectedVersion !== null && current === null)
      throw new PosError('NOT_FOUND', `no product has SKU ${draft.sku}`, 'sku');
    if (current !== null && draft.expectedVersion !== current.version)
      throw new PosError(
        'VERSION_CONFLICT',
        `${draft.sku} was saved by someone else meanwhile (now version ${current.version}, ` +
          `this edit began from version ${String(draft.expectedVersion)}): reload it and redo the change`,
        'expectedVersion',
      );
    const holder = ctx.stmt('SELECT sku FROM product_barcodes WHERE barcode = ? AND sku <> ?');
    draft.barcodes.forEach((b, i) => {
      const other = holder.get(b, draft.sku) as { sku: string } | undefined;
      if (other)
        throw new PosError(
          'VALIDATION',
          `barcodes.${i}: ${b} already belongs to ${other.sku}`,
          `barcodes.${i}`,
        );
    });
    const { expectedVersion: _v, ...product } = draft;
    writeProduct(ctx, product, current);
    return catalogProduct(ctx, draft.sku);
  });
}
