/**
 * The sync loop, as the worker thread runs it (worker.ts), with no thread of its own so that it
 * can be read and tested on its own terms.
 *
 * - Delivery: reads the outbox oldest first in batches, maps each row to the cloud's event
 *   (cloud/client/events.ts) with the business day the ledger itself reports it on, and sends up
 *   to `pipeline` batches at once. An event is marked sent only when the cloud's answer lists
 *   its id; the cloud stores events by id, so a batch that went twice, or whose answer was lost,
 *   counts once.
 * - Failures: any failed request ends the pass (the requests in flight still land and are
 *   marked), then the loop waits backoffDelay(failures) and starts again from the oldest
 *   undelivered event. A batch the cloud refuses for one malformed event keeps that event back
 *   (left in the outbox, retried after the backoff cap) and sends the rest.
 * - Wallet credits: a refund of a face payment owes the payer's wallet a credit (written with
 *   the refund). The core sends it at once; one still pending `walletCreditDelayMs` later (the
 *   cloud was away, the answer lost) is sent from here, under the same idempotency key, after
 *   each delivery pass until the cloud answers. The cloud's answer is recorded once; a refusal
 *   that can never pass (no such payment, say) is recorded as failed and logged.
 * - Catalogue: pulled at start, every `catalogIntervalMs`, and on a kick; each page is applied
 *   with its version cursor in one ledger transaction. The pull doubles as the heartbeat that
 *   notices the cloud going away while nothing is sold.
 * - Status: a report on every state change, progress at most every `statusIntervalMs`.
 */
import { CloudRequestError, type CloudClient } from '../../cloud/client';
import { toCloudEvent } from '../../cloud/client/events';
import {
  outcomeOfError,
  outcomeOfRecord,
  type RefundOutcome,
} from '../../cloud/client/refund-outcome';
import type { SyncStatus } from '../contract';
import type { OutboxEvent, SyncStore } from '../ledger';
import { backoffDelay } from './backoff';
import type { SyncError, SyncSettings, WorkerStatus } from './messages';

type SyncState = SyncStatus['state'];
type CloudEvent = Parameters<CloudClient['ingestEvents']>[0][number];

export type SyncCloud = Pick<CloudClient, 'ingestEvents' | 'pullCatalog' | 'refund'> &
  Partial<Pick<CloudClient, 'anchorAudit'>>;

/** The cloud's verdict on the till's audit chain head (see anchor()). */
export interface AnchorVerdict {
  status: 'ok' | 'mismatch';
  heldSeq: number;
  seq?: number;
  reason?: string;
}

export interface SyncEngineDeps {
  store: SyncStore;
  cloud: SyncCloud;
  /** The terminal's id in the cloud (its credentials), which every event must carry. */
  cloudTerminalId: string;
  /** Which catalogue the cursor belongs to (the cloud's address). */
  catalogSource: string;
  settings: SyncSettings;
  report(status: WorkerStatus): void;
  log(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
  onCatalog?(change: { version: number; upserted: number; removed: number; skipped: number }): void;
  /** The cloud compared the till's audit chain head with the anchors it holds. */
  onAnchor?(verdict: AnchorVerdict): void;
  random?: () => number;
  now?: () => number;
}

interface Batch {
  events: CloudEvent[];
  ids: Set<string>;
  lastSeq: number;
}

type BatchResult =
  { ok: true; batch: Batch; acknowledged: string[] } | { ok: false; batch: Batch; error: unknown };

/** Offline: no answer, or a gateway saying the service behind it is away. */
export function isOffline(error: unknown): boolean {
  if (!(error instanceof CloudRequestError)) return false;
  return (
    error.status === 0 ||
    error.code === 'UNAVAILABLE' ||
    error.status === 502 ||
    error.status === 503 ||
    error.status === 504
  );
}

function describe(error: unknown): SyncError {
  if (error instanceof CloudRequestError) {
    return { code: error.code, message: error.message.slice(0, 500) };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: message.slice(0, 500) };
}

export class SyncEngine {
  private readonly settings: SyncSettings;
  private readonly now: () => number;
  private stopped = false;
  private kicked = false;
  private wake: (() => void) | null = null;

  private state: SyncState = 'offline';
  private failures = 0;
  private retryAt: number | null = null;
  private lastError: SyncError | null = null;
  private lastSuccessAt: string | null;
  private sentEvents = 0;
  private catalogVersion: number;
  /** When the catalogue is next pulled (at once to begin with; never if the interval is 0). */
  private nextCatalogAt: number;
  /** The audit head last answered for (ok or mismatch): sent again only when it moves. */
  private anchoredHead: number | null = null;
  /** The newest anchor seq the cloud said it holds (null: not asked yet since start). */
  private heldSeq: number | null = null;
  /** The cloud answered that it has no anchors (an older cloud): stop asking this run. */
  private anchorsUnsupported = false;
  /** Events the cloud refused, by id: when to offer them again. */
  private readonly refused = new Map<string, number>();

