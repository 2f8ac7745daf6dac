/**
 * Store reports from the ingested events: the same figures the terminals' ledgers report, added
 * up across terminals. A sale counts on its business date, a refund on the refund's own date
 * (as the terminal's daily report does). Only sale.completed and refund.created are read.
 *
 * taxFen is net of refunded tax, as in the ledger's daily report (main/ledger/reports.ts): the
 * tax of the day's sales minus the tax of the day's refunds.
 */
import { PAYMENT_METHODS } from '../../main/contract';
import type { ChainDailyReport, StoreDailyReport } from '../api';
import { AuditAnchorService } from '../audit/service';
import type { Db } from '../db';

interface TotalsRow {
  key: string;
  sales_count: number;
  sales_fen: number;
  tax_fen: number;
  refunds_count: number;
  refunds_fen: number;
}

interface Totals {
  salesCount: number;
  salesFen: number;
  refundsCount: number;
  refundsFen: number;
  netFen: number;
}

function totals(row: TotalsRow): Totals {
  return {
    salesCount: row.sales_count,
    salesFen: row.sales_fen,
    refundsCount: row.refunds_count,
    refundsFen: row.refunds_fen,
    netFen: row.sales_fen - row.refunds_fen,
  };
}

/** Sales and refunds of one day, grouped by `keyColumn` (terminal_id or store_id). */
function totalsBy(keyColumn: 'terminal_id' | 'store_id', storeFilter: boolean): string {
  return `
    SELECT ${keyColumn} AS key,
      count(*) FILTER (WHERE type = 'sale.completed') AS sales_count,
      COALESCE(sum((payload->>'totalFen')::bigint) FILTER (WHERE type = 'sale.completed'), 0) AS sales_fen,
      COALESCE(sum((payload->>'taxFen')::bigint) FILTER (WHERE type = 'sale.completed'), 0)
        - COALESCE(sum((payload->>'taxFen')::bigint) FILTER (WHERE type = 'refund.created'), 0)
        AS tax_fen,
      count(*) FILTER (WHERE type = 'refund.created') AS refunds_count,
      COALESCE(sum((payload->>'amountFen')::bigint) FILTER (WHERE type = 'refund.created'), 0) AS refunds_fen
    FROM events
    WHERE business_date = $1 ${storeFilter ? 'AND store_id = $2' : ''}
      AND type IN ('sale.completed', 'refund.created')
    GROUP BY ${keyColumn} ORDER BY ${keyColumn}`;
}

const BY_METHOD = `
  SELECT m->>'method' AS method,
    count(*) FILTER (WHERE e.type = 'sale.completed') AS payments_count,
    COALESCE(sum((m->>'amountFen')::bigint) FILTER (WHERE e.type = 'sale.completed'), 0) AS sales_fen,
    COALESCE(sum((m->>'amountFen')::bigint) FILTER (WHERE e.type = 'refund.created'), 0) AS refunds_fen
  FROM events e
  CROSS JOIN LATERAL jsonb_array_elements(
    CASE e.type WHEN 'sale.completed' THEN e.payload->'payments' ELSE e.payload->'byMethod' END) AS m
  WHERE e.business_date = $1 AND e.store_id = $2 AND e.type IN ('sale.completed', 'refund.created')
  GROUP BY 1`;

const methodOrder = (method: string) => {
  const at = (PAYMENT_METHODS as readonly string[]).indexOf(method);
  return at < 0 ? PAYMENT_METHODS.length : at;
};

export class ReportService {
  constructor(private readonly db: Db) {}

  async storeDaily(storeId: string, businessDate: string): Promise<StoreDailyReport> {
    const [byTerminal, byMethod, alerts] = await Promise.all([
      this.db.query<TotalsRow>(totalsBy('terminal_id', true), [businessDate, storeId]),
      this.db.query<{
        method: string;
        payments_count: number;
        sales_fen: number;
        refunds_fen: number;
      }>(BY_METHOD, [businessDate, storeId]),
      new AuditAnchorService(this.db).alerts(storeId),
    ]);
    const sum = (pick: (r: TotalsRow) => number) =>
      byTerminal.rows.reduce((a, r) => a + pick(r), 0);
    const all = totals({
      key: storeId,
      sales_count: sum((r) => r.sales_count),
      sales_fen: sum((r) => r.sales_fen),
      tax_fen: sum((r) => r.tax_fen),
      refunds_count: sum((r) => r.refunds_count),
      refunds_fen: sum((r) => r.refunds_fen),
    });
    return {
      storeId,
      businessDate,
      ...all,
      taxFen: sum((r) => r.tax_fen),
      byMethod: byMethod.rows
        .map((r) => ({
          method: r.method,
          paymentsCount: r.payments_count,
          salesFen: r.sales_fen,
          refundsFen: r.refunds_fen,
          netFen: r.sales_fen - r.refunds_fen,
        }))
        .sort(
          (a, b) =>
            methodOrder(a.method) - methodOrder(b.method) || a.method.localeCompare(b.method),
        ),
      byTerminal: byTerminal.rows.map((r) => ({ terminalId: r.key, ...totals(r) })),
      auditAlerts: alerts,
    };
  }

  async chainDaily(businessDate: string): Promise<ChainDailyReport> {
    const { rows } = await this.db.query<TotalsRow>(totalsBy('store_id', false), [businessDate]);
    return { businessDate, stores: rows.map((r) => ({ storeId: r.key, ...totals(r) })) };
  }
}
