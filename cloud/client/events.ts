/**
 * From the terminal's ledger to the cloud's money events. The ledger's outbox carries the
 * contract's Sale (on sale.completed) and Refund (on refund.created); the cloud's reports read
 * the smaller payloads of api.ts, with the business date in the shop's time zone, which only the
 * terminal knows. Other outbox types go up unchanged (stored, not reported).
 */
import type { Refund, Sale } from '../../main/contract';
import type { EventEnvelope, RefundCreatedPayload, SaleCompletedPayload, SaleOrigin } from '../api';

export function saleCompletedPayload(
  sale: Sale & { origin?: SaleOrigin },
  businessDate: string,
): SaleCompletedPayload {
  return {
    // A register's order (the register API): kept with the sale, which is counted once.
    ...(sale.origin === undefined ? {} : { origin: sale.origin }),
    saleId: sale.id,
    receiptNo: sale.receiptNo,
    businessDate,
    totalFen: sale.totalFen,
    taxFen: sale.taxFen,
    // The amount applied to the sale: cash change is not takings.
    // Face payments name the cloud's debit, which the cloud checks them against on arrival.
    payments: sale.payments.map((p) =>
      p.method === 'face'
        ? { method: p.method, amountFen: p.amountFen, reference: p.reference }
        : { method: p.method, amountFen: p.amountFen },
    ),
  };
}

export function refundCreatedPayload(
  refund: Refund,
  businessDate: string,
  taxFen: number = refund.taxFen,
): RefundCreatedPayload {
  return {
    refundId: refund.id,
    saleId: refund.saleId,
    businessDate,
    amountFen: refund.amountFen,
    taxFen,
    byMethod: refund.byMethod.map((m) => ({ method: m.method, amountFen: m.amountFen })),
  };
}

/**
 * One outbox row as the cloud's envelope. `businessDate(createdAt)` gives the shop-time date of
 * the moment the event was written (what the terminal's own daily report groups by).
 * `refundTaxFen(refundId)` reads a refund's tax from the ledger, for refund events written
 * before the contract's Refund carried its tax (such rows may wait in an upgraded outbox).
 */
export function toCloudEvent(
  row: { id: string; type: string; payload: unknown; createdAt: string },
  terminalId: string,
  businessDate: (createdAt: string) => string,
  refundTaxFen?: (refundId: string) => number | null,
): EventEnvelope {
  const base = { id: row.id, type: row.type, terminalId, createdAt: row.createdAt };
  if (row.type === 'sale.completed') {
    return {
      ...base,
      payload: saleCompletedPayload(row.payload as Sale, businessDate(row.createdAt)),
    };
  }
  if (row.type === 'refund.created') {
    const refund = row.payload as Refund;
    const taxFen =
      typeof refund.taxFen === 'number' ? refund.taxFen : (refundTaxFen?.(refund.id) ?? null);
    if (taxFen === null) throw new Error(`refund ${refund.id}: its tax is not known`);
    return {
      ...base,
      payload: refundCreatedPayload(refund, businessDate(row.createdAt), taxFen),
    };
  }
  const payload =
    typeof row.payload === 'object' && row.payload !== null && !Array.isArray(row.payload)
      ? (row.payload as Record<string, unknown>)
      : { value: row.payload };
  return { ...base, payload };
}
