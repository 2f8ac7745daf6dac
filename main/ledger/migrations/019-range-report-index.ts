/**
 * Version 19: the index the report over any period reads (issue 12). A year's report groups a
 * year of completed sales by day, hour, cashier and till; with every figure it needs in one
 * partial covering index, it reads only index entries, never the table rows. (sales_by_date of
 * migration 2 lacks the cashier and the till, and adding them there would change an index the
 * daily report is tuned on.)
 */
import type { Migration } from './types';

const sql = `
CREATE INDEX sales_by_date_staff ON sales (
  business_date, hour, operator_id, terminal_id, subtotal_fen, line_discount_fen,
  sale_discount_fen, total_fen
) WHERE status = 'completed';
CREATE INDEX refunds_by_date_staff ON refunds (business_date, hour, operator_id, amount_fen, sale_id);
`;

export const migration019: Migration = { version: 19, name: 'range report indexes', sql };
