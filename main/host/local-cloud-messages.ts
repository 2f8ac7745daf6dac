/** What the terminal and its local cloud's thread (local-cloud-worker.ts) say to each other. */
import { z } from 'zod';

export const LOCAL_STORE_ID = 'local-shop';

export interface LocalCloudStart {
  dataDir: string;
  port: number;
  shopName: string;
  timezone: string;
  terminalId: string;
}

export const toLocalCloud = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pairing-code'), id: z.number().int() }),
  z.object({ kind: z.literal('close') }),
]);
export type ToLocalCloud = z.infer<typeof toLocalCloud>;

export const fromLocalCloud = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready'), url: z.string() }),
  /** The cloud did not start; `code` is the system error's (EADDRINUSE: the port is taken). */
  z.object({ kind: z.literal('failed'), message: z.string(), code: z.string().optional() }),
  z.object({
    kind: z.literal('pairing-code'),
    id: z.number().int(),
    code: z.string().optional(),
    error: z.string().optional(),
  }),
]);
export type FromLocalCloud = z.infer<typeof fromLocalCloud>;
