/**
 * The product form as the manager types it, and the draft main takes. Prices and tax rates are
 * typed as decimals with at most two places: both are hundredths (fen of a yuan, basis points of
 * a percent), so one parser serves both. Main checks everything again.
 */
import { MAX_TAX_RATE_BP, type CatalogProduct, type ProductDraft } from '../../contract';
import { fenToYuanInput, parseYuanToFen } from '../../lib/money';

export interface ProductForm {
  sku: string;
  barcodes: string;
  nameZh: string;
  nameEn: string;
  category: string;
  unit: string;
  price: string;
  taxRate: string;
  active: boolean;
}

export const EMPTY_FORM: ProductForm = {
  sku: '',
  barcodes: '',
  nameZh: '',
  nameEn: '',
  category: '',
  unit: '件',
  price: '',
  taxRate: '13',
  active: true,
};

/** "13" for 1300 bp, "6.5" for 650. */
export function bpToPercentInput(bp: number): string {
  return fenToYuanInput(bp).replace(/\.?0+$/, '');
}

export function formOf(p: CatalogProduct): ProductForm {
  return {
    sku: p.sku,
    barcodes: p.barcodes.join(' '),
    nameZh: p.nameZh,
    nameEn: p.nameEn,
    category: p.category,
    unit: p.unit,
    price: fenToYuanInput(p.priceFen),
    taxRate: bpToPercentInput(p.taxRateBp),
    active: p.active,
  };
}

export type DraftResult =
  { ok: true; draft: ProductDraft } | { ok: false; field: 'price' | 'taxRate' };

export function draftOf(form: ProductForm, expectedVersion: number | null): DraftResult {
  const price = parseYuanToFen(form.price);
  if (!price.ok) return { ok: false, field: 'price' };
  const tax = parseYuanToFen(form.taxRate.replace(/%$/, ''), MAX_TAX_RATE_BP);
  if (!tax.ok) return { ok: false, field: 'taxRate' };
  return {
    ok: true,
    draft: {
      sku: form.sku.trim(),
      barcodes: form.barcodes.split(/[\s,，|]+/).filter((b) => b !== ''),
      nameZh: form.nameZh.trim(),
      nameEn: form.nameEn.trim(),
      category: form.category.trim(),
      unit: form.unit.trim(),
      priceFen: price.fen,
      taxRateBp: tax.fen,
      active: form.active,
      expectedVersion,
    },
  };
}
