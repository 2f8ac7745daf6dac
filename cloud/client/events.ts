/**
 * From the terminal's ledger to the cloud's money events. The ledger's outbox carries the
 * contract's Sale (on sale.completed) and Refund (on refund.created); the cloud's reports read
 * the smaller payloads of api.ts, with the business date in the shop's time zone, which only the
 * terminal knows. Other outbox types go up unchanged (stored, not reported).
 */
import type { Refund, Sale } from '../../main/contract';
import type { EventEnvelope, RefundCreatedPayload, SaleCompletedPayload } from '../api';

export function saleCompletedPayload(sale: Sale, businessDate: string): SaleCompletedPayload {
  return {
    saleId: sale.id,
    receiptNo: sale.receiptNo,
    businessDate,
    totalFen: sale.totalFen,
    taxFen: sale.taxFen,
    // The amount applied to the sale: cash change is not takings.
    payments: sale.payments.map((p) => ({ method: p.method, amountFen: p.amountFen })),
  };
}

export function refundCreatedPayload(refund: Refund, businessDate: string): RefundCreatedPayload {
  return {
    refundId: refund.id,
    saleId: refund.saleId,
    businessDate,
    amountFen: refund.amountFen,
    byMethod: refund.byMethod.map((m) => ({ method: m.method, amountFen: m.amountFen })),
  };
}

/**
 * One outbox row as the cloud's envelope. `businessDate(createdAt)` gives the shop-time date of
 * the moment the event was written (what the terminal's own daily report groups by).
 */
export function toCloudEvent(
  row: { id: string; type: string; payload: unknown; createdAt: string },
  terminalId: string,
  businessDate: (createdAt: string) => string,
): EventEnvelope {
  const base = { id: row.id, type: row.type, terminalId, createdAt: row.createdAt };
  if (row.type === 'sale.completed') {
    return {
      ...base,
      payload: saleCompletedPayload(row.payload as Sale, businessDate(row.createdAt)),
    };
  }
  if (row.type === 'refund.created') {
    return {
      ...base,
      payload: refundCreatedPayload(row.payload as Refund, businessDate(row.createdAt)),
    };
  }
  const payload =
    typeof row.payload === 'object' && row.payload !== null && !Array.isArray(row.payload)
      ? (row.payload as Record<string, unknown>)
      : { value: row.payload };
  return { ...base, payload };
}
