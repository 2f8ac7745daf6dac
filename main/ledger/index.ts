/**
 * The terminal's ledger (better-sqlite3). See db.ts for the files and durability, pricing.ts
 * for the arithmetic, and each module for its rules. One Ledger owns its files: open it once per
 * process and call it from one thread (better-sqlite3 is synchronous).
 */
import {
  PosError,
  type ApprovalAction,
  type CreateOrderRequest,
  type RegisterDevice,
  type CatalogList,
  type CatalogListRequest,
  type CatalogProduct,
  type ImportApplied,
  type ImportPreview,
  type ProductDraft,
  type AuditVerification,
  type DailyReport,
  type PinAttempt,
  type DisplayDevice,
  type PrinterFault,
  type Product,
  type Refund,
  type Sale,
  type SaleSummary,
  type Settings,
  type Shift,
  type Staff,
  type StaffMember,
  type StaffRef,
  type StaffRole,
  type TillTender,
  type WalletCredit,
  type XReport,
  type ZReport,
} from '../contract';
import { listApprovals, withApproval, type ApprovalRecord, type ApprovalRow } from './approvals';
import * as audit from './audit';
import * as catalog from './catalog';
import * as catalogCsv from './catalog-csv';
import * as catalogEdit from './catalog-edit';
import { BusinessClock } from './clock';
import { DEMO_STAFF } from './demo-staff';
import * as displays from './display-devices';
import { Ctx } from './context';
import { openDatabase, reconcileCarts } from './db';
import * as lookups from './lookups';
import { LATEST_VERSION } from './migrations';
import * as outbox from './outbox';
import { overridePrice } from './price-override';
import {
  acquirerPaymentsOf,
  completeZero,
  pay,
  payAcquirer,
  payFace,
  type AcquirerPayment,
} from './payments';
import type { PaidTrade } from '../shared/paid-trade';
import type { VerifiedFaceDebit } from './face-debit';
import * as receipts from './receipts';
import { planRefund, refund, refundsOf, type RefundOptions, type RefundPlan } from './refunds';
import * as regs from './registers';
import { dailyReport, xReport } from './reports';
import * as sales from './sales';
import { getSale, getSaleByReceipt } from './sale-view';
import { getSettings, setSettings } from './settings';
import * as shifts from './shifts';
import * as staff from './staff';
import * as credits from './wallet-credits';
import * as z from './zreports';

export { LATEST_VERSION } from './migrations';
export { AUDIT_KEY_BYTES } from './audit';
export type { OutboxEvent } from './outbox';
export { paymentKeyFrom, VerifiedFaceDebit } from './face-debit';
export type { ApprovalRecord, ApprovalRow } from './approvals';
export type { ReceiptPrint } from './receipts';
export { walletCreditKey, type CreditResult, type OwedCredit } from './wallet-credits';
export type { AcquirerPayment } from './payments';
export type { AcquirerRefund, RefundOptions, RefundPlan } from './refunds';

