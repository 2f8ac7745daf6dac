/**
 * The chain's catalogue, pulled by terminals with "what changed since version N". Every upsert
 * takes the next version from a sequence under an advisory lock, so versions commit in order and
 * a terminal that remembers the last version it saw never misses a change.
 */
import type { CatalogResponse } from '../api';
import type { Db } from '../db';

const CATALOG_WRITE_LOCK = 7_401_003;

export interface CatalogProduct {
  sku: string;
  barcode: string;
  nameZh: string;
  nameEn: string;
  category: string;
  priceFen: number;
  taxRateBp: number;
  active: boolean;
}

interface ProductRow {
  sku: string;
  barcode: string;
  name_zh: string;
  name_en: string;
  category: string;
  price_fen: number;
  tax_rate_bp: number;
  active: boolean;
  version: number;
}

export class CatalogService {
  constructor(private readonly db: Db) {}

  async upsert(
    products: readonly CatalogProduct[],
  ): Promise<{ version: number; upserted: number }> {
    // One statement may not update a row twice: the last entry for a sku wins.
    const unique = [...new Map(products.map((p) => [p.sku, p])).values()];
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [CATALOG_WRITE_LOCK]);
      const { rows } = await tx.query<{ version: number }>(
        `INSERT INTO products (sku, barcode, name_zh, name_en, category, price_fen, tax_rate_bp, active, version)
         SELECT p."sku", p."barcode", p."nameZh", p."nameEn", p."category", p."priceFen", p."taxRateBp",
                p."active", nextval('catalog_version_seq')
         FROM jsonb_to_recordset($1::jsonb) AS p("sku" text, "barcode" text, "nameZh" text,
           "nameEn" text, "category" text, "priceFen" bigint, "taxRateBp" integer, "active" boolean)
         ON CONFLICT (sku) DO UPDATE SET barcode = EXCLUDED.barcode, name_zh = EXCLUDED.name_zh,
           name_en = EXCLUDED.name_en, category = EXCLUDED.category, price_fen = EXCLUDED.price_fen,
           tax_rate_bp = EXCLUDED.tax_rate_bp, active = EXCLUDED.active, version = EXCLUDED.version
         RETURNING version`,
        [JSON.stringify(unique)],
      );
      return { version: Math.max(0, ...rows.map((r) => r.version)), upserted: rows.length };
    });
  }

  async changesSince(since: number, limit: number): Promise<CatalogResponse> {
    const { rows } = await this.db.query<ProductRow>(
      'SELECT * FROM products WHERE version > $1 ORDER BY version LIMIT $2',
      [since, limit + 1],
    );
    const page = rows.slice(0, limit);
    return {
      products: page.map((r) => ({
        sku: r.sku,
        barcode: r.barcode,
        nameZh: r.name_zh,
        nameEn: r.name_en,
        category: r.category,
        priceFen: r.price_fen,
        taxRateBp: r.tax_rate_bp,
        active: r.active,
        version: r.version,
      })),
      version: page.at(-1)?.version ?? since,
      hasMore: rows.length > limit,
    };
  }
}
