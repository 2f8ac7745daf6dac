/**
 * The merchant-presented QR (主扫): the till asks for it (sale.showQr), the customer display
 * shows it ('qr.state'), the buyer's phone pays it, and the sale completes. sale.cancelQr takes
 * it down (Esc); any change of the sale does too.
 */
import { z } from 'zod';
import { id } from './domain';

export const QR_STATES = ['showing', 'paid', 'expired', 'cancelled', 'failed'] as const;
export type QrStateName = (typeof QR_STATES)[number];

/**
 * Where a sale's QR stands. `qrCode` (what the QR encodes) only while showing; `expiresAt` the
 * moment it is cancelled if unpaid; `code`/`message` why it ended without payment.
 */
export const qrState = z.object({
  saleId: z.string().max(64),
  state: z.enum(QR_STATES),
  qrCode: z.string().max(512).nullable(),
  expiresAt: z.string().max(40).nullable(),
  amountFen: z.number().int().min(0),
  code: z.string().max(100).nullable(),
  message: z.string().max(500).nullable(),
});
export type QrState = z.infer<typeof qrState>;

export const showQrRequest = z.object({ saleId: id }).strict();
export const cancelQrRequest = z.object({ saleId: id }).strict();

/**
 * sale.showQr's answer: the QR's state, or `recorded` when no acquirer is configured (the QR
 * tender stays a recorded tender: the till records it with sale.pay as before).
 */
export const showQrResult = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('dynamic'), qr: qrState }),
  z.object({ mode: z.literal('recorded') }),
]);
export type ShowQrResult = z.infer<typeof showQrResult>;

/** sale.cancelQr's answer: how it ended (paid if the buyer paid just before), null if none. */
export const cancelQrResult = z.object({ qr: qrState.nullable() });
