/**
 * One handler per contract channel. Handlers receive validated payloads and the call's context
 * (who is asking, who is signed in at the till, this caller's manager) and return plain values
 * that satisfy the channel's response schema; they throw PosError for anything the caller can
 * act on. Which channels change the active sale or the shift is declared here too, so the
 * dispatcher knows which events to emit.
 *
 * Who may call what is decided before a handler runs (access.ts): a handler of an 'operator'
 * channel always has an operator, one of a 'manager' channel a manager. Money rows record the
 * operator (the person signed in at the till).
 *
 * Manager approvals are enforced here, at the moment of the action: a refund, the void of a
 * paid sale, a price override, a discount above the shop's limit, the Z report and settings
 * changes need `managerPin` (PIN_REQUIRED without it, PIN_WRONG / PIN_LOCKED from the ledger's
 * PIN check), and the action is written together with who approved it.
 *
 * Handlers are synchronous (better-sqlite3 is), except those that wait for a device (printing a
 * receipt and opening the drawer answer once the printer has taken the job) and refunds (the void
 * of a paid sale too), which answer once the ledger has written them and their face-pay wallet
 * credits have been sent, or the short wait for the cloud is over (wallet-credits.ts).
 */
import {
  PosError,
  type ApprovalAction,
  type Channel,
  type Poster,
  type Refund,
  type RefundResult,
  type Request,
  type Response,
  type Staff,
  type TerminalInfo,
} from '../contract';
import type { AuditStatus } from '../contract';
import type { Ledger, RefundOptions } from '../ledger';
import type { AuditMonitor } from './audit-monitor';
import { operatorId, type CallContext } from './call';
import { CatalogUploads, catalogHandlers, type CatalogServices } from './catalog';
import { facePayHandlers, type FacePayService } from './payments/face';
import type { PoleDisplayService, PrintService } from './peripherals';
import type { PayCodeService } from './paycode';
import type { QrService } from './qr';
import { DisplayRegistry } from './displays';
import type { RegisterService } from './registers';
import { silentLogger } from './logger';
import { ManagerSessions } from './manager-sessions';
import { TerminalState } from './terminal-state';
import type { WalletCredits } from './payments/face/wallet-credits';

/**
 * What the Electron shell does for the contract (the core knows no windows). The browser host
 * attaches none: its pages open their own URLs.
 */
export interface TerminalShell {
  /** Open the manager's window, or bring it to the front. */
  openManager(): void;
}

export type Handler<C extends Channel> = (
  payload: Request<C>,
  call: CallContext,
) => Response<C> | Promise<Response<C>>;
export type Handlers = { [C in Channel]: Handler<C> };

export interface HandlerServices {
  state: TerminalState;
  posters: () => Poster[];
  /** Face pay (absent: its channels answer "not available"). */
  facePay?: FacePayService;
  /** The receipt printer and drawer (absent: no printer, ever). */
  printing?: PrintService;
  /** Sends refunds' wallet credits to the cloud (absent: they wait for the sync worker). */
  walletCredits?: WalletCredits;
  /** Payment codes through the acquirer (absent: "no acquirer is configured"). */
  payCode?: PayCodeService;
  qr?: QrService;
  /** The register's pole display (absent: none is read, nothing is offered). */
  poleDisplay?: PoleDisplayService;
  /** Manager sessions, per caller. */
  sessions?: ManagerSessions;
  /** The Electron shell, once it has attached itself. */
  shell?: () => TerminalShell | null;
  /** Remote displays: pairing, the list, which display is the customer's. */
  displays?: DisplayRegistry;
  /** The register API's pairing and tokens (absent: its channels answer NOT_SUPPORTED). */
  registers?: RegisterService;
  /** The audit chain's watch (absent: "check now" verifies on the spot, nothing is kept). */
  audit?: AuditMonitor;
  /** The catalogue's master and CSV uploads (absent: no cloud, uploads of its own). */
  catalog?: CatalogServices;
}

function uncheckedStatus(ledger: Ledger): AuditStatus {
  return {
    ...ledger.verifyAudit(),
    checkedAt: new Date().toISOString(),
    scope: 'full',
    running: false,
  };
}

function registersOf(services: HandlerServices): RegisterService {
  if (services.registers === undefined)
    throw new PosError('NOT_SUPPORTED', 'the register API is not available here');
  return services.registers;
}

/** A discount above `limitBp` of `baseFen` needs a manager (integer arithmetic, fen). */
export function discountNeedsApproval(discountFen: number, baseFen: number, limitBp: number) {
  return discountFen * 10_000 > baseFen * limitBp;
}

