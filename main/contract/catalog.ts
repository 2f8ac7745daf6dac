/**
 * The catalogue as the manager edits it (issue 12): a product with all its barcodes, its unit,
 * whether it is on sale and its optimistic version; the save request; the CSV import's preview.
 * The till's own view of a product (what a scan finds, what a sale line copies) stays `product`.
 */
import { z } from 'zod';
import { amountFen, id, product, shortText } from './domain';
import { MAX_TAX_RATE_BP } from './money';

/** At most this many barcodes per product (a product, its relabels and a multipack or two). */
export const MAX_BARCODES_PER_PRODUCT = 8;
/** At most this many products in one CSV import (a whole shop's catalogue, with room). */
export const MAX_IMPORT_ROWS = 20_000;
/** At most this many bytes of CSV in one import (uploaded in parts: see catalog.importUpload). */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;
/**
 * One part of an upload, in characters: under the contract's message limit even at the worst a
 * character can cost in a JSON message (6 bytes for a control character's \u escape).
 */
export const MAX_IMPORT_PART_CHARS = 32 * 1024;

const ean13 = z.string().regex(/^\d{13}$/);
export const unit = z.string().trim().min(1, 'a unit is needed (件, 瓶, kg...)').max(16);

export const catalogProduct = product.extend({
  /** Every barcode of the product, the primary one (`barcode`) first. */
  barcodes: z.array(ean13).min(1).max(MAX_BARCODES_PER_PRODUCT),
  unit,
  active: z.boolean(),
  version: z.number().int().min(1),
});
export type CatalogProduct = z.infer<typeof catalogProduct>;

/** A product as the manager saves it. Barcodes as typed (UPC-A or EAN-13), the first primary. */
export const productDraft = z
  .object({
    sku: id.regex(/^[A-Za-z0-9._-]+$/, 'a SKU is letters, digits, dot, dash or underscore'),
    barcodes: z
      .array(z.string().max(64))
      .min(1, 'a product needs at least one barcode')
      .max(MAX_BARCODES_PER_PRODUCT),
    nameZh: shortText.trim().min(1, 'a Chinese name is needed'),
    nameEn: shortText.trim(),
    category: shortText.trim().min(1, 'a category is needed'),
    unit,
    priceFen: amountFen,
    taxRateBp: z.number().int().min(0).max(MAX_TAX_RATE_BP),
    active: z.boolean(),
    /** The version the edit began from; null for a new product. */
    expectedVersion: z.number().int().min(1).nullable(),
  })
  .strict();
export type ProductDraft = z.infer<typeof productDraft>;

export const catalogListRequest = z
  .object({
    query: z.string().trim().max(64).optional(),
    category: shortText.optional(),
    /** Include products taken off sale (default: yes, the manager sees everything). */
    includeInactive: z.boolean().optional(),
    limit: z.number().int().min(1).max(200).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict();
export type CatalogListRequest = z.infer<typeof catalogListRequest>;

export const catalogList = z.object({
  products: z.array(catalogProduct),
  total: z.number().int(),
  /** The chain's cloud that is the catalogue's master, or null: this shop edits locally. */
  managedBy: z.string().nullable(),
});
export type CatalogList = z.infer<typeof catalogList>;

/** What is wrong with a row, for the screen to say in its language (`values` fill it in). */
export const IMPORT_ROW_PROBLEMS = [
  'cellCount',
  'priceDecimals',
  'price',
  'taxRate',
  'active',
  'barcode',
  'duplicateSku',
  'duplicateBarcode',
  'barcodeTaken',
  /** Any other bad cell (an empty name, a SKU with spaces...): `message` says what. */
  'invalid',
] as const;

export const importRowError = z.object({
  /** The CSV line the row starts on (1 is the header). */
  line: z.number().int(),
  /** The column at fault, or null for the whole row. */
  column: z.string().nullable(),
  problem: z.enum(IMPORT_ROW_PROBLEMS),
  values: z.record(z.string(), z.string()),
  /** The same in English, for logs and for 'invalid'. */
  message: z.string(),
});
export type ImportRowError = z.infer<typeof importRowError>;
export type ImportRowProblem = (typeof IMPORT_ROW_PROBLEMS)[number];

export const importPreview = z.object({
  /** SHA-256 of the CSV previewed: apply takes exactly this text, nothing else. */
  digest: z.string(),
  rows: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** Row-level errors (at most MAX_PREVIEW_ERRORS are listed; errorCount has them all). */
  errors: z.array(importRowError),
  errorCount: z.number().int(),
  /** The first rows as they would be saved, for the manager to look over. */
  sample: z.array(catalogProduct.omit({ version: true })),
});
export type ImportPreview = z.infer<typeof importPreview>;
export const MAX_PREVIEW_ERRORS = 200;
export const PREVIEW_SAMPLE_ROWS = 20;

export const importApplied = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
});
export type ImportApplied = z.infer<typeof importApplied>;
