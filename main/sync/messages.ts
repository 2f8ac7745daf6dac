/**
 * What crosses the thread boundary between the main thread and the sync worker, validated on
 * arrival on both sides. The worker's start options travel as workerData (they hold the
 * terminal's signing secret: kept in memory, never logged or posted back).
 */
import { z } from 'zod';
import { SYNC_STATES } from '../contract';

export const syncSettings = z.object({
  /** Events per request (the cloud takes at most 1,000). */
  batchSize: z.number().int().min(1).max(1000),
  /** Requests in flight at once. */
  pipeline: z.number().int().min(1).max(16),
  /** A batch is cut before its JSON passes this many bytes (the cloud refuses bodies over 8 MiB). */
  maxBatchBytes: z
    .number()
    .int()
    .min(4096)
    .max(7 * 1024 * 1024),
  /** How often an idle worker looks for new events in the outbox. */
  pollMs: z.number().int().min(5).max(60_000),
  /** How often the catalogue is pulled (also the heartbeat while nothing is sent); 0 = never. */
  catalogIntervalMs: z.number().int().min(0),
  catalogPageSize: z.number().int().min(1).max(1000),
  requestTimeoutMs: z.number().int().min(100).max(600_000),
  backoff: z.object({
    baseMs: z.number().int().min(1),
    capMs: z.number().int().min(1),
  }),
  /** Progress reports at most this often (state changes go at once). */
  statusIntervalMs: z.number().int().min(0).max(60_000),
  busyTimeoutMs: z.number().int().min(0).max(600_000),
  /**
   * A refund's wallet credit is the core's to send first (at refund time); the worker takes
   * over the ones still pending this long after the refund.
   */
  walletCreditDelayMs: z.number().int().min(0).max(86_400_000),
});
export type SyncSettings = z.infer<typeof syncSettings>;

export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  batchSize: 1000,
  pipeline: 2,
  maxBatchBytes: 4 * 1024 * 1024,
  pollMs: 250,
  catalogIntervalMs: 60_000,
  catalogPageSize: 500,
  requestTimeoutMs: 30_000,
  backoff: { baseMs: 1_000, capMs: 5 * 60_000 },
  statusIntervalMs: 500,
  busyTimeoutMs: 10_000,
  walletCreditDelayMs: 10_000,
};

export const workerData = z.object({
  ledgerFile: z.string().min(1),
  timezone: z.string().min(1),
  baseUrl: z.string().url(),
  credentials: z.object({
    terminalId: z.string().min(1),
    storeId: z.string().min(1),
    secret: z.string().min(16),
    identifyPublicKey: z.string().min(16),
    paymentPublicKey: z.string().min(16).optional(),
  }),
  settings: syncSettings,
});
export type WorkerData = z.infer<typeof workerData>;

export const syncError = z.object({ code: z.string().max(64), message: z.string().max(500) });
export type SyncError = z.infer<typeof syncError>;

export const workerStatus = z.object({
  state: z.enum(SYNC_STATES),
  /** Outbox events not yet acknowledged by the cloud. */
  pendingEvents: z.number().int().min(0),
  /** Refunds' face-pay wallet credits the cloud has not answered yet. */
  pendingWalletCredits: z.number().int().min(0),
  /** The last time the cloud acknowledged events or answered a catalogue pull. */
  lastSuccessAt: z.string().nullable(),
  /** Failed attempts in a row (0 once one succeeds). */
  failures: z.number().int().min(0),
  /** When the next attempt is due while backing off. */
  retryAt: z.string().nullable(),
  lastError: syncError.nullable(),
  /** Events the cloud acknowledged since this worker started. */
  sentEvents: z.number().int().min(0),
  /** Events the cloud refused (left in the outbox, retried later). */
  refusedEvents: z.number().int().min(0),
  catalogVersion: z.number().int().min(0),
});
export type WorkerStatus = z.infer<typeof workerStatus>;

export const fromWorker = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: workerStatus }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string().max(2000),
    fields: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    type: z.literal('catalog'),
    version: z.number().int(),
    upserted: z.number().int(),
    removed: z.number().int(),
    skipped: z.number().int(),
  }),
  /** The cloud's verdict on the audit chain head (main/core/audit-monitor.ts takes it). */
  z.object({
    type: z.literal('anchor'),
    status: z.enum(['ok', 'mismatch']),
    heldSeq: z.number().int().min(0),
    seq: z.number().int().optional(),
    reason: z.string().max(500).optional(),
  }),
  z.object({ type: z.literal('stopped') }),
]);
export type FromWorker = z.infer<typeof fromWorker>;

export const toWorker = z.discriminatedUnion('type', [
  /** Try now: ends a backoff wait and pulls the catalogue ("sync now"). */
  z.object({ type: z.literal('kick') }),
  /** Finish the requests in flight, record their acknowledgements, close the ledger, exit. */
  z.object({ type: z.literal('stop') }),
]);
export type ToWorker = z.infer<typeof toWorker>;