  private lastReportAt = Number.NEGATIVE_INFINITY;
  private trailingReport: NodeJS.Timeout | null = null;

  constructor(private readonly deps: SyncEngineDeps) {
    this.settings = deps.settings;
    this.now = deps.now ?? Date.now;
    this.lastSuccessAt = deps.store.lastSuccessAt();
    this.catalogVersion = deps.store.catalogVersion(deps.catalogSource);
    this.nextCatalogAt = this.settings.catalogIntervalMs > 0 ? 0 : Number.POSITIVE_INFINITY;
  }

  /** Runs until stop(). Never rejects for a cloud or network failure: those are retried. */
  async run(): Promise<void> {
    this.publish(true);
    while (!this.stopped) {
      try {
        await this.drain();
        if (!this.stopped) await this.anchor();
        if (!this.stopped) await this.creditWallets();
        if (!this.stopped && this.catalogDue()) await this.pullCatalog();
        if (this.failures > 0) this.recovered();
        if (this.refused.size === 0) this.lastError = null;
        this.setState(this.refused.size > 0 ? 'error' : 'idle');
        await this.idle();
      } catch (error) {
        if (this.stopped) break;
        this.failures += 1;
        const delay = backoffDelay(this.failures, this.settings.backoff, this.deps.random);
        this.retryAt = this.now() + delay;
        this.lastError = describe(error);
        if (this.failures === 1) {
          this.deps.log('warn', 'cloud sync failed; retrying with backoff', { ...this.lastError });
        }
        this.setState(isOffline(error) ? 'offline' : 'error', true);
        await this.sleep(delay);
        this.kicked = false;
      }
    }
    if (this.trailingReport !== null) clearTimeout(this.trailingReport);
    this.trailingReport = null;
    this.publish(true);
  }

  private recovered(): void {
    this.deps.log('info', 'the cloud answers again', { failures: this.failures });
    this.failures = 0;
    this.retryAt = null;
    if (this.refused.size === 0) this.lastError = null;
  }

  /** Try now: cut a backoff wait short and pull the catalogue too. */
  kick(): void {
    this.kicked = true;
    if (this.settings.catalogIntervalMs > 0) this.nextCatalogAt = 0;
    this.wake?.();
  }

