/**
 * Every request the renderer may make of main: channel name -> request schema and response
 * schema. Both ends validate: main validates requests on arrival, the client validates
 * responses on arrival. Adding a capability means adding a line here and a handler in core.
 */
import { z } from 'zod';
import {
  amountFen,
  auditStatus,
  businessDate,
  acquirerName,
  dailyReport,
  reconciliation,
  id,
  tillTender,
  product,
  qty,
  refundResult,
  sale,
  saleSummary,
  shift,
  shortText,
  terminalInfo,
  xReport,
  zReport,
} from './domain';
import {
  MAX_IMPORT_PART_CHARS,
  catalogList,
  catalogListRequest,
  catalogProduct,
  importApplied,
  importPreview,
  productDraft,
} from './catalog';
import { displayDevice, displayOverview, pairingCode } from './displays';
import { registerDevice, registerOverview, registerPairingCode } from './register';
import { facePayState, facePayStatus } from './facepay';
import { payByCodeRequest, payCodeResult } from './pay-code';
import { cancelQrRequest, cancelQrResult, showQrRequest, showQrResult } from './qr-pay';
import { peripheralsStatus, printResult } from './peripherals';
import { poleDisplayStatus } from './pole-display';
import { rangeReport, rangeRequest } from './range-report';
import {
  managerSession,
  newPin,
  pin,
  pinAttempt,
  staff,
  staffMember,
  staffRef,
  staffRole,
} from './staff';
import { displayPayment, poster, settings, syncStatus } from './terminal-status';

const nothing = z.object({}).strict();
const saleRef = { saleId: id };
/**
 * A manager's PIN for an action that needs one (refund, void of a paid sale, price override,
 * discount above the limit, Z report). Optional in the schema; the core decides whether the
 * action needs it and answers PIN_REQUIRED when it is missing.
 */
const approval = { managerPin: pin.optional() };