export function createHandlers(
  ledger: Ledger,
  info: TerminalInfo,
  services: HandlerServices = { state: new TerminalState(ledger), posters: () => [] },
): Handlers {
  const { state } = services;
  const sessions = services.sessions ?? new ManagerSessions();
  const displays = services.displays ?? new DisplayRegistry(ledger, Date.now, silentLogger);

  const poleStatus = () =>
    services.poleDisplay?.status() ?? {
      connection: 'off' as const,
      lines: ['', ''] as [string, string],
      amount: null,
      payableFen: null,
    };

  /** The refund as the cashier sees it, its wallet credits sent first when they can be. */
  function withCredits(refund: Refund): RefundResult | Promise<RefundResult> {
    if (services.walletCredits !== undefined) return services.walletCredits.deliver(refund);
    return { ...refund, walletCredits: ledger.walletCreditsOf(refund.id) };
  }

  /**
   * A refund (or the void of a paid sale), approved already: a sale paid by a payment code gets
   * its money back through the acquirer first and the refund is recorded only once the acquirer
   * said so (payCode.refundFirst); any other sale is recorded at once, in the same turn.
   */
  function refundThroughAcquirer(
    saleId: string,
    lines: { lineNo: number; qty: number }[] | undefined,
    reason: string,
    record: (options: RefundOptions) => Refund,
  ): RefundResult | Promise<RefundResult> {
    const payCode = services.payCode;
    if (payCode === undefined || ledger.acquirerPaymentsOf(saleId).length === 0)
      return withCredits(record({}));
    // One at a time: a second refund planned while the first waits for the acquirer would
    // count the same money twice.
    return payCode.exclusive(async () => {
      const plan = ledger.planRefund(saleId, lines, reason);
      const acquirerRefunds = await payCode.refundFirst(saleId, plan);
      return withCredits(record({ id: plan.id, acquirerRefunds }));
    });
  }

  /**
   * The manager whose PIN this is, or the refusal that says why not. "Any manager's PIN": wrong
   * ones count against the managers' bucket, which only a manager's correct PIN resets (staff.ts).
   */
  function manager(
    managerPin: string | undefined,
    action: ApprovalAction,
    call: CallContext,
  ): Staff {
    if (managerPin === undefined)
      throw new PosError('PIN_REQUIRED', `${action} needs a manager's PIN`, 'managerPin');
    try {
      return ledger.verifyRolePin('manager', managerPin, call.operator?.id ?? null);
    } catch (error) {
      if (PosError.is(error) && error.field === 'pin')
        throw new PosError(error.code, error.message, 'managerPin');
      throw error;
    }
  }

  /**
   * After a change to someone's record: the till's sign-in and any manager session of theirs
   * follow it (a disabled person is signed out at once; a demoted manager's sessions end).
   */
  function staffChanged(person: Staff, active: boolean): void {
    if (state.operator?.id === person.id) state.operator = active ? person : null;
    sessions.staffChanged(person, active && person.role === 'manager');
  }

  const face = facePayHandlers(services.facePay);
  return {
    'system.info': () => info,

    'catalog.lookup': ({ barcode }) => ledger.lookupBarcode(barcode),
    'catalog.search': ({ query, limit }) => ledger.searchProducts(query, limit ?? 20),
    'catalog.categories': () => ledger.categories(),
    'catalog.browse': ({ category, limit }) => ledger.browseCategory(category, limit ?? 100),

    'sale.current': () => ledger.currentSale(),
    'sale.addItem': (r) => ledger.addItem(r),
    'sale.setQty': (r) => ledger.setQty(r.saleId, r.lineNo, r.qty),
    'sale.removeLine': (r) => ledger.removeLine(r.saleId, r.lineNo),
    'sale.setLineDiscount': (r, call) => {
      const line = ledger.getSale(r.saleId).lines.find((l) => l.lineNo === r.lineNo);
      const limit = ledger.settings().discountLimitBp;
      if (line === undefined || !discountNeedsApproval(r.discountFen, line.grossFen, limit))
        return ledger.setLineDiscount(r.saleId, r.lineNo, r.discountFen);
      const approver = manager(r.managerPin, 'discount.line', call);
      return ledger.withApproval(
        approver,
        'discount.line',
        () => ledger.setLineDiscount(r.saleId, r.lineNo, r.discountFen),
        () => ({
          ref: `${r.saleId}/${r.lineNo}`,
          details: { discountFen: r.discountFen, grossFen: line.grossFen, limitBp: limit },
        }),
      );
    },
    'sale.setSaleDiscount': (r, call) => {
      const sale = ledger.getSale(r.saleId);
      const base = sale.subtotalFen - sale.lineDiscountFen;
      const limit = ledger.settings().discountLimitBp;
      if (!discountNeedsApproval(r.discountFen, base, limit))
        return ledger.setSaleDiscount(r.saleId, r.discountFen);
      const approver = manager(r.managerPin, 'discount.sale', call);
      return ledger.withApproval(
        approver,
        'discount.sale',
        () => ledger.setSaleDiscount(r.saleId, r.discountFen),
        () => ({
          ref: r.saleId,
          details: { discountFen: r.discountFen, baseFen: base, limitBp: limit },
        }),
      );
    },
    'sale.overridePrice': (r, call) => {
      const approver = manager(r.managerPin, 'price.override', call);
      return ledger.withApproval(
        approver,
        'price.override',
        () => ledger.overridePrice(r.saleId, r.lineNo, r.unitPriceFen),
        ({ fromFen }) => ({
          ref: `${r.saleId}/${r.lineNo}`,
          details: { fromFen, toFen: r.unitPriceFen },
        }),
      ).sale;
    },
    'sale.hold': (r) => ledger.hold(r.saleId),
    'sale.listHeld': () => ledger.listHeld(),
    'sale.recall': (r) => ledger.recall(r.saleId),
    'sale.void': (r, call) => {
      ledger.registers.refuseIfRegisterSale(r.saleId, 'settle');
      return ledger.voidSale(r.saleId, operatorId(call));
    },
    'sale.voidCompleted': (r, call) => {
      const approver = manager(r.managerPin, 'sale.voidCompleted', call);
      return refundThroughAcquirer(r.saleId, undefined, r.reason, (options) =>
        ledger.withApproval(
          approver,
          'sale.voidCompleted',
          () => ledger.voidCompletedSale(r.saleId, r.reason, operatorId(call), options),
          (done) => ({
            ref: done.id,
            details: { saleId: r.saleId, amountFen: done.amountFen },
          }),
        ),
      );
    },
    'sale.pay': ({ saleId, ...tender }, call) => {
      // A register's order is paid at the register (or by face on the customer display); the
      // pole display's, at the till.
      ledger.registers.refuseIfRegisterSale(saleId, 'settle');
      return ledger.pay(saleId, tender, operatorId(call));
    },
    'sale.payByCode': ({ saleId, code }, call) => {
      if (services.payCode === undefined)
        throw new PosError('NOT_SUPPORTED', 'No acquirer is configured for payment codes.', 'code');
      // A register's order is paid at the register, like sale.pay.
      ledger.registers.refuseIfRegisterSale(saleId, 'settle');
      return services.payCode.pay(saleId, code, operatorId(call));
    },
    'sale.showQr': ({ saleId }, call) => {
      // Without an acquirer the QR tender stays a recorded one (the till uses sale.pay).
      if (services.qr === undefined) return { mode: 'recorded' as const };
      // A register's order is paid at the register, like sale.pay.
      ledger.registers.refuseIfRegisterSale(saleId);
      return services.qr.show(saleId, operatorId(call));
    },
    'sale.cancelQr': async ({ saleId }) => ({
      qr: services.qr === undefined ? null : await services.qr.cancel(saleId),
    }),
    'sale.completeZero': (r, call) => ledger.completeZero(r.saleId, operatorId(call)),
    'sale.get': (r) =>
      r.saleId !== undefined
        ? ledger.getSale(r.saleId)
        : ledger.getSaleByReceipt(r.receiptNo ?? ''),
    'sale.refundable': (r) => ledger.refundableLines(r.saleId),

    'refund.create': (r, call) => {
      const approver = manager(r.managerPin, 'refund', call);
      return refundThroughAcquirer(r.saleId, r.lines, r.reason, (options) =>
        ledger.withApproval(
          approver,
          'refund',
          () => ledger.refund(r.saleId, r.lines, r.reason, operatorId(call), options),
          (done) => ({
            ref: done.id,
            details: { saleId: r.saleId, amountFen: done.amountFen },
          }),
        ),
      );
    },

    'shift.current': () => ledger.currentShift(),
    'shift.open': (r, call) => ledger.openShift(r.floatFen, operatorId(call)),
    'shift.cash': (r, call) => ledger.cashMovement(r.kind, r.amountFen, r.reason, operatorId(call)),
    'shift.close': (r, call) => ledger.closeShift(r.countedFen, operatorId(call)),

    'report.x': () => ledger.xReport(),
    'report.daily': (r) => ledger.dailyReport(r.businessDate),
    'report.range': (r) => ledger.rangeReport(r),
    'report.z': (r, call) => {
      const approver = manager(r.managerPin, 'report.z', call);
      return ledger.withApproval(
        approver,
        'report.z',
        () => ledger.takeZReport(r.businessDate),
        (z) => ({ ref: String(z.number), details: { businessDate: z.businessDate } }),
      );
    },
    'report.reconcile': (r) => {
      if (services.payCode === undefined)
        throw new PosError('NOT_SUPPORTED', 'No acquirer is configured.', 'acquirer');
      return services.payCode.reconcile(r.acquirer, r.businessDate);
    },
    'report.zList': () => ledger.listZReports(),
    'report.zGet': (r) => ledger.getZReport(r.number),
    'report.shifts': (r) => ledger.shiftsOfDate(r.businessDate),

    'ledger.verify': () => services.audit?.checkFull() ?? uncheckedStatus(ledger),
    'ledger.auditStatus': () => services.audit?.current() ?? uncheckedStatus(ledger),

    'auth.signIn': ({ staffId, pin }, call) => {
      state.operator = ledger.verifyStaffPin(staffId, pin, { by: call.operator?.id ?? null });
      return state.operator;
    },
    'auth.staff': () => ledger.listStaff(),
    'auth.signOut': (_r, call) => {
      state.operator = null;
      // Whoever leaves the till leaves this screen's manager session too.
      sessions.end(call.caller.id);
      return null;
    },
    'auth.current': () => state.operator,
    'manager.signIn': ({ pin }, call) =>
      sessions.open(
        call.caller.id,
        ledger.verifyRolePin('manager', pin, call.operator?.id ?? null),
      ),
    'manager.signOut': (_r, call) => {
      sessions.end(call.caller.id);
      return null;
    },
    'manager.current': (_r, call) => sessions.peek(call.caller.id),
    'staff.list': () => ledger.listStaff(),
    'staff.pinAttempts': (r) => ledger.pinAttempts(r.limit ?? 100),
    'staff.setPin': (r, call) => {
      const approver = manager(r.managerPin, 'staff.setPin', call);
      return ledger.withApproval(
        approver,
        'staff.setPin',
        () => ledger.setStaffPin(r.staffId, r.pin),
        (s) => ({ ref: s.id }),
      );
    },

    'staff.all': () => ledger.listAllStaff(),
    'staff.demoPins': () => ledger.staffOnDemoPins(),
    'staff.add': (r, call) => {
      const approver = manager(r.managerPin, 'staff.add', call);
      return ledger.withApproval(
        approver,
        'staff.add',
        () => ledger.addStaff({ name: r.name, role: r.role, pin: r.pin }),
        (s) => ({ ref: s.id, details: { name: s.name, role: s.role } }),
      );
    },
    'staff.update': (r, call) => {
      const approver = manager(r.managerPin, 'staff.update', call);
      const { staffId, name, role, pin } = r;
      const updated = ledger.withApproval(
        approver,
        'staff.update',
        () => ledger.updateStaff(staffId, { name, role, pin }),
        // Never the PIN itself: only that it was changed.
        (s) => ({ ref: s.id, details: { name: s.name, role: s.role, newPin: pin !== undefined } }),
      );
      staffChanged(updated, true);
      return updated;
    },
    'staff.setActive': (r, call) => {
      const action = r.active ? 'staff.enable' : 'staff.disable';
      const approver = manager(r.managerPin, action, call);
      const member = ledger.withApproval(
        approver,
        action,
        () => ledger.setStaffActive(r.staffId, r.active, r.pin),
        (s) => ({ ref: s.id, details: { name: s.name, role: s.role } }),
      );
      staffChanged({ id: member.id, name: member.name, role: member.role }, member.active);
      return member;
    },
    'staff.changeOwnPin': (r, call) => {
      if (r.staffId !== call.operator?.id && r.staffId !== call.manager?.id)
        throw new PosError(
          'FORBIDDEN',
          'staffId: only the person signed in here may change their own PIN',
          'staffId',
        );
      let me: Staff;
      try {
        me = ledger.verifyStaffPin(r.staffId, r.currentPin, { by: call.operator?.id ?? null });
      } catch (error) {
        if (PosError.is(error) && error.field === 'pin')
          throw new PosError(error.code, error.message, 'currentPin');
        throw error;
      }
      return ledger.withApproval(
        me,
        'staff.changeOwnPin',
        () => ledger.setStaffPin(me.id, r.pin),
        (s) => ({ ref: s.id }),
      );
    },

    'settings.get': () => ledger.settings(),
    'settings.set': (r, call) => {
      const approver = manager(r.managerPin, 'settings.set', call);
      const { managerPin: _pin, ...changes } = r;
      return ledger.withApproval(
        approver,
        'settings.set',
        () => ledger.setSettings(changes),
        (s) => ({ ref: 'settings', details: s }),
      );
    },

    'receipt.print': (r) => {
      if (services.printing === undefined)
        throw new PosError('NO_PRINTER', 'no receipt printer is attached');
      return services.printing.print(r);
    },
    'drawer.open': async (r, call) => {
      const approver = manager(r.managerPin, 'drawer.open', call);
      const printing = services.printing;
      if (printing === undefined || !printing.attached())
        throw new PosError('NO_PRINTER', 'no receipt printer (so no cash drawer) is attached');
      // Recorded before the drawer opens: an opening with no record is what an audit must never
      // find. If the kick then fails, the record shows an approved attempt and the caller an error.
      ledger.withApproval(
        approver,
        'drawer.open',
        () => null,
        () => ({ ref: 'no-sale', details: { reason: r.reason } }),
      );
      await printing.openDrawer();
      return { openedAt: new Date().toISOString() };
    },
    'peripherals.status': () => {
      if (services.printing !== undefined) return services.printing.status();
      return {
        printer: { state: 'absent', connection: null, name: null, columns: 48 },
        lastError: null,
        autoPrint: ledger.settings().autoPrintReceipt,
      };
    },

    'sync.status': () => state.syncStatus(),

    'screen.openManager': () => {
      const shell = services.shell?.() ?? null;
      if (shell === null)
        throw new PosError(
          'NOT_SUPPORTED',
          'this terminal has no manager window to open: open /manager in the browser',
        );
      shell.openManager();
      return null;
    },

    'pole.status': () => poleStatus(),
    'pole.confirm': (r, call) => {
      if (!services.poleDisplay)
        throw new PosError('NOT_FOUND', 'no pole display is read (--pole-display)');
      return services.poleDisplay.confirm(r.amountFen, operatorId(call));
    },
    'pole.dismiss': () => {
      services.poleDisplay?.dismiss();
      return poleStatus();
    },

    'display.posters': () => services.posters(),
    'display.payment': () => null,
    'display.devices': () => displays.overview(),
    'display.pairingCode': () => displays.newPairingCode(),
    'display.revoke': (r) => displays.revoke(r.deviceId),
    'display.setCustomer': (r) => displays.setCustomerDisplay(r.display),
    'registers.list': () => registersOf(services).overview(),
    'registers.pairingCode': () => registersOf(services).newPairingCode(),
    'registers.rename': (r) => registersOf(services).rename(r.registerId, r.name),
    'registers.revoke': (r) => registersOf(services).revoke(r.registerId),

    ...face,
    'facepay.start': (r, call) => {
      // One payment flow per sale: not while its QR is on the customer display.
      services.qr?.refuseIfLive(r.saleId);
      return face['facepay.start'](r, call);
    },
    ...catalogHandlers(
      ledger,
      services.catalog ?? { managedBy: () => null, uploads: new CatalogUploads() },
    ),
  };
}

