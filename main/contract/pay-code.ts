/**
 * The till's pay-by-code channel (sale.payByCode) and its progress event. Apart from
 * payment-code.ts, which stays pure (no imports) for the renderer's scanner.
 */
import { z } from 'zod';
import { id, sale } from './domain';

/** What the cashier's screen shows while a code is being charged. */
export const PAY_CODE_STAGES = ['charging', 'waiting_for_buyer', 'checking', 'cancelling'] as const;
export type PayCodeStage = (typeof PAY_CODE_STAGES)[number];

/** sale.payByCode's request: the sale the screen shows, and what was scanned or typed. */
export const payByCodeRequest = z
  .object({
    saleId: id,
    // Room for whitespace and junk around a code: the flow classifies it and refuses with words.
    code: z.string().min(1).max(64),
  })
  .strict();

/**
 * How it ended. `paid`: the sale as it stands after the payment (completed if that paid it);
 * `replayed`: the code had already paid this sale (a second scan), nothing new was charged.
 * `refused`: nothing was charged (declined, or cancelled in time), with the acquirer's code and
 * words; `unknown`: the acquirer would not say and would not cancel (kept open, asked again).
 */
export const payCodeResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('paid'), sale, replayed: z.boolean() }),
  z.object({
    status: z.literal('refused'),
    code: z.string().max(100),
    message: z.string().max(500),
  }),
  z.object({
    status: z.literal('unknown'),
    code: z.string().max(100),
    message: z.string().max(500),
  }),
]);
export type PayCodeResult = z.infer<typeof payCodeResult>;

/** Progress of a code's charge (staff screens only). `secondsLeft` while the buyer confirms. */
export const payCodeProgress = z.object({
  saleId: z.string().max(64),
  stage: z.enum(PAY_CODE_STAGES),
  secondsLeft: z.number().int().min(0).max(600).nullable(),
  /** The code as the cashier may see it (maskPaymentCode): never the whole code. */
  masked: z.string().max(16),
});
export type PayCodeProgress = z.infer<typeof payCodeProgress>;
