/**
 * Version 2: indexes for the reports. A daily report reads one business day of a ledger that
 * may hold years of sales; these partial covering indexes let it read only that day's index
 * entries (never the table rows for the totals), so its cost follows the day's sales, not the
 * ledger's size. The X report reads the same index from its shift's first business day on
 * (shift_id is in the index for that), which spares every sale the write of a by-shift index.
 */
import type { Migration } from './types';

const sql = `
CREATE INDEX sales_by_date ON sales (
  business_date, hour, total_fen, subtotal_fen, line_discount_fen, sale_discount_fen, tax_fen,
  shift_id
) WHERE status = 'completed';
CREATE INDEX refunds_by_date ON refunds (business_date, hour, amount_fen, tax_fen);
CREATE INDEX refunds_by_shift ON refunds (shift_id);
`;

export const migration002: Migration = { version: 2, name: 'report indexes', sql };
