/**
 * The catalogue as CSV: export, and import with a preview (row-level errors, what would be
 * created or changed) and an all-or-nothing apply in one transaction.
 *
 * Columns (header row, any order, names as below, case ignored):
 *   sku, barcodes, name_zh, name_en, category, unit, price, tax_rate, active
 * `barcodes`: one or more, separated by `|` (the first is the primary); `price` in yuan with at
 * most two decimals (12.50); `tax_rate` in percent (13, 9, 6.5); `active` 1/0 (also
 * true/false, yes/no, 是/否; empty: 1). name_en, unit and active may be left out.
 *
 * An import creates and updates; it never deletes (take a product off sale with active 0).
 * It overwrites whatever the rows say regardless of versions: the manager previewed it.
 * Cells beginning with = + - @ are written with a leading ' so a spreadsheet shows them as
 * text rather than running them as formulas; the import takes that ' off again.
 */
import { createHash } from 'node:crypto';
import {
  MAX_IMPORT_ROWS,
  MAX_PREVIEW_ERRORS,
  PREVIEW_SAMPLE_ROWS,
  PosError,
  type CatalogProduct,
  type ImportApplied,
  type ImportPreview,
  type ImportRowError,
  type ImportRowProblem,
} from '../contract';
import { formatCsv, parseCsv } from '../shared/csv';
import {
  allCatalogProducts,
  checkDraft,
  findCatalogProduct,
  sameProduct,
  writeProduct,
  type CheckedProduct,
} from './catalog-edit';
import type { Ctx } from './context';

export const CSV_COLUMNS = [
  'sku',
  'barcodes',
  'name_zh',
  'name_en',
  'category',
  'unit',
  'price',
  'tax_rate',
  'active',
] as const;
type Column = (typeof CSV_COLUMNS)[number];
const OPTIONAL: ReadonlySet<Column> = new Set<Column>(['name_en', 'unit', 'active']);
const DEFAULT_UNIT = '件';

/** "12.50" -> 1250: a decimal with at most two places as an integer of hundredths, or null. */
export function hundredths(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text);
  if (m === null) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

function formatHundredths(n: number, trim: boolean): string {
  const whole = Math.floor(n / 100);
  const frac = String(n % 100).padStart(2, '0');
  if (!trim) return `${whole}.${frac}`;
  if (frac === '00') return String(whole);
  return `${whole}.${frac.replace(/0$/, '')}`;
}

const FORMULA_START = /^[=+\-@]/;
const unformula = (v: string) =>
  v.startsWith("'") && FORMULA_START.test(v.slice(1)) ? v.slice(1) : v;
const deformula = (v: string) => (FORMULA_START.test(v) ? `'${v}` : v);

export function exportCatalogCsv(ctx: Ctx): string {
  const rows: string[][] = [[...CSV_COLUMNS]];
  for (const p of allCatalogProducts(ctx)) {
    rows.push([
      p.sku,
      p.barcodes.join('|'),
      deformula(p.nameZh),
      deformula(p.nameEn),
      deformula(p.category),
      deformula(p.unit),
      formatHundredths(p.priceFen, false),
      formatHundredths(p.taxRateBp, true),
      p.active ? '1' : '0',
    ]);
  }
  return formatCsv(rows);
}

function headerColumns(fields: readonly string[]): Map<Column, number> {
  const known = new Set<string>(CSV_COLUMNS);
  const at = new Map<Column, number>();
  fields.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!known.has(name))
      throw new PosError(
        'VALIDATION',
        `the header has an unknown column "${raw}": the columns are ${CSV_COLUMNS.join(', ')}`,
        'csv',
      );
    if (at.has(name as Column))
      throw new PosError('VALIDATION', `the header names column "${name}" twice`, 'csv');
    at.set(name as Column, i);
  });
  const missing = CSV_COLUMNS.filter((c) => !OPTIONAL.has(c) && !at.has(c));
  if (missing.length > 0)
    throw new PosError(
      'VALIDATION',
      `the header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ` +
        `(the columns are ${CSV_COLUMNS.join(', ')})`,
      'csv',
    );
  return at;
}

const ACTIVE_WORDS: Record<string, boolean> = {
  '': true,
  '1': true,
  true: true,
  yes: true,
  y: true,
  是: true,
  '0': false,
  false: false,
  no: false,
  n: false,
  否: false,
};

