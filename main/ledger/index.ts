/**
 * The terminal's ledger (better-sqlite3). See db.ts for the files and durability, pricing.ts
 * for the arithmetic, and each module for its rules. One Ledger owns its files: open it once per
 * process and call it from one thread (better-sqlite3 is synchronous).
 */
import {
  PosError,
  type ApprovalAction,
  type AuditVerification,
  type DailyReport,
  type DisplayDevice,
  type PaymentMethod,
  type PrinterFault,
  type Product,
  type Refund,
  type Sale,
  type SaleSummary,
  type Settings,
  type Shift,
  type Staff,
  type StaffRole,
  type WalletCredit,
  type XReport,
  type ZReport,
} from '../contract';
import { listApprovals, withApproval, type ApprovalRecord, type ApprovalRow } from './approvals';
import { verifyAudit } from './audit';
import * as catalog from './catalog';
import { BusinessClock } from './clock';
import { DEMO_STAFF } from './demo-staff';
import * as displays from './display-devices';
import { Ctx } from './context';
import { openDatabase, reconcileCarts } from './db';
import * as lookups from './lookups';
import { LATEST_VERSION } from './migrations';
import * as outbox from './outbox';
import { overridePrice } from './price-override';
import { pay } from './payments';
import * as receipts from './receipts';
import { refund } from './refunds';
import { dailyReport, xReport } from './reports';
import * as sales from './sales';
import { getSale, getSaleByReceipt } from './sale-view';
import { getSettings, setSettings } from './settings';
import * as shifts from './shifts';
import * as staff from './staff';
import * as credits from './wallet-credits';
import * as z from './zreports';

