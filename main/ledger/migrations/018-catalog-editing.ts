/**
 * Version 18: the catalogue the manager edits (issue 12).
 *
 * - products.unit: what one of it is (件, 瓶, kg...), shown on the screen and the export.
 * - products.active: 0 takes a product off sale without losing it (a scan says so; the manager
 *   still sees and can restore it). The chain's cloud still removes what it withdraws.
 * - products.version: the optimistic version. Every change adds one; a save names the version
 *   it was made from, so the second of two managers editing one product gets a conflict
 *   instead of silently undoing the first one's change.
 * - product_barcodes: every barcode of a product (several: a product relabelled, a multipack
 *   and its single). products.barcode stays as the primary one, the one a sale line copies;
 *   it is also in this table. A barcode belongs to one product only (the primary key).
 */
import type { Migration } from './types';

const sql = `
ALTER TABLE products ADD COLUMN unit TEXT NOT NULL DEFAULT '件';
ALTER TABLE products ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));
ALTER TABLE products ADD COLUMN version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1);
CREATE TABLE product_barcodes (
  barcode TEXT PRIMARY KEY CHECK (length(barcode) = 13),
  sku TEXT NOT NULL
) STRICT;
CREATE INDEX product_barcodes_sku ON product_barcodes (sku);
INSERT INTO product_barcodes (barcode, sku) SELECT barcode, sku FROM products;
CREATE INDEX products_category ON products (category);
`;

export const migration018: Migration = { version: 18, name: 'catalogue editing', sql };
