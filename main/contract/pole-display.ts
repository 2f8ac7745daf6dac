/**
 * The register's pole display (客显) as the terminal reads it (--pole-display): what the
 * register shows, the amount it presents, and whether the till may take it as a sale's amount.
 * Heard by the till and the customer display alike: it is what the register already shows the
 * customer on its own display.
 */
import { z } from 'zod';
import { amountFen } from './domain';

/** The command sets the terminal reads (--pole-protocol). */
export const POLE_PROTOCOLS = ['cd5220', 'epson'] as const;
export type PoleProtocol = (typeof POLE_PROTOCOLS)[number];

export const POLE_AMOUNT_KINDS = ['price', 'total', 'collect', 'change'] as const;

export const poleDisplayStatus = z.object({
  /** off: no --pole-display; otherwise the serial port's state (it reconnects by itself). */
  connection: z.enum(['off', 'connecting', 'connected', 'disconnected']),
  /** The two lines the register shows now. */
  lines: z.tuple([z.string().max(80), z.string().max(80)]),
  /** The figure the register presents and what it is (a lamp or a word says so), or null. */
  amount: z.object({ amountFen, kind: z.enum(POLE_AMOUNT_KINDS) }).nullable(),
  /**
   * The total the till may confirm as a sale's amount: only a TOTAL, only while nothing is being
   * sold at the till, and gone the moment the register clears or changes its display.
   */
  payableFen: amountFen.nullable(),
});
export type PoleDisplayStatus = z.infer<typeof poleDisplayStatus>;
