/**
 * The sync worker's own connection to the ledger file (main/sync runs it in a worker thread,
 * beside the main thread's Ledger). WAL lets it read while the till writes; its write
 * transactions are short (delivery marks, a page of catalogue changes) and wait for the till's
 * with busy_timeout, as the till's wait for them.
 *
 * It opens no carts file and runs no migration: the main process opens the Ledger (which
 * migrates) first, and a schema version other than the one this code knows is refused.
 *
 * synchronous=NORMAL: nothing it writes is money. A power cut may forget the last delivery marks
 * (those events go again and the cloud drops them by id) or the last catalogue page with its
 * cursor (it is pulled again).
 */
import Database from 'better-sqlite3';
import { PosError, checkBarcode, type Product } from '../contract';
import { auditHead, auditMacAt } from './audit';
import { removeProducts, skuWithBarcode, upsertProducts } from './catalog';
import { BusinessClock } from './clock';
import { Ctx } from './context';
import { pendingOutboxCount } from './lookups';
import { LATEST_VERSION, schemaVersionOf } from './migrations';
import { markOutboxSent, pendingOutbox, type OutboxEvent } from './outbox';
import {
  dueWalletCredits,
  oldestPendingCredit,
  pendingWalletCreditCount,
  recordWalletCredit,
  type CreditResult,
  type OwedCredit,
} from './wallet-credits';

export interface SyncStoreOptions {
  /** The ledger file (already created and migrated by Ledger.open). */
  file: string;
  /** The shop's IANA zone (business dates of events the ledger cannot find). */
  timezone?: string;
  busyTimeoutMs?: number;
  now?: () => Date;
}

/** A product as the chain's catalogue sends it: `active: false` takes it off sale. */
export interface CatalogChange extends Product {
  active: boolean;
}

export interface CatalogApplied {
  upserted: number;
  removed: number;
  /** Products this terminal cannot take (e.g. a bad check digit), with the reason. */
  skipped: { sku: string; reason: string }[];
}

export class SyncStore {
  private readonly ctx: Ctx;

  private constructor(ctx: Ctx) {
    this.ctx = ctx;
  }