/** The draft field a checkDraft error names, as the CSV column the manager sees. */
function columnOf(field: string | undefined): Column | null {
  const head = (field ?? '').split('.')[0] ?? '';
  const map: Record<string, Column> = {
    sku: 'sku',
    barcodes: 'barcodes',
    nameZh: 'name_zh',
    nameEn: 'name_en',
    category: 'category',
    unit: 'unit',
    priceFen: 'price',
    taxRateBp: 'tax_rate',
    active: 'active',
  };
  return map[head] ?? null;
}

interface ImportRow {
  line: number;
  product: CheckedProduct;
  current: CatalogProduct | null;
}

interface Checked {
  digest: string;
  rows: number;
  good: ImportRow[];
  errors: ImportRowError[];
}

/** Parses and checks every row against the file and the catalogue; changes nothing. */
function checkImport(ctx: Ctx, text: string): Checked {
  if (typeof text !== 'string' || text.trim() === '')
    throw new PosError('VALIDATION', 'the file is empty', 'csv');
  const digest = createHash('sha256').update(text).digest('hex');
  let records;
  try {
    records = parseCsv(text, MAX_IMPORT_ROWS + 1); // the header and the rows
  } catch (error) {
    if (PosError.is(error) && error.code === 'TOO_LARGE')
      throw new PosError(
        'TOO_LARGE',
        `more than ${MAX_IMPORT_ROWS} rows in one import: split the file`,
        'csv',
      );
    throw error;
  }
  const [header, ...body] = records;
  if (header === undefined) throw new PosError('VALIDATION', 'the file is empty', 'csv');
  const at = headerColumns(header.fields);
  const errors: ImportRowError[] = [];
  const good: ImportRow[] = [];
  const skus = new Map<string, number>();
  const barcodes = new Map<string, { sku: string; line: number }>();
  const holder = ctx.stmt('SELECT sku FROM product_barcodes WHERE barcode = ?');

  // First pass: each row on its own, and duplicates within the file.
  for (const rec of body) {
    const fail = (
      column: Column | null,
      problem: ImportRowProblem,
      values: Record<string, string>,
      message: string,
    ) => {
      errors.push({ line: rec.line, column, problem, values, message });
    };
    if (rec.fields.length !== header.fields.length) {
      const values = { count: String(rec.fields.length), expected: String(header.fields.length) };
      fail(null, 'cellCount', values, `has ${values.count} cells, the header ${values.expected}`);
      continue;
    }
    const cell = (c: Column) => {
      const i = at.get(c);
      return i === undefined ? '' : unformula((rec.fields[i] ?? '').trim());
    };
    const priceText = cell('price');
    const price = hundredths(priceText);
    if (price === null) {
      if (/^\d+\.\d{3,}$/.test(priceText))
        fail(
          'price',
          'priceDecimals',
          { value: priceText },
          `${priceText} has more than two decimals: a price is in yuan and fen (12.50)`,
        );
      else
        fail(
          'price',
          'price',
          { value: priceText },
          `"${priceText}" is not a price in yuan (12.50)`,
        );
      continue;
    }
    const taxText = cell('tax_rate').replace(/%$/, '');
    const tax = hundredths(taxText);
    if (tax === null || tax > 10_000) {
      const value = cell('tax_rate');
      fail(
        'tax_rate',
        'taxRate',
        { value },
        `"${value}" is not a tax rate in percent (13, 9, 6.5)`,
      );
      continue;
    }
    const activeText = cell('active').toLowerCase();
    const active = ACTIVE_WORDS[activeText];
    if (active === undefined) {
      fail('active', 'active', { value: cell('active') }, `"${cell('active')}" is not 1 or 0`);
      continue;
    }
    let product: CheckedProduct;
    try {
      const { expectedVersion: _v, ...checked } = checkDraft({
        sku: cell('sku'),
        barcodes: cell('barcodes')
          .split(/[|;\s]+/)
          .filter((b) => b !== ''),
        nameZh: cell('name_zh'),
        nameEn: cell('name_en'),
        category: cell('category'),
        unit: cell('unit') === '' ? DEFAULT_UNIT : cell('unit'),
        priceFen: price,
        taxRateBp: tax,
        active,
        expectedVersion: null,
      });
      product = checked;
    } catch (error) {
      if (!PosError.is(error)) throw error;
      const problem = error.code === 'INVALID_BARCODE' ? 'barcode' : 'invalid';
      fail(columnOf(error.field), problem, {}, error.message);
      continue;
    }
    const earlier = skus.get(product.sku);
    if (earlier !== undefined) {
      fail(
        'sku',
        'duplicateSku',
        { sku: product.sku, line: String(earlier) },
        `${product.sku} is also on line ${earlier}`,
      );
      continue;
    }
    skus.set(product.sku, rec.line);
    const clash = product.barcodes.find((b) => barcodes.has(b));
    if (clash !== undefined) {
      const other = barcodes.get(clash);
      const values = { barcode: clash, line: String(other?.line), sku: String(other?.sku) };
      fail(
        'barcodes',
        'duplicateBarcode',
        values,
        `${clash} is also on line ${values.line} (${values.sku})`,
      );
      continue;
    }
    for (const b of product.barcodes) barcodes.set(b, { sku: product.sku, line: rec.line });
    good.push({ line: rec.line, product, current: null });
  }

  // Second pass: against the catalogue. A barcode another product holds is a clash unless that
  // product is in the file too (then the file says where each barcode goes, checked above).
  const kept: ImportRow[] = [];
  for (const row of good) {
    const taken = row.product.barcodes
      .map((b) => ({ b, owner: (holder.get(b) as { sku: string } | undefined)?.sku }))
      .find(({ owner }) => owner !== undefined && owner !== row.product.sku && !skus.has(owner));
    if (taken !== undefined) {
      errors.push({
        line: row.line,
        column: 'barcodes',
        problem: 'barcodeTaken',
        values: { barcode: taken.b, sku: String(taken.owner) },
        message: `${taken.b} already belongs to ${String(taken.owner)}`,
      });
      continue;
    }
    kept.push({ ...row, current: findCatalogProduct(ctx, row.product.sku) });
  }
  errors.sort((a, b) => a.line - b.line);
  return { digest, rows: body.length, good: kept, errors };
}