export { LATEST_VERSION } from './migrations';
export type { OutboxEvent } from './outbox';
export type { ApprovalRecord, ApprovalRow } from './approvals';
export type { ReceiptPrint } from './receipts';
export { walletCreditKey, type CreditResult, type OwedCredit } from './wallet-credits';

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
    const ctx = new Ctx(db, terminalId, clock, now, schemaVersion);
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
  /**
   * The calls that write money rows take `operatorId`: the member of staff signed in at the
   * till, recorded on the row (see requireOperator in staff.ts).
   */
  voidSale(saleId: string, operatorId: string): Sale {
    return sales.voidSale(this.ctx, saleId, operatorId);
  }
  pay(
    saleId: string,
    tender: { method: PaymentMethod; amountFen: number; tenderedFen?: number; reference?: string },
    operatorId: string,
  ): Sale {
    return pay(this.ctx, saleId, tender, operatorId);
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
    operatorId: string,
  ): Refund {
    return refund(this.ctx, saleId, lines, reason, operatorId);
  }

  // shifts
  currentShift(): Shift | null {
    return shifts.currentShift(this.ctx);
  }
  openShift(floatFen: number, operatorId: string): Shift {
    return shifts.openShift(this.ctx, floatFen, operatorId);
  }
  cashMovement(kind: 'in' | 'out', amountFen: number, reason: string, operatorId: string): Shift {
    return shifts.cashMovement(this.ctx, kind, amountFen, reason, operatorId);
  }
  closeShift(countedFen: number, operatorId: string): Shift {
    return shifts.closeShift(this.ctx, countedFen, operatorId);
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
  pendingOutboxCount(): number {
    return lookups.pendingOutboxCount(this.ctx);
  }

  // face-pay wallet credits owed by refunds (wallet-credits.ts)
  /** The refund's wallet credits and where each stands. */
  walletCreditsOf(refundId: string): WalletCredit[] {
    return credits.walletCreditsOf(this.ctx, refundId).map(({ owed: _owed, ...c }) => c);
  }
  /** The refund's credits still waiting for the cloud's answer, to send now. */
  pendingWalletCreditsOf(refundId: string): credits.OwedCredit[] {
    return credits
      .walletCreditsOf(this.ctx, refundId)
      .filter((c) => c.status === 'pending')
      .map((c) => c.owed);
  }
  /** Records the cloud's answer (the first one stands); false if one was recorded before. */
  recordWalletCredit(key: string, result: credits.CreditResult): boolean {
    return this.ctx.tx(() => credits.recordWalletCredit(this.ctx, key, result));
  }
  pendingWalletCreditCount(): number {
    return credits.pendingWalletCreditCount(this.ctx);
  }

  // catalogue browsing, refund state, shift reports
  categories(): { category: string; count: number }[] {
    return lookups.categories(this.ctx);
  }
  browseCategory(category: string, limit?: number): Product[] {
    return lookups.browseCategory(this.ctx, category, limit);
  }
  refundableLines(saleId: string): { lineNo: number; qty: number; refundedQty: number }[] {
    return lookups.refundableLines(this.ctx, saleId);
  }
  shiftsOfDate(businessDate: string): Shift[] {
    return shifts.shiftsOfDate(this.ctx, businessDate);
  }

  // staff, PINs and manager approvals (see staff.ts and approvals.ts)
  staffCount(): number {
    return staff.staffCount(this.ctx);
  }
  listStaff(): Staff[] {
    return staff.listStaff(this.ctx);
  }
  addStaff(input: { name: string; role: StaffRole; pin: string }): Staff {
    return staff.addStaff(this.ctx, input);
  }
  setStaffPin(staffId: string, pin: string): Staff {
    return staff.setStaffPin(this.ctx, staffId, pin);
  }
  /** The person with this PIN (of one of `roles`); counts failures and locks out (staff.ts). */
  verifyPin(pin: string, roles?: readonly StaffRole[]): Staff {
    return staff.verifyPin(this.ctx, pin, roles);
  }
  pinLockedUntil(): string | null {
    return staff.pinLockedUntil(this.ctx);
  }
  /** Runs `fn` and records who approved it, in one transaction (approvals.ts). */
  withApproval<T>(
    approver: Staff,
    action: ApprovalAction,
    fn: () => T,
    record: (result: T) => ApprovalRecord,
  ): T {
    return withApproval(this.ctx, approver, action, fn, record);
  }
  listApprovals(limit?: number): ApprovalRow[] {
    return listApprovals(this.ctx, limit);
  }
  /** Changes a cart line's unit price; returns the sale and the price it had before. */
  overridePrice(
    saleId: string,
    lineNo: number,
    unitPriceFen: number,
  ): { sale: Sale; fromFen: number } {
    return overridePrice(this.ctx, saleId, lineNo, unitPriceFen);
  }
  /**
   * Voids a completed sale: refunds everything not yet refunded, to the original methods
   * (the ledger is append-only, so a paid sale is reversed by a refund, never changed).
   */
  voidCompletedSale(saleId: string, reason: string, operatorId: string): Refund {
    return refund(this.ctx, saleId, undefined, reason, operatorId);
  }

  // remote displays (the pairing itself is the core's: main/core/displays.ts)
  addDisplayDevice(name: string, token: string): DisplayDevice {
    return this.ctx.tx(() => displays.addDevice(this.ctx, name, token));
  }
  displayDevices(): DisplayDevice[] {
    return displays.listDevices(this.ctx);
  }
  displayDeviceByToken(token: string): DisplayDevice | null {
    return displays.deviceByToken(this.ctx, token);
  }
  revokeDisplayDevice(id: string): DisplayDevice {
    return displays.revokeDevice(this.ctx, id);
  }
  customerDisplay(): string {
    return displays.customerDisplay(this.ctx);
  }
  setCustomerDisplay(display: string): string {
    return displays.setCustomerDisplay(this.ctx, display);
  }

  // settings
  settings(): Settings {
    return getSettings(this.ctx);
  }
  setSettings(next: Partial<Settings>): Settings {
    return setSettings(this.ctx, next);
  }

  // receipts (receipts.ts): who rang the sale up, and the copies printed
  /** Whether a copy of the sale's receipt has printed (the next one is then a reprint). */
  receiptPrinted(saleId: string): boolean {
    return receipts.receiptPrinted(this.ctx, saleId);
  }
  recordReceiptPrint(print: {
    saleId: string;
    receiptNo: string;
    reprint: boolean;
    outcome: 'printed' | 'failed';
    fault: PrinterFault | null;
    staffId: string | null;
  }): receipts.ReceiptPrint {
    return receipts.recordReceiptPrint(this.ctx, print);
  }
  receiptPrints(saleId: string): receipts.ReceiptPrint[] {
    return receipts.receiptPrints(this.ctx, saleId);
  }
}

/** Seeds the demo shop's staff; returns who was created with which PIN (to print once). */
export function seedDemoStaff(ledger: Ledger): { name: string; role: StaffRole; pin: string }[] {
  if (ledger.staffCount() > 0) return [];
  for (const s of DEMO_STAFF) ledger.addStaff(s);
  return [...DEMO_STAFF];
}

export { DEMO_PRODUCTS, seedDemoCatalog } from './demo-catalog';
export { DEMO_STAFF } from './demo-staff';
export {
  SyncStore,
  type CatalogApplied,
  type CatalogChange,
  type SyncStoreOptions,
} from './sync-store';