  static open(options: SyncStoreOptions): SyncStore {
    const db = new Database(options.file, { fileMustExist: true });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 10_000))}`);
      const version = schemaVersionOf(db);
      if (version !== LATEST_VERSION) {
        throw new PosError(
          version > LATEST_VERSION ? 'DATABASE_TOO_NEW' : 'VALIDATION',
          `the ledger is at schema version ${version}, this sync code knows version ` +
            `${LATEST_VERSION}: the terminal opens (and migrates) the ledger before syncing`,
        );
      }
      const clock = new BusinessClock(options.timezone ?? 'Asia/Shanghai');
      return new SyncStore(new Ctx(db, 'T01', clock, options.now ?? (() => new Date()), version));
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    if (this.ctx.db.open) this.ctx.db.close();
  }

  /** Changes whenever another connection (the till) commits: a cheap "anything new?". */
  dataVersion(): number {
    return this.ctx.db.pragma('data_version', { simple: true }) as number;
  }

  pendingOutbox(limit: number, afterSeq = 0): OutboxEvent[] {
    return pendingOutbox(this.ctx, limit, afterSeq);
  }

  pendingCount(): number {
    return pendingOutboxCount(this.ctx);
  }

  /**
   * Records that the cloud acknowledged these events, and when (one transaction). Ids that are
   * unknown or already delivered are ignored.
   */
  markSent(ids: readonly string[], at: Date = this.ctx.now()): void {
    this.ctx.tx(() => {
      markOutboxSent(this.ctx, ids);
      this.recordSuccess(at);
    });
  }

  lastSuccessAt(): string | null {
    return (
      this.ctx.stmt('SELECT last_success_at AS at FROM sync_state').get() as { at: string | null }
    ).at;
  }

  /** The audit chain's newest link, which the cloud anchors at each sync (cloud/audit). */
  auditHead(): { seq: number; mac: string } {
    return auditHead(this.ctx);
  }
  /** The chain's MAC at `seq` (the cloud asks for the one at the anchor it holds). */
  auditMacAt(seq: number): string | null {
    return auditMacAt(this.ctx, seq);
  }

  recordSuccess(at: Date = this.ctx.now()): void {
    this.ctx.stmt('UPDATE sync_state SET last_success_at = ?').run(at.toISOString());
  }

  /**
   * The business day an event counts on in this ledger's own reports: the stored date of its
   * sale or refund (which a Z report may have moved to the next day), else the shop's calendar
   * day when it was written.
   */
  businessDateOf(event: Pick<OutboxEvent, 'type' | 'payload' | 'createdAt'>): string {
    const id = (event.payload as { id?: unknown } | null)?.id;
    if (typeof id === 'string') {
      const sql =
        event.type === 'sale.completed'
          ? 'SELECT business_date AS d FROM sales WHERE id = ?'
          : event.type === 'refund.created'
            ? 'SELECT business_date AS d FROM refunds WHERE id = ?'
            : null;
      const row =
        sql === null ? undefined : (this.ctx.stmt(sql).get(id) as { d: string } | undefined);
      if (row !== undefined) return row.d;
    }
    return this.ctx.clock.at(new Date(event.createdAt)).date;
  }

  /** Pending wallet credits written no later than `createdBefore`, oldest first. */
  dueWalletCredits(createdBefore: Date, limit: number): OwedCredit[] {
    return dueWalletCredits(this.ctx, createdBefore.toISOString(), limit);
  }

  /** When the oldest pending wallet credit was written (null when none is pending). */
  oldestPendingCredit(): Date | null {
    const at = oldestPendingCredit(this.ctx);
    return at === null ? null : new Date(at);
  }

  pendingWalletCreditCount(): number {
    return pendingWalletCreditCount(this.ctx);
  }

  /** The cloud's answer for a credit (the first recorded stands). */
  recordWalletCredit(key: string, result: CreditResult, at: Date = this.ctx.now()): boolean {
    return this.ctx.tx(() => recordWalletCredit(this.ctx, key, result, at));
  }

  /** The tax a refund gave back, as the ledger stored it (null: no such refund). */
  refundTaxFen(refundId: string): number | null {
    const row = this.ctx.stmt('SELECT tax_fen AS tax FROM refunds WHERE id = ?').get(refundId) as
      { tax: number } | undefined;
    return row?.tax ?? null;
  }

  /** The last catalogue version applied from `source` (0 for a source never pulled from). */
  catalogVersion(source: string): number {
    const row = this.ctx
      .stmt('SELECT catalog_source AS source, catalog_version AS version FROM sync_state')
      .get() as { source: string; version: number };
    return row.source === source ? row.version : 0;
  }

  /**
   * Applies one page of catalogue changes and moves the cursor to `version`, in one
   * transaction, through the ledger's own catalogue code. The chain's catalogue is
   * authoritative: a barcode it gives a product is taken from any other local product, and an
   * inactive product leaves the catalogue. A product this terminal cannot take is skipped (and
   * reported) rather than holding up every later change.
   */
  applyCatalog(
    source: string,
    products: readonly CatalogChange[],
    version: number,
  ): CatalogApplied {
    const applied: CatalogApplied = { upserted: 0, removed: 0, skipped: [] };
    this.ctx.tx(() => {
      for (const change of products) {
        const { active, ...product } = change;
        if (!active) {
          applied.removed += removeProducts(this.ctx, [product.sku]);
          continue;
        }
        try {
          this.ctx.tx(() => {
            const holder = this.productWithBarcode(product.barcode);
            if (holder !== null && holder !== product.sku) {
              applied.removed += removeProducts(this.ctx, [holder]);
            }
            upsertProducts(this.ctx, [product]);
          });
          applied.upserted += 1;
        } catch (error) {
          if (!PosError.is(error)) throw error;
          applied.skipped.push({ sku: String(product.sku), reason: error.message });
        }
      }
      this.ctx
        .stmt('UPDATE sync_state SET catalog_source = ?, catalog_version = ?')
        .run(source, version);
    });
    return applied;
  }

  /** Which product holds the barcode, on sale or not (null: nobody, or not a barcode). */
  private productWithBarcode(barcode: string): string | null {
    const check = checkBarcode(String(barcode));
    return check.ok ? skuWithBarcode(this.ctx, check.ean13) : null;
  }
}