/** Channels after which the active sale may have changed (the customer display follows it). */
export const SALE_CHANGING: ReadonlySet<Channel> = new Set<Channel>([
  'sale.addItem',
  'sale.setQty',
  'sale.removeLine',
  'sale.setLineDiscount',
  'sale.setSaleDiscount',
  'sale.overridePrice',
  'sale.hold',
  'sale.recall',
  'sale.void',
  'sale.pay',
  'sale.completeZero',
  'pole.confirm',
]);

export const SHIFT_CHANGING: ReadonlySet<Channel> = new Set<Channel>([
  'shift.open',
  'shift.cash',
  'shift.close',
  'sale.pay',
  'sale.completeZero',
  'refund.create',
  'sale.voidCompleted',
]);

/** Channels that may write outbox events (the sync status's pending count changes). */
export const OUTBOX_WRITING: ReadonlySet<Channel> = new Set<Channel>([
  'sale.pay',
  'sale.completeZero',
  'sale.setLineDiscount',
  'sale.setSaleDiscount',
  'sale.overridePrice',
  'sale.voidCompleted',
  'refund.create',
  'shift.open',
  'shift.cash',
  'shift.close',
  'report.z',
  'staff.setPin',
  'staff.add',
  'staff.update',
  'staff.setActive',
  'staff.changeOwnPin',
  'settings.set',
  'drawer.open',
]);

export const AUTH_CHANGING: ReadonlySet<Channel> = new Set<Channel>([
  'auth.signIn',
  'auth.signOut',
  // Disabling, renaming or demoting the person at the till changes (or ends) their sign-in.
  'staff.update',
  'staff.setActive',
]);