function counts(rows: readonly ImportRow[]): ImportApplied {
  const c = { created: 0, updated: 0, unchanged: 0 };
  for (const r of rows) {
    if (r.current === null) c.created += 1;
    else if (sameProduct(r.current, r.product)) c.unchanged += 1;
    else c.updated += 1;
  }
  return c;
}

export function previewCatalogImport(ctx: Ctx, text: string): ImportPreview {
  const checked = checkImport(ctx, text);
  return {
    digest: checked.digest,
    rows: checked.rows,
    ...counts(checked.good),
    errors: checked.errors.slice(0, MAX_PREVIEW_ERRORS),
    errorCount: checked.errors.length,
    sample: checked.good.slice(0, PREVIEW_SAMPLE_ROWS).map((r) => r.product),
  };
}

/**
 * Applies an import, all or nothing: the text must be the one previewed (`digest`), and with
 * any row in error nothing is written. One transaction: a failure half-way leaves no trace.
 */
export function applyCatalogImport(ctx: Ctx, text: string, digest: string): ImportApplied {
  return ctx.tx(() => {
    const checked = checkImport(ctx, text);
    if (checked.digest !== digest)
      throw new PosError(
        'VALIDATION',
        'the file is not the one previewed: preview it again before applying',
        'digest',
      );
    if (checked.errors.length > 0)
      throw new PosError(
        'VALIDATION',
        `${checked.errors.length} row(s) have errors (first: line ${String(checked.errors[0]?.line)}: ` +
          `${String(checked.errors[0]?.message)}); nothing was changed`,
        'csv',
      );
    const result = counts(checked.good);
    // Barcodes may move between products of one file: free those of every product whose
    // barcodes change before writing any, so no write meets a barcode about to leave.
    const free = ctx.stmt('DELETE FROM product_barcodes WHERE sku = ?');
    const parkPrimary = ctx.stmt(
      "UPDATE products SET barcode = printf('T%012d', rowid) WHERE sku = ?",
    );
    for (const r of checked.good) {
      if (r.current !== null && !sameProduct(r.current, r.product)) {
        free.run(r.product.sku);
        parkPrimary.run(r.product.sku);
      }
    }
    for (const r of checked.good) writeProduct(ctx, r.product, r.current);
    return result;
  });
}
