/**
 * Terminal-wide state the screens show beside the sale: the sync of the outbox to the cloud, the
 * manager's settings, and what the customer display shows while the cashier takes payment.
 */
import { z } from 'zod';
import { amountFen, id, paymentMethod } from './domain';

export const SYNC_STATES = ['offline', 'idle', 'syncing', 'error'] as const;
export type SyncState = (typeof SYNC_STATES)[number];
export const syncStatus = z.object({
  state: z.enum(SYNC_STATES),
  /** Outbox events not yet acknowledged by the cloud. */
  pendingEvents: z.number().int().min(0),
  /** Refunds' face-pay wallet credits the cloud has not answered yet (sent on reconnect). */
  pendingWalletCredits: z.number().int().min(0),
  lastSuccessAt: z.string().max(40).nullable(),
});
export type SyncStatus = z.infer<typeof syncStatus>;

export const settings = z.object({
  /**
   * A discount above this share of the line (or of the sale) needs a manager's PIN, in basis
   * points: 2000 = 20 %.
   */
  discountLimitBp: z.number().int().min(0).max(10_000),
  /** Print the receipt by itself when a sale completes, if a printer is attached. */
  autoPrintReceipt: z.boolean(),
  /**
   * The fewest digits a new PIN may have, per role: a shop may ask for more than MIN_PIN_DIGITS
   * (staff.ts in the contract), never fewer.
   */
  cashierPinDigits: z.number().int().min(4).max(8),
  managerPinDigits: z.number().int().min(6).max(8),
});
export type Settings = z.infer<typeof settings>;

/** A poster of the customer display's idle carousel, with its text in both languages. */
export const poster = z.object({
  id: z.string().min(1).max(64),
  /** A path relative to the renderer (e.g. posters/fresh.svg) or a data: URL. */
  image: z.string().max(200_000),
  title: z.object({ 'zh-CN': z.string().max(120), en: z.string().max(120) }),
  text: z.object({ 'zh-CN': z.string().max(240), en: z.string().max(240) }),
});
export type Poster = z.infer<typeof poster>;

/**
 * The cashier's payment step, mirrored on the customer display: 'waiting' while the cashier
 * takes a tender (with what the customer handed over so far for cash), 'cancelled' when the
 * cashier steps back to the cart.
 */
export const displayPayment = z.object({
  saleId: id,
  stage: z.enum(['waiting', 'cancelled']),
  method: paymentMethod.nullable(),
  tenderedFen: amountFen.nullable(),
});
export type DisplayPayment = z.infer<typeof displayPayment>;