export const channels = {
  'system.info': { request: nothing, response: terminalInfo },

  'catalog.lookup': {
    request: z.object({ barcode: z.string().max(64) }).strict(),
    response: product,
  },
  'catalog.search': {
    request: z
      .object({
        query: z.string().trim().min(1, 'type at least one character').max(64),
        limit: z.number().int().min(1).max(50).optional(),
      })
      .strict(),
    response: z.array(product),
  },

  /** The terminal's active sale (not held), or null. */
  'sale.current': { request: nothing, response: sale.nullable() },
  /** Adds an item to the active sale, opening one if needed. */
  'sale.addItem': {
    request: z
      .object({
        barcode: z.string().max(64).optional(),
        sku: id.optional(),
        qty: qty.default(1),
      })
      .strict()
      .refine((r) => (r.barcode === undefined) !== (r.sku === undefined), {
        message: 'give exactly one of barcode or sku',
        path: ['barcode'],
      }),
    response: sale,
  },
  'sale.setQty': {
    request: z.object({ ...saleRef, lineNo: z.number().int().min(1), qty }).strict(),
    response: sale,
  },
  'sale.removeLine': {
    request: z.object({ ...saleRef, lineNo: z.number().int().min(1) }).strict(),
    response: sale,
  },
  'sale.setLineDiscount': {
    request: z
      .object({
        ...saleRef,
        lineNo: z.number().int().min(1),
        discountFen: amountFen,
        ...approval,
      })
      .strict(),
    response: sale,
  },
  'sale.setSaleDiscount': {
    request: z.object({ ...saleRef, discountFen: amountFen, ...approval }).strict(),
    response: sale,
  },
  'sale.hold': { request: z.object(saleRef).strict(), response: saleSummary },
  'sale.listHeld': { request: nothing, response: z.array(saleSummary) },
  'sale.recall': { request: z.object(saleRef).strict(), response: sale },
  'sale.void': { request: z.object(saleRef).strict(), response: sale },
  /**
   * Record one tender against the sale. Cash may exceed what is due (change is given); other
   * methods may not. The sale completes in the same transaction when it is fully paid.
   */
  'sale.pay': {
    request: z
      .object({
        ...saleRef,
        method: tillTender,
        amountFen: amountFen.refine((v) => v > 0, 'amount must be positive'),
        tenderedFen: amountFen.optional(),
        reference: z.string().max(128).optional(),
      })
      .strict(),
    response: sale,
  },
  /**
   * Pay the sale's due amount with a customer's payment code (付款码, scanned or typed) through
   * the terminal's acquirer. Answers when the acquirer has settled it (paid, refused, unknown);
   * progress arrives as 'paycode.progress' events. NOT_SUPPORTED without an acquirer for the
   * code's wallet; VALIDATION (field code) for a malformed or foreign code.
   */
  'sale.payByCode': { request: payByCodeRequest, response: payCodeResult },
  /**
   * The QR tender: with an acquirer, a QR for the sale's due amount goes up on the customer
   * display and the answer is its state (then 'qr.state' events until paid, expired or
   * cancelled; a paid QR completes the sale). Without one: `recorded` (the till records the QR
   * tender with sale.pay, as before). BUSY while a payment code or face pay runs for the sale.
   */
  'sale.showQr': { request: showQrRequest, response: showQrResult },
  /** Take the sale's QR down (Esc): the trade is cancelled, or kept if the buyer just paid. */
  'sale.cancelQr': { request: cancelQrRequest, response: cancelQrResult },
  /**
   * Complete a sale whose total is 0 fen (a 100 % discount, free items): no payment is
   * recorded. A sale with anything to pay is refused (VALIDATION). Its own channel rather than a
   * 0-fen tender on sale.pay, whose amount stays strictly positive.
   */
  'sale.completeZero': { request: z.object(saleRef).strict(), response: sale },
  'sale.get': {
    request: z
      .object({ saleId: id.optional(), receiptNo: z.string().max(64).optional() })
      .strict()
      .refine((r) => (r.saleId === undefined) !== (r.receiptNo === undefined), {
        message: 'give exactly one of saleId or receiptNo',
        path: ['saleId'],
      }),
    response: sale,
  },

  /** Refund chosen lines (or, with no lines, everything not yet refunded). */
  'refund.create': {
    request: z
      .object({
        ...saleRef,
        lines: z
          .array(z.object({ lineNo: z.number().int().min(1), qty }).strict())
          .max(500)
          .optional(),
        reason: shortText.min(1, 'give a reason'),
        ...approval,
      })
      .strict(),
    response: refundResult,
  },
  /**
   * Void a completed (paid) sale: a full refund of whatever is not yet refunded, to the original
   * methods. Needs a manager's PIN.
   */
  'sale.voidCompleted': {
    request: z
      .object({ ...saleRef, reason: shortText.min(1, 'give a reason'), ...approval })
      .strict(),
    response: refundResult,
  },
  /** Per line of a completed sale: how many were sold and how many are already refunded. */
  'sale.refundable': {
    request: z.object(saleRef).strict(),
    response: z.array(
      z.object({
        lineNo: z.number().int().min(1),
        qty: z.number().int(),
        refundedQty: z.number().int(),
      }),
    ),
  },
  /** Change a cart line's unit price (a manager's PIN is always needed). */
  'sale.overridePrice': {
    request: z
      .object({
        ...saleRef,
        lineNo: z.number().int().min(1),
        unitPriceFen: amountFen,
        ...approval,
      })
      .strict(),
    response: sale,
  },

  'shift.current': { request: nothing, response: shift.nullable() },
  'shift.open': { request: z.object({ floatFen: amountFen }).strict(), response: shift },
  'shift.cash': {
    request: z
      .object({
        kind: z.enum(['in', 'out']),
        amountFen: amountFen.refine((v) => v > 0, 'amount must be positive'),
        reason: shortText.min(1, 'give a reason'),
      })
      .strict(),
    response: shift,
  },
  'shift.close': { request: z.object({ countedFen: amountFen }).strict(), response: shift },

  'report.x': { request: nothing, response: xReport },
  'report.daily': { request: z.object({ businessDate }).strict(), response: dailyReport },
  /** Any period of business days with its comparison (manager only; see range-report.ts). */
  'report.range': { request: rangeRequest, response: rangeReport },
  /** Take the Z report for a business day (default: today). Once per day, then immutable. */
  'report.z': {
    request: z.object({ businessDate: businessDate.optional(), ...approval }).strict(),
    response: zReport,
  },
  /** The shifts opened on a business day, with their cash counts and variances. */
  'report.shifts': { request: z.object({ businessDate }).strict(), response: z.array(shift) },
  /**
   * A day's payments and refunds through one acquirer, the ledger's list set against the
   * acquirer's own (its day bill): matched, on one side only, or amounts that differ.
   */
  'report.reconcile': {
    request: z.object({ businessDate, acquirer: acquirerName }).strict(),
    response: reconciliation,
  },
  'report.zList': { request: nothing, response: z.array(zReport) },
  'report.zGet': {
    request: z.object({ number: z.number().int().min(1) }).strict(),
    response: zReport,
  },

  /** The manager's "check now": verifies the whole chain and answers with the new standing. */
  'ledger.verify': { request: nothing, response: auditStatus },
  /** The audit chain's standing (the banner on every staff screen reads it at load). */
  'ledger.auditStatus': { request: nothing, response: auditStatus },

  'catalog.categories': {
    request: nothing,
    response: z.array(z.object({ category: shortText, count: z.number().int() })),
  },
  'catalog.browse': {
    request: z
      .object({ category: shortText.min(1), limit: z.number().int().min(1).max(200).optional() })
      .strict(),
    response: z.array(product),
  },

  // The manager's catalogue (issue 12; catalog.ts). Writes are refused where a chain's cloud
  // is the catalogue's master (CATALOG_MANAGED_BY_CLOUD: edit it there).
  /** One page of the catalogue: search, category, off-sale products too; who is its master. */
  'catalog.list': { request: catalogListRequest, response: catalogList },
  'catalog.get': { request: z.object({ sku: id }).strict(), response: catalogProduct },
  /** Create (expectedVersion null) or change a product; VERSION_CONFLICT if saved meanwhile. */
  'catalog.save': { request: productDraft, response: catalogProduct },
  /**
   * A CSV import arrives in parts (a whole catalogue is bigger than one message): `first`
   * starts over. Kept for this screen only, in memory, up to MAX_IMPORT_BYTES.
   */
  'catalog.importUpload': {
    request: z.object({ part: z.string().max(MAX_IMPORT_PART_CHARS), first: z.boolean() }).strict(),
    response: z.object({ bytes: z.number().int() }),
  },
  /** What the uploaded CSV would do, row errors included; changes nothing. */
  'catalog.importPreview': { request: nothing, response: importPreview },
  /** Applies the uploaded CSV, all or nothing, if it is the one previewed (`digest`). */
  'catalog.importApply': {
    request: z.object({ digest: z.string().regex(/^[0-9a-f]{64}$/) }).strict(),
    response: importApplied,
  },
  /** The whole catalogue as CSV (UTF-8 with BOM, RFC 4180), to save as a file. */
  'catalog.export': {
    request: nothing,
    response: z.object({ csv: z.string(), fileName: z.string() }),
  },

  /**
   * Sign a person in at the till (cashier or manager): selling, payments, refunds and shifts
   * need someone signed in, and record who it was. One till, one drawer: every staff screen of
   * the terminal sees the same person (a restart signs everyone out). The person is picked
   * first (auth.staff), then their PIN: wrong PINs count against that person only.
   */
  'auth.signIn': {
    request: z.object({ staffId: staff.shape.id, pin }).strict(),
    response: staff,
  },
  /** Who may sign in at the till (active staff: names and roles only), for the sign-in screen. */
  'auth.staff': { request: nothing, response: z.array(staff) },
  /** Sign the till's person out (and end this screen's manager session, if any). */
  'auth.signOut': { request: nothing, response: z.null() },
  'auth.current': { request: nothing, response: staff.nullable() },
  /**
   * Open a manager session for this screen only (this WebSocket connection, this Electron
   * window) with a manager's PIN. The manager's reports need one (MANAGER_REQUIRED without it);
   * it does not change who is signed in at the till.
   */
  'manager.signIn': { request: z.object({ pin }).strict(), response: managerSession },
  'manager.signOut': { request: nothing, response: z.null() },
  /** This screen's manager session, or null (looking does not keep it alive). */
  'manager.current': { request: nothing, response: managerSession.nullable() },
  'staff.list': { request: nothing, response: z.array(staff) },
  /** The newest PIN checks (for whom, by whom, outcome, lockout), newest first. */
  'staff.pinAttempts': {
    request: z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
    response: z.array(pinAttempt),
  },
  /** A manager resets someone's PIN (a manager's PIN at the moment; recorded). */
  'staff.setPin': {
    request: z.object({ staffId: id, pin: newPin, ...approval }).strict(),
    response: staff,
  },
  /** Everyone who ever worked here, disabled people too (their records keep their names). */
  'staff.all': { request: nothing, response: z.array(staffMember) },
  /**
   * The people whose PIN is still the demo one (888888, 1234), for the manager's prompt to
   * change them before the shop trades.
   */
  'staff.demoPins': { request: nothing, response: z.array(staffRef) },
  /** Adds a person with their first PIN. Names are unique (staff.ts says why). */
  'staff.add': {
    request: z
      .object({ name: z.string().max(64), role: staffRole, pin: newPin, ...approval })
      .strict(),
    response: staff,
  },
  /**
   * Renames someone or changes their role. Becoming a manager needs a new PIN with it (a
   * manager's PIN is longer and must be nobody else's); the last manager keeps the role.
   */
  'staff.update': {
    request: z
      .object({
        staffId: id,
        name: z.string().max(64).optional(),
        role: staffRole.optional(),
        pin: newPin.optional(),
        ...approval,
      })
      .strict(),
    response: staff,
  },
  /**
   * Disables (they can no longer sign in; their history stays) or enables someone. The last
   * active manager cannot be disabled; a manager who comes back needs a new PIN (`pin`).
   */
  'staff.setActive': {
    request: z
      .object({ staffId: id, active: z.boolean(), pin: newPin.optional(), ...approval })
      .strict(),
    response: staffMember,
  },
  /**
   * A person changes their own PIN, proving it is them with their current PIN (counted like a
   * sign-in). Only the person signed in at the till, or this screen's manager, may.
   */
  'staff.changeOwnPin': {
    request: z.object({ staffId: id, currentPin: pin, pin: newPin }).strict(),
    response: staff,
  },

  'settings.get': { request: nothing, response: settings },
  /** Change any of the settings (the others stay as they are). */
  'settings.set': {
    request: z
      .object({
        discountLimitBp: settings.shape.discountLimitBp.optional(),
        autoPrintReceipt: settings.shape.autoPrintReceipt.optional(),
        cashierPinDigits: settings.shape.cashierPinDigits.optional(),
        managerPinDigits: settings.shape.managerPinDigits.optional(),
        ...approval,
      })
      .strict()
      .refine(
        (r) =>
          r.discountLimitBp !== undefined ||
          r.autoPrintReceipt !== undefined ||
          r.cashierPinDigits !== undefined ||
          r.managerPinDigits !== undefined,
        {
          message: 'give a setting to change',
          path: ['discountLimitBp'],
        },
      ),
    response: settings,
  },

  /**
   * Print the receipt of a completed sale, by its id or receipt number. The first copy that
   * prints is the original; every later one says 重印 / REPRINT. Answers once the printer has
   * taken it (NO_PRINTER, PRINTER_ERROR otherwise: the sale is untouched, try again).
   */
  'receipt.print': {
    request: z
      .object({ saleId: id.optional(), receiptNo: z.string().min(1).max(64).optional() })
      .strict()
      .refine((r) => (r.saleId === undefined) !== (r.receiptNo === undefined), {
        message: 'give exactly one of saleId or receiptNo',
        path: ['saleId'],
      }),
    response: printResult,
  },
  /**
   * Open the cash drawer outside a sale ("no sale"): always needs a manager's PIN and a reason,
   * and is recorded (who approved it, why). A cash sale opens the drawer by itself.
   */
  'drawer.open': {
    request: z.object({ reason: shortText.trim().min(1, 'give a reason'), ...approval }).strict(),
    response: z.object({ openedAt: z.string().max(40) }),
  },
  /** The receipt printer (and so the drawer): attached or not, busy, the last failure. */
  'peripherals.status': { request: nothing, response: peripheralsStatus },

  /** The register's pole display this terminal reads (--pole-display): lines, amount, offer. */
  'pole.status': { request: nothing, response: poleDisplayStatus },
  /**
   * The cashier confirms the total the register presents: an open sale of that amount, to be
   * paid like any other. `amountFen` is the figure the cashier saw; if the register has moved
   * on, the confirm is refused (VALIDATION), never taken at the new figure.
   */
  'pole.confirm': {
    request: z
      .object({ amountFen: amountFen.refine((fen) => fen > 0, 'a total above ¥0') })
      .strict(),
    response: sale,
  },
  /** The cashier dismisses the register's total: not offered again until its display changes. */
  'pole.dismiss': { request: nothing, response: poleDisplayStatus },

  /** Outbox delivery to the cloud, as the status bar and the manager show it. */
  'sync.status': { request: nothing, response: syncStatus },

  /**
   * Bring up the manager's screen: the Electron shell opens (or focuses) its window. The
   * browser host has no windows of its own (NOT_SUPPORTED): its page opens /manager instead.
   */
  'screen.openManager': { request: nothing, response: z.null() },

  /** The customer display's idle posters. */
  'display.posters': { request: nothing, response: z.array(poster) },
  /** The cashier's payment step, relayed to the customer display as a 'display.payment' event. */
  'display.payment': { request: displayPayment.strict(), response: z.null() },
  /** The paired remote displays, which display is the customer's, the TLS fingerprint. */
  'display.devices': { request: nothing, response: displayOverview },
  /** A new pairing code for a remote display (the previous one stops working). */
  'display.pairingCode': { request: nothing, response: pairingCode },
  /** Unpair a device: its connections are closed at once and its token never works again. */
  'display.revoke': { request: z.object({ deviceId: id }).strict(), response: displayDevice },
  /** Which display is the customer's: 'local' or a paired device's id. */
  'display.setCustomer': {
    request: z.object({ display: id }).strict(),
    response: displayOverview,
  },

  /** The paired registers (register API), and where registers on the LAN reach it. */
  'registers.list': { request: nothing, response: registerOverview },
  /** A new pairing code for a register (the previous one stops working). */
  'registers.pairingCode': { request: nothing, response: registerPairingCode },
  /** Rename a paired register (its orders keep the name they were made under). */
  'registers.rename': {
    request: z.object({ registerId: id, name: z.string().trim().min(1).max(60) }).strict(),
    response: registerDevice,
  },
  /** Unpair a register: its token never works again, its event sockets are closed at once. */
  'registers.revoke': { request: z.object({ registerId: id }).strict(), response: registerDevice },

  /** Whether face pay is offered now, and the current attempt. */
  'facepay.status': { request: nothing, response: facePayStatus },
  /**
   * Start face pay for the sale (cashier's button or the customer's tap). Joins an attempt that
   * is already under way for it. Progress arrives as 'facepay.state' events.
   */
  'facepay.start': { request: z.object(saleRef).strict(), response: facePayState },
  /** Stop the attempt (not once the payment is being authorised). The sale stays open. */
  'facepay.cancel': { request: z.object(saleRef).strict(), response: facePayState },
  /** The customer confirms the amount and the masked name: authorise and record the payment. */
  'facepay.confirm': { request: z.object(saleRef).strict(), response: facePayState },
  /** After an ambiguous match: the last 4 digits of the customer's phone number. */
  'facepay.phoneTail': {
    request: z
      .object({ ...saleRef, digits: z.string().regex(/^\d{4}$/, 'expected 4 digits') })
      .strict(),
    response: facePayState,
  },
  /** After paying by face: join the shop's membership (consent true) or decline the offer. */
  'facepay.joinMembership': {
    request: z.object({ ...saleRef, consent: z.boolean() }).strict(),
    response: facePayState,
  },
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
/** What a caller passes (defaults not yet applied). */
export type RequestInput<C extends Channel> = z.input<Channels[C]['request']>;
/** What a handler receives (validated, defaults applied). */
export type Request<C extends Channel> = z.output<Channels[C]['request']>;
export type Response<C extends Channel> = z.output<Channels[C]['response']>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}
