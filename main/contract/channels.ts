/**
 * Every request the renderer may make of main: channel name -> request schema and response
 * schema. Both ends validate: main validates requests on arrival, the client validates
 * responses on arrival. Adding a capability means adding a line here and a handler in core.
 */
import { z } from 'zod';
import {
  amountFen,
  auditVerification,
  businessDate,
  dailyReport,
  id,
  paymentMethod,
  product,
  qty,
  refund,
  sale,
  saleSummary,
  shift,
  shortText,
  terminalInfo,
  xReport,
  zReport,
} from './domain';

const nothing = z.object({}).strict();
const saleRef = { saleId: id };

export const channels = {
  'system.info': { request: nothing, response: terminalInfo },

  'catalog.lookup': {
    request: z.object({ barcode: z.string().max(64) }).strict(),
    response: product,
  },
  'catalog.search': {
    request: z
      .object({
        query: z.string().trim().min(1, 'type at least one character').max(64),
        limit: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
    response: z.array(product),
  },

  /** The terminal's active sale (not held), or null. */
  'sale.current': { request: nothing, response: sale.nullable() },
  /** Adds an item to the active sale, opening one if needed. */
  'sale.addItem': {
    request: z
      .object({
        barcode: z.string().max(64).optional(),
        sku: id.optional(),
        qty: qty.default(1),
      })
      .strict()
      .refine((r) => (r.barcode === undefined) !== (r.sku === undefined), {
        message: 'give exactly one of barcode or sku',
        path: ['barcode'],
      }),
    response: sale,
  },
  'sale.setQty': {
    request: z.object({ ...saleRef, lineNo: z.number().int().min(1), qty }).strict(),
    response: sale,
  },
  'sale.removeLine': {
    request: z.object({ ...saleRef, lineNo: z.number().int().min(1) }).strict(),
    response: sale,
  },
  'sale.setLineDiscount': {
    request: z
      .object({ ...saleRef, lineNo: z.number().int().min(1), discountFen: amountFen })
      .strict(),
    response: sale,
  },
  'sale.setSaleDiscount': {
    request: z.object({ ...saleRef, discountFen: amountFen }).strict(),
    response: sale,
  },
  'sale.hold': { request: z.object(saleRef).strict(), response: saleSummary },
  'sale.listHeld': { request: nothing, response: z.array(saleSummary) },
  'sale.recall': { request: z.object(saleRef).strict(), response: sale },
  'sale.void': { request: z.object(saleRef).strict(), response: sale },
  /**
   * Record one tender against the sale. Cash may exceed what is due (change is given); other
   * methods may not. The sale completes in the same transaction when it is fully paid.
   */
  'sale.pay': {
    request: z
      .object({
        ...saleRef,
        method: paymentMethod,
        amountFen: amountFen.refine((v) => v > 0, 'amount must be positive'),
        tenderedFen: amountFen.optional(),
        reference: z.string().max(128).optional(),
      })
      .strict(),
    response: sale,
  },
  'sale.get': {
    request: z
      .object({ saleId: id.optional(), receiptNo: z.string().max(64).optional() })
      .strict()
      .refine((r) => (r.saleId === undefined) !== (r.receiptNo === undefined), {
        message: 'give exactly one of saleId or receiptNo',
        path: ['saleId'],
      }),
    response: sale,
  },

  /** Refund chosen lines (or, with no lines, everything not yet refunded). */
  'refund.create': {
    request: z
      .object({
        ...saleRef,
        lines: z
          .array(z.object({ lineNo: z.number().int().min(1), qty }).strict())
          .max(500)
          .optional(),
        reason: shortText.min(1, 'give a reason'),
      })
      .strict(),
    response: refund,
  },

  'shift.current': { request: nothing, response: shift.nullable() },
  'shift.open': { request: z.object({ floatFen: amountFen }).strict(), response: shift },
  'shift.cash': {
    request: z
      .object({
        kind: z.enum(['in', 'out']),
        amountFen: amountFen.refine((v) => v > 0, 'amount must be positive'),
        reason: shortText.min(1, 'give a reason'),
      })
      .strict(),
    response: shift,
  },
  'shift.close': { request: z.object({ countedFen: amountFen }).strict(), response: shift },

  'report.x': { request: nothing, response: xReport },
  'report.daily': { request: z.object({ businessDate }).strict(), response: dailyReport },
  /** Take the Z report for a business day (default: today). Once per day, then immutable. */
  'report.z': {
    request: z.object({ businessDate: businessDate.optional() }).strict(),
    response: zReport,
  },
  'report.zList': { request: nothing, response: z.array(zReport) },
  'report.zGet': {
    request: z.object({ number: z.number().int().min(1) }).strict(),
    response: zReport,
  },

  'ledger.verify': { request: nothing, response: auditVerification },
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
/** What a caller passes (defaults not yet applied). */
export type RequestInput<C extends Channel> = z.input<Channels[C]['request']>;
/** What a handler receives (validated, defaults applied). */
export type Request<C extends Channel> = z.output<Channels[C]['request']>;
export type Response<C extends Channel> = z.output<Channels[C]['response']>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}
