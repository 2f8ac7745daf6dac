/**
 * Version 19: running totals for the report over any period (issue 12).
 *
 * A year's report over a ledger of a million sales cannot read a million sales (and three
 * million lines) in the time a manager waits. Money rows are append-only and each carries its
 * business day from the moment it is written, so a day's figures only ever grow by the rows
 * added to it: triggers add each new completed sale, refund, sold line and refunded line to a
 * small table of totals, and a report reads a few thousand of those rows instead.
 *
 * - report_slots: per business day, hour, cashier ('' = not recorded, rows before version 5)
 *   and terminal: completed sales (count, gross = subtotal, discounts) and refunds made
 *   (count, amount; the refund's terminal is its sale's).
 * - report_categories: per business day and product category (the product's category when the
 *   line was sold; '' if the product is gone): units and net of the lines sold, and the
 *   refunded amounts of lines refunded that day.
 *
 * The tables are derived: the audit chain does not cover them, and the migration fills them
 * from the rows already in the ledger, so an old ledger reports its past too.
 */
import type { Migration } from './types';

const sql = `
CREATE TABLE report_slots (
  business_date TEXT NOT NULL,
  hour INTEGER NOT NULL,
  operator_id TEXT NOT NULL,
  terminal_id TEXT NOT NULL,
  sales_count INTEGER NOT NULL DEFAULT 0,
  gross_fen INTEGER NOT NULL DEFAULT 0,
  discount_fen INTEGER NOT NULL DEFAULT 0,
  refunds_count INTEGER NOT NULL DEFAULT 0,
  refunds_fen INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, hour, operator_id, terminal_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE report_categories (
  business_date TEXT NOT NULL,
  category TEXT NOT NULL,
  qty INTEGER NOT NULL DEFAULT 0,
  sales_fen INTEGER NOT NULL DEFAULT 0,
  refunds_fen INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_date, category)
) STRICT, WITHOUT ROWID;

INSERT INTO report_slots (business_date, hour, operator_id, terminal_id, sales_count, gross_fen,
                          discount_fen)
SELECT business_date, hour, COALESCE(operator_id, ''), terminal_id, count(*), SUM(subtotal_fen),
       SUM(line_discount_fen + sale_discount_fen)
FROM sales WHERE status = 'completed' GROUP BY 1, 2, 3, 4;

INSERT INTO report_slots (business_date, hour, operator_id, terminal_id, refunds_count, refunds_fen)
SELECT r.business_date, r.hour, COALESCE(r.operator_id, ''), s.terminal_id, count(*),
       SUM(r.amount_fen)
FROM refunds r JOIN sales s ON s.id = r.sale_id WHERE true GROUP BY 1, 2, 3, 4
ON CONFLICT DO UPDATE SET refunds_count = refunds_count + excluded.refunds_count,
                          refunds_fen = refunds_fen + excluded.refunds_fen;

INSERT INTO report_categories (business_date, category, qty, sales_fen)
SELECT s.business_date, COALESCE(p.category, ''), SUM(l.qty), SUM(l.net_fen)
FROM sales s JOIN sale_lines l ON l.sale_id = s.id LEFT JOIN products p ON p.sku = l.sku
WHERE s.status = 'completed' GROUP BY 1, 2;

INSERT INTO report_categories (business_date, category, refunds_fen)
SELECT r.business_date, COALESCE(p.category, ''), SUM(rl.amount_fen)
FROM refunds r JOIN refund_lines rl ON rl.refund_id = r.id
  JOIN sale_lines l ON l.sale_id = r.sale_id AND l.line_no = rl.line_no
  LEFT JOIN products p ON p.sku = l.sku
WHERE true GROUP BY 1, 2
ON CONFLICT DO UPDATE SET refunds_fen = refunds_fen + excluded.refunds_fen;

CREATE TRIGGER report_slots_sale AFTER INSERT ON sales WHEN NEW.status = 'completed'
BEGIN
  INSERT INTO report_slots (business_date, hour, operator_id, terminal_id, sales_count,
                            gross_fen, discount_fen)
  VALUES (NEW.business_date, NEW.hour, COALESCE(NEW.operator_id, ''), NEW.terminal_id, 1,
          NEW.subtotal_fen, NEW.line_discount_fen + NEW.sale_discount_fen)
  ON CONFLICT DO UPDATE SET sales_count = sales_count + 1,
                            gross_fen = gross_fen + excluded.gross_fen,
                            discount_fen = discount_fen + excluded.discount_fen;
END;

CREATE TRIGGER report_slots_refund AFTER INSERT ON refunds
BEGIN
  INSERT INTO report_slots (business_date, hour, operator_id, terminal_id, refunds_count,
                            refunds_fen)
  SELECT NEW.business_date, NEW.hour, COALESCE(NEW.operator_id, ''), s.terminal_id, 1,
         NEW.amount_fen
  FROM sales s WHERE s.id = NEW.sale_id
  ON CONFLICT DO UPDATE SET refunds_count = refunds_count + 1,
                            refunds_fen = refunds_fen + excluded.refunds_fen;
END;

CREATE TRIGGER report_categories_line AFTER INSERT ON sale_lines
BEGIN
  INSERT INTO report_categories (business_date, category, qty, sales_fen)
  SELECT s.business_date, COALESCE((SELECT category FROM products WHERE sku = NEW.sku), ''),
         NEW.qty, NEW.net_fen
  FROM sales s WHERE s.id = NEW.sale_id AND s.status = 'completed'
  ON CONFLICT DO UPDATE SET qty = qty + excluded.qty, sales_fen = sales_fen + excluded.sales_fen;
END;

CREATE TRIGGER report_categories_refund_line AFTER INSERT ON refund_lines
BEGIN
  INSERT INTO report_categories (business_date, category, refunds_fen)
  SELECT r.business_date, COALESCE((SELECT category FROM products WHERE sku = l.sku), ''),
         NEW.amount_fen
  FROM refunds r JOIN sale_lines l ON l.sale_id = r.sale_id AND l.line_no = NEW.line_no
  WHERE r.id = NEW.refund_id
  ON CONFLICT DO UPDATE SET refunds_fen = refunds_fen + excluded.refunds_fen;
END;
`;

export const migration019: Migration = { version: 19, name: 'report rollups', sql };
