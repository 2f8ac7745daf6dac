/**
 * Remote customer displays (another device on the shop's network, opt-in): the devices paired
 * with the till, the short pairing code the manager's screen shows, and which display is the
 * customer's (the only one that may take the camera or confirm a face payment).
 */
import { z } from 'zod';
import { id } from './domain';

/** The customer display the terminal shows itself (its window, or the local /customer page). */
export const LOCAL_DISPLAY_ID = 'local';

export const displayDevice = z.object({
  id,
  name: z.string().min(1).max(60),
  createdAt: z.string().max(40),
  lastSeenAt: z.string().max(40).nullable(),
  revokedAt: z.string().max(40).nullable(),
});
export type DisplayDevice = z.infer<typeof displayDevice>;

export const displayOverview = z.object({
  devices: z.array(displayDevice),
  /** LOCAL_DISPLAY_ID or a paired device's id. */
  customerDisplay: id,
  /** Null when remote displays are turned off. */
  remote: z
    .object({
      /** Where a device opens the customer display (https). */
      url: z.string().max(200),
      /** SHA-256 of the host's TLS certificate, to compare on the device before trusting it. */
      fingerprint: z.string().max(120),
    })
    .nullable(),
});
export type DisplayOverview = z.infer<typeof displayOverview>;

export const pairingCode = z.object({
  /** 8 digits, one use. */
  code: z.string().regex(/^\d{8}$/),
  expiresAt: z.string().max(40),
});
export type PairingCode = z.infer<typeof pairingCode>;
