/**
 * One handler per contract channel. Handlers receive validated payloads and return plain
 * values that satisfy the channel's response schema; they throw PosError for anything the
 * caller can act on. Which channels change the active sale or the shift is declared here too,
 * so the dispatcher knows which events to emit.
 */
import type { Channel, Request, Response, TerminalInfo } from '../contract';
import type { Ledger } from '../ledger';

export type Handler<C extends Channel> = (payload: Request<C>) => Response<C>;
export type Handlers = { [C in Channel]: Handler<C> };

export function createHandlers(ledger: Ledger, info: TerminalInfo): Handlers {
  return {
    'system.info': () => info,

    'catalog.lookup': ({ barcode }) => ledger.lookupBarcode(barcode),
    'catalog.search': ({ query, limit }) => ledger.searchProducts(query, limit ?? 20),

    'sale.current': () => ledger.currentSale(),
    'sale.addItem': (r) => ledger.addItem(r),
    'sale.setQty': (r) => ledger.setQty(r.saleId, r.lineNo, r.qty),
    'sale.removeLine': (r) => ledger.removeLine(r.saleId, r.lineNo),
    'sale.setLineDiscount': (r) => ledger.setLineDiscount(r.saleId, r.lineNo, r.discountFen),
    'sale.setSaleDiscount': (r) => ledger.setSaleDiscount(r.saleId, r.discountFen),
    'sale.hold': (r) => ledger.hold(r.saleId),
    'sale.listHeld': () => ledger.listHeld(),
    'sale.recall': (r) => ledger.recall(r.saleId),
    'sale.void': (r) => ledger.voidSale(r.saleId),
    'sale.pay': ({ saleId, ...tender }) => ledger.pay(saleId, tender),
    'sale.get': (r) =>
      r.saleId !== undefined
        ? ledger.getSale(r.saleId)
        : ledger.getSaleByReceipt(r.receiptNo ?? ''),

    'refund.create': (r) => ledger.refund(r.saleId, r.lines, r.reason),

    'shift.current': () => ledger.currentShift(),
    'shift.open': (r) => ledger.openShift(r.floatFen),
    'shift.cash': (r) => ledger.cashMovement(r.kind, r.amountFen, r.reason),
    'shift.close': (r) => ledger.closeShift(r.countedFen),

    'report.x': () => ledger.xReport(),
    'report.daily': (r) => ledger.dailyReport(r.businessDate),
    'report.z': (r) => ledger.takeZReport(r.businessDate),
    'report.zList': () => ledger.listZReports(),
    'report.zGet': (r) => ledger.getZReport(r.number),

    'ledger.verify': () => ledger.verifyAudit(),
  };
}

/** Channels after which the active sale may have changed (the customer display follows it). */
export const SALE_CHANGING: ReadonlySet<Channel> = new Set<Channel>([
  'sale.addItem',
  'sale.setQty',
  'sale.removeLine',
  'sale.setLineDiscount',
  'sale.setSaleDiscount',
  'sale.hold',
  'sale.recall',
  'sale.void',
  'sale.pay',
]);

export const SHIFT_CHANGING: ReadonlySet<Channel> = new Set<Channel>([
  'shift.open',
  'shift.cash',
  'shift.close',
  'sale.pay',
  'refund.create',
]);
