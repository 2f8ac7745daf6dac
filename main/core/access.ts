/**
 * Who may use which channel, decided by the core for every request whatever the transport.
 *
 * Callers. A transport opens one caller per connection (a WebSocket of the browser host) or per
 * window (Electron's webContents) and says what it is:
 * - 'customer': the customer display. The host makes every connection from off the machine a
 *   customer one (a paired remote display), and any page that says it is the customer display;
 *   Electron, its customer window. A customer caller may only follow the cart and pay by face
 *   (CUSTOMER_CHANNELS) and hears only the events the display shows (CUSTOMER_EVENTS): it can
 *   never act as the cashier or the manager, whoever is signed in at the till.
 * - 'staff': the cashier's and the manager's screens on the terminal itself (the browser host
 *   gives this kind only to connections that present its per-launch staff secret).
 *
 * A customer caller also says which display it is ('local', or a paired remote device's id).
 * Only the display the till says is the customer's (displays.ts; 'local' unless the manager
 * picks a paired device) may take the face-pay steps (CUSTOMER_PAY_CHANNELS); any other
 * customer display only follows the cart.
 *
 * What a staff caller needs, per channel (RULES):
 * - 'open': nothing. The terminal's own state the screens show before anyone signs in: shop
 *   info, the catalogue (price checks), the active cart, whether a shift is open, sync status,
 *   the discount limit, posters, face pay's availability, signing in.
 * - 'operator': someone signed in at the till (SIGN_IN_REQUIRED): every sale edit, payments,
 *   holds, voids, refunds (which also need a manager's PIN), shift operations, the cash
 *   drawer, the Z report (also a manager's PIN), and what a cashier reads to do the job: the
 *   X report of the till's current shift, a receipt looked up by number (reprint, refund), the
 *   refundable lines, the held sales.
 * - 'manager': a manager session on this very caller (MANAGER_REQUIRED; see
 *   manager-sessions.ts): the daily report, the day's shifts, the Z history and reprints, the
 *   audit check, the staff list, and the manager's writes (settings, PINs), which still ask for
 *   a manager's PIN at the moment of the action and record who gave it.
 *
 * - 'signedIn': someone signed in at the till, or a manager session on this caller
 *   (SIGN_IN_REQUIRED): what a person does for themselves wherever they are signed in (changing
 *   their own PIN; the handler checks it is them).
 *
 * The till's sign-in is terminal-wide (one till, one drawer, one person at it); a manager
 * session belongs to one caller and is never shared, so the cashier's screen does not read the
 * reports because a manager unlocked the manager's window.
 */
import type { Channel, EventName } from '../contract';

export const CALLER_KINDS = ['staff', 'customer'] as const;
export type CallerKind = (typeof CALLER_KINDS)[number];

/** One connection or window, as the core knows it. Made by PosCore.openCaller. */
export interface Caller {
  readonly id: string;
  readonly kind: CallerKind;
  /** For a customer caller: which display ('local' or a paired device's id). */
  readonly display?: string;
}

export type Requirement = 'open' | 'operator' | 'manager' | 'signedIn';