export interface LedgerOptions {
  /** The ledger file; open and held sales go to a sibling `<name>.carts.db`. */
  file: string;
  /**
   * The audit chain's key (audit.ts): at least 32 random bytes kept outside the ledger (the
   * core takes it from its secret store, `audit-key`). Tests: testAuditKey().
   */
  auditKey: Buffer;
  /**
   * The key was made just now (the core: it was not in the secret store). Only then may an
   * unkeyed chain from before the key be verified and taken over; with a key that existed
   * before, a ledger without its switch-over record is recorded as broken (audit.ts).
   * Default false.
   */
  auditKeyIsNew?: boolean;
  /** Prefix of receipt numbers, e.g. 'T01'. */
  terminalId?: string;
  /** IANA zone of the shop, for business dates and hours. */
  timezone?: string;
  /** Injectable clock for tests. */
  now?: () => Date;
  /** Tests only: migrate no further than this schema version (to build an older database). */
  targetVersion?: number;
  /**
   * The key PIN hashes are made with (staff.ts): the core gives 'pin-pepper' from its secret
   * store. Absent: PINs are hashed without one (tools and tests only).
   */
  pinPepper?: Buffer;
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
    ctx.pinPepper = options.pinPepper ?? null;
    try {
      if (!Buffer.isBuffer(options.auditKey) || options.auditKey.length < audit.AUDIT_KEY_BYTES)
        throw new PosError(
          'VALIDATION',
          `auditKey: expected at least ${audit.AUDIT_KEY_BYTES} random bytes`,
          'auditKey',
        );
      ctx.auditKey = Buffer.from(options.auditKey);
      ctx.tx(() => audit.ensureKeyed(ctx, options.auditKeyIsNew ?? false));
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

  // the manager's catalogue (catalog-edit.ts, catalog-csv.ts)
  listCatalog(request: CatalogListRequest, managedBy: string | null): CatalogList {
    return catalogEdit.listCatalog(this.ctx, request, managedBy);
  }
  catalogProduct(sku: string): CatalogProduct {
    return catalogEdit.catalogProduct(this.ctx, sku);
  }
  saveProduct(draft: ProductDraft): CatalogProduct {
    return catalogEdit.saveProduct(this.ctx, draft);
  }
  previewCatalogImport(csv: string): ImportPreview {
    return catalogCsv.previewCatalogImport(this.ctx, csv);
  }
  applyCatalogImport(csv: string, digest: string): ImportApplied {
    return catalogCsv.applyCatalogImport(this.ctx, csv, digest);
  }
  exportCatalogCsv(): string {
    return catalogCsv.exportCatalogCsv(this.ctx);
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
  /** One of the till's own tenders: cash, card or QR (never face: see payFace). */
  pay(
    saleId: string,
    tender: { method: TillTender; amountFen: number; tenderedFen?: number; reference?: string },
    operatorId: string,
  ): Sale {
    return pay(this.ctx, saleId, tender, operatorId);
  }
  /** Completes a sale of 0 fen (100 % discount, free items) without any payment. */
  completeZero(saleId: string, operatorId: string): Sale {
    return completeZero(this.ctx, saleId, operatorId);
  }
  /** The face payment the cloud signed for (face-debit.ts), with its signature kept. */
  payFace(debit: VerifiedFaceDebit, operatorId: string): Sale {
    return payFace(this.ctx, debit, operatorId);
  }
  /**
   * A payment an acquirer took (a payment code), from the flow's proof only (paid-trade.ts).
   * `recorded: false`: this proof was recorded before (handed out again after a crash).
   */
  payAcquirer(trade: PaidTrade, operatorId: string): { sale: Sale; recorded: boolean } {
    return payAcquirer(this.ctx, trade, operatorId);
  }
  /** The acquirer's trade behind a payment of this sale, if it was taken by an acquirer. */
  acquirerPaymentsOf(saleId: string): AcquirerPayment[] {
    return acquirerPaymentsOf(this.ctx, saleId);
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
    options: RefundOptions = {},
  ): Refund {
    return refund(this.ctx, saleId, lines, reason, operatorId, options);
  }
  /**
   * The refund `refund` would write now, writing nothing: its id (an acquirer's refund is keyed
   * by it) and which payments the money goes back to.
   */
  planRefund(
    saleId: string,
    lines: { lineNo: number; qty: number }[] | undefined,
    reason: string,
  ): RefundPlan {
    return planRefund(this.ctx, saleId, lines, reason);
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
  /** Verifies the audit chain: all of it, or (`incremental`) what came after the last good check. */
  verifyAudit(options: { incremental?: boolean } = {}): AuditVerification {
    return audit.verifyAudit(this.ctx, options);
  }
  /** The same check in slices (step(n) verifies n more rows; null until done): see audit.ts. */
  startAuditCheck(incremental = false): { step(limit: number): AuditVerification | null } {
    return audit.startCheck(this.ctx, incremental);
  }
  /** The chain's last seq and MAC, and the MAC at a seq: what the cloud anchors. */
  auditHead(): { seq: number; mac: string } {
    return audit.auditHead(this.ctx);
  }
  /** The last check's result (JSON as stored by recordAuditCheck) and the last failure reported. */
  auditRecord(): { lastCheck: string | null; reported: string | null } {
    return audit.auditRecord(this.ctx);
  }
  /**
   * Keeps the last check's result; with `failure` (a key naming it), also writes the outbox
   * event `audit.failed` in the same transaction, so each distinct failure reaches the cloud once.
   */
  recordAuditCheck(lastCheck: string, failure?: { key: string; payload: unknown }): boolean {
    return this.ctx.tx(() => {
      const known = audit.auditRecord(this.ctx).reported;
      if (failure === undefined || failure.key === known) {
        audit.recordAuditCheck(this.ctx, lastCheck);
        return false;
      }
      const at = this.ctx.now();
      outbox.appendOutbox(this.ctx, 'audit.failed', failure.payload, at, at.toISOString());
      audit.recordAuditCheck(this.ctx, lastCheck, failure.key);
      return true;
    });
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
  listAllStaff(): StaffMember[] {
    return staff.listAllStaff(this.ctx);
  }
  updateStaff(staffId: string, changes: { name?: string; role?: StaffRole; pin?: string }): Staff {
    return staff.updateStaff(this.ctx, staffId, changes);
  }
  setStaffActive(staffId: string, active: boolean, pin?: string): StaffMember {
    return staff.setStaffActive(this.ctx, staffId, active, pin);
  }
  /** Who still has a demo PIN (each person costs a PIN hash or two: call it now and then). */
  staffOnDemoPins(): StaffRef[] {
    return staff.staffOnDemoPins(this.ctx);
  }
  /**
   * This person's PIN (and one of `roles`, when given); failures count against that person only
   * and lock only them out (staff.ts). `by`: who is signed in at the till.
   */
  verifyStaffPin(
    staffId: string,
    pin: string,
    options?: { roles?: readonly StaffRole[]; by?: string | null },
  ): Staff {
    return staff.verifyStaffPin(this.ctx, staffId, pin, options);
  }
  /** Any active `role`'s PIN (a manager's approval); failures count against the role's bucket. */
  verifyRolePin(role: StaffRole, pin: string, by?: string | null): Staff {
    return staff.verifyRolePin(this.ctx, role, pin, by);
  }
  pinLockedUntil(of: { staffId: string } | { role: StaffRole }): string | null {
    return staff.pinLockedUntil(this.ctx, of);
  }
  /** The newest PIN checks first (who, for whom, outcome, lockout), for the manager. */
  pinAttempts(limit?: number): PinAttempt[] {
    return staff.pinAttempts(this.ctx, limit);
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
  voidCompletedSale(
    saleId: string,
    reason: string,
    operatorId: string,
    options: RefundOptions = {},
  ): Refund {
    return refund(this.ctx, saleId, undefined, reason, operatorId, options);
  }

  /** A sale's refunds, oldest first. */
  refundsOf(saleId: string): Refund[] {
    return refundsOf(this.ctx, saleId);
  }

  /** Registers and their orders (registers.ts; the pairing itself is core's registers.ts). */
  readonly registers = {
    add: (name: string, token: string) =>
      this.ctx.tx(() => regs.addRegister(this.ctx, name, token)),
    list: () => regs.listRegisters(this.ctx),
    get: (id: string) => regs.getRegister(this.ctx, id),
    byToken: (token: string) => regs.registerByToken(this.ctx, token),
    rename: (id: string, name: string) => regs.renameRegister(this.ctx, id, name),
    revoke: (id: string) => regs.revokeRegister(this.ctx, id),
    openOrder: (register: RegisterDevice, input: CreateOrderRequest) =>
      regs.openOrder(this.ctx, register, input),
    orderByNo: (registerId: string, orderNo: string) =>
      regs.orderByNo(this.ctx, registerId, orderNo),
    orderBySale: (saleId: string) => regs.orderBySale(this.ctx, saleId),
    ordersOfDay: (registerId: string, businessDate: string) =>
      regs.ordersOfDay(this.ctx, registerId, businessDate),
    touchOrder: (saleId: string, cancelled = false) =>
      this.ctx.tx(() => regs.touchOrder(this.ctx, saleId, cancelled)),
    refundByNo: (registerId: string, refundNo: string) =>
      regs.refundByNo(this.ctx, registerId, refundNo),
    refundNosOf: (saleId: string) => regs.refundNosOf(this.ctx, saleId),
    recordRefundNo: (
      registerId: string,
      refundNo: string,
      orderNo: string,
      refundId: string,
      request: string,
    ) => regs.recordRefundNo(this.ctx, registerId, refundNo, orderNo, refundId, request),
    /** BUSY when the sale is an open register order (the till may not change it). */
    refuseIfRegisterSale: (saleId: string) => regs.refuseIfRegisterSale(this.ctx, saleId),
  };

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
