/**
 * The terminal's ledger (better-sqlite3). See db.ts for the files and durability, pricing.ts
 * for the arithmetic, and each module for its rules. One Ledger owns its files: open it once per
 * process and call it from one thread (better-sqlite3 is synchronous).
 */
import {
  PosError,
  type AuditVerification,
  type DailyReport,
  type PaymentMethod,
  type Product,
  type Refund,
  type Sale,
  type SaleSummary,
  type Shift,
  type XReport,
  type ZReport,
} from '../contract';
import { verifyAudit } from './audit';
import * as catalog from './catalog';
import { BusinessClock } from './clock';
import { Ctx } from './context';
import { openDatabase, reconcileCarts } from './db';
import { LATEST_VERSION } from './migrations';
import * as outbox from './outbox';
import { pay } from './payments';
import { refund } from './refunds';
import { dailyReport, xReport } from './reports';
import * as sales from './sales';
import { getSale, getSaleByReceipt } from './sale-view';
import * as shifts from './shifts';
import * as z from './zreports';

export { LATEST_VERSION } from './migrations';
export type { OutboxEvent } from './outbox';

export interface LedgerOptions {
  /** The ledger file; open and held sales go to a sibling `<name>.carts.db`. */
  file: string;
  /** Prefix of receipt numbers, e.g. 'T01'. */
  terminalId?: string;
  /** IANA zone of the shop, for business dates and hours. */
  timezone?: string;
  /** Injectable clock for tests. */
  now?: () => Date;
  /** Tests only: migrate no further than this schema version (to build an older database). */
  targetVersion?: number;
}

export class Ledger {
  readonly schemaVersion: number;
  readonly terminalId: string;
  readonly timezone: string;
  private readonly ctx: Ctx;

  private constructor(ctx: Ctx, schemaVersion: number) {
    this.ctx = ctx;
    this.schemaVersion = schemaVersion;
    this.terminalId = ctx.terminalId;
    this.timezone = ctx.clock.timezone;
  }

  static open(options: LedgerOptions): Ledger {
    const terminalId = options.terminalId ?? 'T01';
    if (!/^[A-Za-z0-9]{1,16}$/.test(terminalId))
      throw new PosError('VALIDATION', 'terminalId: 1-16 letters or digits', 'terminalId');
    const clock = new BusinessClock(options.timezone ?? 'Asia/Shanghai');
    const now = options.now ?? (() => new Date());
    const { db, schemaVersion } = openDatabase(
      options.file,
      now,
      options.targetVersion ?? LATEST_VERSION,
    );
    const ctx = new Ctx(db, terminalId, clock, now);
    try {
      ctx.tx(() => reconcileCarts(db));
      ctx.lastZDate = z.lastZDate(ctx);
    } catch (error) {
      db.close();
      throw error;
    }
    return new Ledger(ctx, schemaVersion);
  }

  close(): void {
    if (!this.ctx.db.open) return;
    this.ctx.db.pragma('optimize');
    this.ctx.db.close();
  }

  // catalog
  upsertProducts(products: Product[]): void {
    catalog.upsertProducts(this.ctx, products);
  }
  productCount(): number {
    return catalog.productCount(this.ctx);
  }
  lookupBarcode(raw: string): Product {
    return catalog.lookupBarcode(this.ctx, raw);
  }
  getProduct(sku: string): Product {
    return catalog.getProduct(this.ctx, sku);
  }
  searchProducts(query: string, limit?: number): Product[] {
    return catalog.searchProducts(this.ctx, query, limit);
  }

  // sales
  currentSale(): Sale | null {
    return sales.currentSale(this.ctx);
  }
  addItem(input: { barcode?: string; sku?: string; qty?: number }): Sale {
    return sales.addItem(this.ctx, input);
  }
  setQty(saleId: string, lineNo: number, qty: number): Sale {
    return sales.setQty(this.ctx, saleId, lineNo, qty);
  }
  removeLine(saleId: string, lineNo: number): Sale {
    return sales.removeLine(this.ctx, saleId, lineNo);
  }
  setLineDiscount(saleId: string, lineNo: number, discountFen: number): Sale {
    return sales.setLineDiscount(this.ctx, saleId, lineNo, discountFen);
  }
  setSaleDiscount(saleId: string, discountFen: number): Sale {
    return sales.setSaleDiscount(this.ctx, saleId, discountFen);
  }
  hold(saleId: string): SaleSummary {
    return sales.hold(this.ctx, saleId);
  }
  listHeld(): SaleSummary[] {
    return sales.listHeld(this.ctx);
  }
  recall(saleId: string): Sale {
    return sales.recall(this.ctx, saleId);
  }
  voidSale(saleId: string): Sale {
    return sales.voidSale(this.ctx, saleId);
  }
  pay(
    saleId: string,
    tender: { method: PaymentMethod; amountFen: number; tenderedFen?: number; reference?: string },
  ): Sale {
    return pay(this.ctx, saleId, tender);
  }
  getSale(saleId: string): Sale {
    return getSale(this.ctx, saleId);
  }
  getSaleByReceipt(receiptNo: string): Sale {
    return getSaleByReceipt(this.ctx, receiptNo);
  }
  refund(
    saleId: string,
    lines: { lineNo: number; qty: number }[] | undefined,
    reason: string,
  ): Refund {
    return refund(this.ctx, saleId, lines, reason);
  }

  // shifts
  currentShift(): Shift | null {
    return shifts.currentShift(this.ctx);
  }
  openShift(floatFen: number): Shift {
    return shifts.openShift(this.ctx, floatFen);
  }
  cashMovement(kind: 'in' | 'out', amountFen: number, reason: string): Shift {
    return shifts.cashMovement(this.ctx, kind, amountFen, reason);
  }
  closeShift(countedFen: number): Shift {
    return shifts.closeShift(this.ctx, countedFen);
  }

  // reports
  xReport(): XReport {
    return xReport(this.ctx);
  }
  dailyReport(businessDate: string): DailyReport {
    return dailyReport(this.ctx, businessDate);
  }
  takeZReport(businessDate?: string): ZReport {
    return z.takeZReport(this.ctx, businessDate);
  }
  listZReports(): ZReport[] {
    return z.listZReports(this.ctx);
  }
  getZReport(n: number): ZReport {
    return z.getZReport(this.ctx, n);
  }
  /** The business day the terminal is in now (a Z report moves it to the next day). */
  businessDate(): string {
    return this.ctx.businessMoment(this.ctx.now()).date;
  }

  // integrity and sync
  verifyAudit(): AuditVerification {
    return verifyAudit(this.ctx);
  }
  pendingOutbox(limit: number): outbox.OutboxEvent[] {
    return outbox.pendingOutbox(this.ctx, limit);
  }
  markOutboxSent(ids: string[]): void {
    outbox.markOutboxSent(this.ctx, ids);
  }
}

export { DEMO_PRODUCTS, seedDemoCatalog } from './demo-catalog';