  /** Finish what is in flight, then return from run(). */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  status(): WorkerStatus {
    return {
      state: this.state,
      pendingEvents: this.deps.store.pendingCount(),
      pendingWalletCredits: this.deps.store.pendingWalletCreditCount(),
      lastSuccessAt: this.lastSuccessAt,
      failures: this.failures,
      retryAt: this.retryAt === null ? null : new Date(this.retryAt).toISOString(),
      lastError: this.lastError,
      sentEvents: this.sentEvents,
      refusedEvents: this.refused.size,
      catalogVersion: this.catalogVersion,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Delivery

  private async drain(): Promise<void> {
    // A pass that kept an event back runs again for the rest of that event's batch.
    while (!this.stopped && (await this.pass())) {
      /* next pass */
    }
  }

  /** One sweep of the outbox from the oldest undelivered event; true if an event was refused. */
  private async pass(): Promise<boolean> {
    const inflight: Promise<BatchResult>[] = [];
    let after = 0;
    let failure: unknown = null;
    let refusedOne = false;
    for (;;) {
      while (failure === null && !this.stopped && inflight.length < this.settings.pipeline) {
        const batch = this.nextBatch(after);
        if (batch === null) break;
        after = batch.lastSeq;
        // While retrying, the state stays offline/error until a batch gets through.
        if (this.state !== 'syncing' && this.failures === 0) this.setState('syncing');
        inflight.push(this.send(batch));
      }
      const next = inflight.shift();
      if (next === undefined) break;
      const result = await next;
      if (result.ok) {
        const acknowledged = result.acknowledged.filter((id) => result.batch.ids.has(id));
        const at = new Date(this.now());
        this.deps.store.markSent(acknowledged, at);
        this.sentEvents += acknowledged.length;
        this.lastSuccessAt = at.toISOString();
        if (this.failures > 0) this.recovered();
        if (this.state !== 'syncing') this.setState('syncing');
        else this.publish(false);
      } else if (this.refuse(result.error, result.batch)) {
        refusedOne = true;
      } else {
        failure ??= result.error;
      }
    }
    if (failure !== null) throw failure;
    return refusedOne;
  }

  /** The next batch after `after` (a seq), or null when nothing more is waiting. */
  private nextBatch(after: number): Batch | null {
    const { batchSize, maxBatchBytes } = this.settings;
    let from = after;
    for (;;) {
      const rows = this.deps.store.pendingOutbox(batchSize, from);
      if (rows.length === 0) return null;
      const events: CloudEvent[] = [];
      const seqs: number[] = [];
      for (const row of rows) {
        const event = this.isRefused(row.id) ? null : this.toEvent(row);
        if (event === null) continue;
        events.push(event);
        seqs.push(row.seq);
      }
      if (events.length === 0) {
        from = (rows.at(-1) as OutboxEvent).seq; // every row here is held back: look further on
        continue;
      }
      // Rarely needed (events are a few hundred bytes): halve until the body fits.
      while (events.length > 1 && Buffer.byteLength(JSON.stringify(events)) > maxBatchBytes) {
        events.length = Math.ceil(events.length / 2);
      }
      return {
        events,
        ids: new Set(events.map((e) => e.id)),
        lastSeq: seqs[events.length - 1] as number,
      };
    }
  }

  /** The cloud's event for an outbox row; null (and the row kept back) if it cannot be made. */
  private toEvent(row: OutboxEvent): CloudEvent | null {
    try {
      return toCloudEvent(
        row,
        this.deps.cloudTerminalId,
        () => this.deps.store.businessDateOf(row),
        (refundId) => this.deps.store.refundTaxFen(refundId),
      );
    } catch (error) {
      this.holdBack(row.id, row.type, describe(error));
      return null;
    }
  }

  private async send(batch: Batch): Promise<BatchResult> {
    try {
      const answer = await this.deps.cloud.ingestEvents(batch.events);
      return { ok: true, batch, acknowledged: answer.acknowledged };
    } catch (error) {
      return { ok: false, batch, error };
    }
  }

  /**
   * The cloud refused the batch because of one event (a 400 naming `events.<i>`): keep that
   * event back for a while and let the rest through. True if so.
   */
  private refuse(error: unknown, batch: Batch): boolean {
    if (!(error instanceof CloudRequestError) || error.status !== 400) return false;
    if (error.code !== 'VALIDATION') return false;
    const index = /^events\.(\d+)(\.|$)/.exec(error.field ?? '')?.[1];
    const event = index === undefined ? undefined : batch.events[Number(index)];
    if (event === undefined) return false;
    this.holdBack(event.id, event.type, describe(error));
    return true;
  }

  /** Keeps an event out of batches until the backoff cap has passed (it stays in the outbox). */
  private holdBack(id: string, type: string, reason: SyncError): void {
    this.refused.set(id, this.now() + this.settings.backoff.capMs);
    this.lastError = reason;
    this.deps.log('error', 'an outbox event cannot be delivered; it stays in the outbox', {
      eventId: id,
      type,
      ...reason,
    });
  }

  private isRefused(id: string): boolean {
    const until = this.refused.get(id);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.refused.delete(id);
    return false;
  }

  private hasSendable(): boolean {
    const rows = this.deps.store.pendingOutbox(Math.min(this.refused.size + 1, 10_000));
    return rows.some((r) => !this.isRefused(r.id));
  }

  // -------------------------------------------------------------------------------------------
  // Audit anchors

  /**
   * Sends the audit chain's head once the events are delivered, and whenever it has moved. The
   * cloud keeps every head it accepts; a ledger rewritten since (even with the key) differs at
   * the seq the cloud holds, which the cloud flags and answers as a mismatch (cloud/audit). The
   * first exchange after a start learns that seq ('check') and asks again with the MAC there.
   * Apart from event delivery: events keep their own exactly-once path.
   */
  private async anchor(): Promise<void> {
    const anchorAudit = this.deps.cloud.anchorAudit?.bind(this.deps.cloud);
    if (anchorAudit === undefined || this.anchorsUnsupported) return;
    const head = this.deps.store.auditHead();
    if (head.seq === 0 || head.seq === this.anchoredHead) return;
    for (let round = 0; round < 2; round++) {
      const held = this.heldSeq;
      const check =
        held === null || held === 0
          ? null
          : { seq: held, mac: this.deps.store.auditMacAt(held) ?? '' };
      let answer;
      try {
        answer = await anchorAudit({ head, check });
      } catch (error) {
        if (error instanceof CloudRequestError && error.status === 404) {
          this.anchorsUnsupported = true;
          this.deps.log('warn', 'the cloud keeps no audit anchors (an older cloud)');
          return;
        }
        throw error;
      }
      this.heldSeq = answer.heldSeq;
      if (answer.status === 'check') continue;
      this.anchoredHead = head.seq;
      if (answer.status === 'mismatch')
        this.deps.log('error', 'the cloud says the audit chain differs from its anchor', {
          seq: answer.seq,
          reason: answer.reason,
        });
      this.deps.onAnchor?.({
        status: answer.status,
        heldSeq: answer.heldSeq,
        ...(answer.seq === undefined ? {} : { seq: answer.seq }),
        ...(answer.reason === undefined ? {} : { reason: answer.reason }),
      });
      return;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Wallet credits

  /** When the oldest pending credit becomes the worker's to send (Infinity: none pending). */
  private nextCreditAt(): number {
    const oldest = this.deps.store.oldestPendingCredit();
    return oldest === null
      ? Number.POSITIVE_INFINITY
      : oldest.getTime() + this.settings.walletCreditDelayMs;
  }

  /**
   * Sends every credit that is due. A credit the cloud answers (credited, declined) or refuses
   * for good is recorded; one without an answer ends the pass like a failed batch (backoff,
   * then the same key again).
   */
  private async creditWallets(): Promise<void> {
    const cutoff = new Date(this.now() - this.settings.walletCreditDelayMs);
    for (;;) {
      const due = this.deps.store.dueWalletCredits(cutoff, 50);
      for (const credit of due) {
        if (this.stopped) return;
        let outcome: RefundOutcome | null;
        try {
          outcome = outcomeOfRecord(
            await this.deps.cloud.refund({
              saleId: credit.saleId,
              paymentId: credit.cloudPaymentId,
              amountFen: credit.amountFen,
              idempotencyKey: credit.key,
              reason: credit.reason,
            }),
          );
        } catch (error) {
          outcome = outcomeOfError(error);
          if (outcome === null) throw error;
        }
        const fields = { refundId: credit.refundId, amountFen: credit.amountFen };
        if (outcome.status === 'credited') this.deps.log('info', 'wallet credited', fields);
        else
          this.deps.log('error', 'the cloud would not credit the wallet', {
            ...fields,
            code: outcome.code,
          });
        this.deps.store.recordWalletCredit(credit.key, outcome, new Date(this.now()));
        this.publish(false);
      }
      if (due.length < 50) return;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Catalogue

  private catalogDue(): boolean {
    return this.now() >= this.nextCatalogAt;
  }

  private async pullCatalog(): Promise<void> {
    const { catalogSource: source } = this.deps;
    let since = this.deps.store.catalogVersion(source);
    for (;;) {
      const page = await this.deps.cloud.pullCatalog(since, this.settings.catalogPageSize);
      const applied = this.deps.store.applyCatalog(source, page.products, page.version);
      this.catalogVersion = page.version;
      since = page.version;
      if (applied.upserted + applied.removed + applied.skipped.length > 0) {
        const change = {
          version: page.version,
          upserted: applied.upserted,
          removed: applied.removed,
          skipped: applied.skipped.length,
        };
        this.deps.log('info', 'catalogue updated from the cloud', change);
        for (const s of applied.skipped) {
          this.deps.log('warn', 'a catalogue product was not taken', { ...s });
        }
        this.deps.onCatalog?.(change);
      }
      if (!page.hasMore || this.stopped) break;
    }
    const at = new Date(this.now());
    this.deps.store.recordSuccess(at);
    this.lastSuccessAt = at.toISOString();
    const interval = this.settings.catalogIntervalMs;
    this.nextCatalogAt = interval > 0 ? this.now() + interval : Number.POSITIVE_INFINITY;
  }

  // -------------------------------------------------------------------------------------------
  // Waiting

  /**
   * Until the till writes something to send, a wallet credit falls due, the catalogue is due,
   * a kick, or stop.
   */
  private async idle(): Promise<void> {
    let seen = this.deps.store.dataVersion();
    if (this.hasSendable()) return;
    let creditAt = this.nextCreditAt();
    while (!this.stopped && !this.kicked && !this.catalogDue() && this.now() < creditAt) {
      await this.sleep(this.settings.pollMs);
      const version = this.deps.store.dataVersion();
      if (version !== seen) {
        seen = version;
        if (this.hasSendable()) break;
        creditAt = this.nextCreditAt();
      }
    }
    this.kicked = false;
  }

  /** Sleeps `ms`, or less if kicked or stopped (the caller clears the kick). */
  private sleep(ms: number): Promise<void> {
    if (this.stopped || this.kicked) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  // -------------------------------------------------------------------------------------------
  // Status

  private setState(state: SyncState, force = false): void {
    const changed = state !== this.state;
    this.state = state;
    this.publish(changed || force);
  }

  private publish(force: boolean): void {
    const interval = this.settings.statusIntervalMs;
    const since = this.now() - this.lastReportAt;
    if (!force && since < interval) {
      this.trailingReport ??= setTimeout(() => {
        this.trailingReport = null;
        this.publish(true);
      }, interval - since);
      return;
    }
    if (this.trailingReport !== null) clearTimeout(this.trailingReport);
    this.trailingReport = null;
    this.lastReportAt = this.now();
    this.deps.report(this.status());
  }
}