export const RULES: { readonly [C in Channel]: Requirement } = {
  'system.info': 'open',
  'catalog.lookup': 'open',
  'catalog.search': 'open',
  'catalog.categories': 'open',
  'catalog.browse': 'open',
  // The manager's catalogue: reading it whole (off-sale products, versions) and every write.
  'catalog.list': 'manager',
  'catalog.get': 'manager',
  'catalog.save': 'manager',
  'catalog.importUpload': 'manager',
  'catalog.importPreview': 'manager',
  'catalog.importApply': 'manager',
  'catalog.export': 'manager',

  'sale.current': 'open',
  'sale.addItem': 'operator',
  'sale.setQty': 'operator',
  'sale.removeLine': 'operator',
  'sale.setLineDiscount': 'operator',
  'sale.setSaleDiscount': 'operator',
  'sale.overridePrice': 'operator',
  'sale.hold': 'operator',
  'sale.listHeld': 'operator',
  'sale.recall': 'operator',
  'sale.void': 'operator',
  'sale.pay': 'operator',
  'sale.payByCode': 'operator',
  'sale.showQr': 'operator',
  'sale.cancelQr': 'operator',
  'sale.completeZero': 'operator',
  'sale.get': 'operator',
  'sale.refundable': 'operator',
  'sale.voidCompleted': 'operator',
  'refund.create': 'operator',

  'shift.current': 'open',
  'shift.open': 'operator',
  'shift.cash': 'operator',
  'shift.close': 'operator',

  'report.x': 'operator',
  'report.z': 'operator',
  'report.daily': 'manager',
  'report.range': 'manager',
  'report.shifts': 'manager',
  'report.zList': 'manager',
  'report.reconcile': 'manager',
  'report.zGet': 'manager',
  'ledger.verify': 'manager',
  // Open: the cashier's screen shows a failed audit check as a banner before anyone signs in.
  'ledger.auditStatus': 'open',

  'auth.signIn': 'open',
  'auth.signOut': 'open',
  'auth.current': 'open',
  'auth.staff': 'open',
  'manager.signIn': 'open',
  'manager.signOut': 'open',
  'manager.current': 'open',
  'staff.list': 'manager',
  'staff.setPin': 'manager',
  'staff.pinAttempts': 'manager',
  'staff.all': 'manager',
  'staff.demoPins': 'manager',
  'staff.add': 'manager',
  'staff.update': 'manager',
  'staff.setActive': 'manager',
  'staff.changeOwnPin': 'signedIn',

  'settings.get': 'open',
  'settings.set': 'manager',
  'sync.status': 'open',

  // The printer's state is on the status bar before anyone signs in; printing a receipt (or a
  // reprint) and opening the drawer without a sale (which also needs a manager's PIN) are the
  // till's work.
  'peripherals.status': 'open',
  'receipt.print': 'operator',
  'drawer.open': 'operator',
  // The register's display is on the customer display anyway; taking its total is the till's.
  'pole.status': 'open',
  'pole.confirm': 'operator',
  'pole.dismiss': 'operator',

  'screen.openManager': 'open',
  'display.posters': 'open',
  'display.payment': 'operator',
  'display.devices': 'manager',
  'display.pairingCode': 'manager',
  'display.revoke': 'manager',
  'display.setCustomer': 'manager',
  'registers.list': 'manager',
  'registers.pairingCode': 'manager',
  'registers.rename': 'manager',
  'registers.revoke': 'manager',

  'facepay.status': 'open',
  // A face payment is recorded for the person signed in at the till when it starts.
  'facepay.start': 'operator',
  'facepay.cancel': 'open',
  'facepay.confirm': 'open',
  'facepay.phoneTail': 'open',
  'facepay.joinMembership': 'open',
};

/**
 * All a customer display may ask: what it shows (shop, cart, posters, face pay's state) and the
 * customer's own steps of face pay (start by a tap, cancel, confirm, phone digits, membership).
 * The rules above still apply: starting face pay needs someone signed in at the till.
 */
export const CUSTOMER_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'system.info',
  'sale.current',
  'display.posters',
  'pole.status',
  'facepay.status',
  'facepay.start',
  'facepay.cancel',
  'facepay.confirm',
  'facepay.phoneTail',
  'facepay.joinMembership',
]);

/** What only the customer's display (of the customer callers) may do: face pay's steps. */
export const CUSTOMER_PAY_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'facepay.start',
  'facepay.cancel',
  'facepay.confirm',
  'facepay.phoneTail',
  'facepay.joinMembership',
]);

/**
 * The payer's own word: only the customer's display may say it, never a staff screen (a
 * cashier must not confirm a face payment, or pick the payer by phone digits, for the customer).
 */
export const PAYER_ONLY_CHANNELS: ReadonlySet<Channel> = new Set<Channel>([
  'facepay.confirm',
  'facepay.phoneTail',
  'facepay.joinMembership',
]);

/**
 * The events a customer display hears: the cart, the payment step, face pay. Not the drawer
 * (shift.changed carries the cash figures), not who is signed in, not the sync queue.
 */
export const CUSTOMER_EVENTS: ReadonlySet<EventName> = new Set<EventName>([
  'sale.changed',
  'sale.completed',
  'display.payment',
  'pole.display',
  'facepay.state',
  'facepay.preview',
  'facepay.availability',
  'qr.state',
]);

/** Camera previews are for the customer display only (the face it is looking at). */
const STAFF_HIDDEN_EVENTS: ReadonlySet<EventName> = new Set<EventName>(['facepay.preview']);

/** Whether a transport should pass this event to a caller of this kind. */
export function eventVisibleTo(kind: CallerKind, name: EventName): boolean {
  return kind === 'customer' ? CUSTOMER_EVENTS.has(name) : !STAFF_HIDDEN_EVENTS.has(name);
}
