/**
 * People who work the till. A PIN identifies a person; PINs are stored hashed in the ledger and
 * never cross the contract except inside the request that needs them checked.
 */
import { z } from 'zod';

export const STAFF_ROLES = ['cashier', 'manager'] as const;
export const staffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof staffRole>;

/** 4 to 8 digits (a manager's at least MIN_PIN_DIGITS.manager: the ledger checks on setting). */
export const pin = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');

/**
 * A PIN anyone would try first: one digit repeated (1111, 888888) or a run up or down (1234,
 * 987654). The demo PINs are both kinds, so a PIN chosen at the till can never be one of them.
 */
export function isGuessablePin(value: string): boolean {
  if (/^(\d)\1*$/.test(value)) return true;
  const steps = new Set<number>();
  for (let i = 1; i < value.length; i++)
    steps.add((value.charCodeAt(i) - value.charCodeAt(i - 1) + 10) % 10);
  return steps.size === 1 && (steps.has(1) || steps.has(9));
}

/**
 * A PIN someone chooses (a new person's, a reset, one's own change): a PIN, and not a guessable
 * one. The ledger adds the length each role needs (the shop's setting).
 */
export const newPin = pin.refine((value) => !isGuessablePin(value), {
  message: 'a PIN may not be one digit repeated or a run like 1234',
});

/**
 * The fewest digits a PIN of each role may have. A manager's PIN approves refunds and opens the
 * drawer, so it gets a million candidates instead of ten thousand: with the per-person lockout
 * (5 tries, then a wait doubling to 5 minutes) that is years of guessing at the till.
 */
export const MIN_PIN_DIGITS: Readonly<Record<StaffRole, number>> = { cashier: 4, manager: 6 };

export const staff = z.object({
  id: z.string().min(1).max(64),
  name: z.string().max(64),
  role: staffRole,
});
export type Staff = z.infer<typeof staff>;

/** A person as the manager's staff list shows them: disabled people stay, with their history. */
export const staffMember = staff.extend({ active: z.boolean() });
export type StaffMember = z.infer<typeof staffMember>;

/** Who did something, as records and reports show it (the role may have changed since). */
export const staffRef = z.object({ id: staff.shape.id, name: staff.shape.name });
export type StaffRef = z.infer<typeof staffRef>;

/**
 * A manager's session on one screen (one WebSocket connection, one Electron window): opened by a
 * manager's PIN, ended by signing out, by closing the screen, or after this long without a
 * manager-only request. The manager's screen locks itself after the same time without input.
 */
export const MANAGER_IDLE_MS = 10 * 60_000;

export const managerSession = z.object({
  manager: staff,
  /** How long the session lasts without use. */
  idleMs: z.number().int().min(1),
  /** When it ends unless used again before. */
  expiresAt: z.string().max(40),
});
export type ManagerSession = z.infer<typeof managerSession>;

/**
 * Actions that need a manager's PIN at the moment they are taken (the core checks it, not only
 * the screen). Each use is recorded with who approved it.
 */
export const APPROVAL_ACTIONS = [
  'refund',
  'sale.voidCompleted',
  'price.override',
  'discount.line',
  'discount.sale',
  'report.z',
  'settings.set',
  'staff.setPin',
  'staff.add',
  'staff.update',
  'staff.disable',
  'staff.enable',
  /** A person changing their own PIN: "approved" by their current PIN, recorded as theirs. */
  'staff.changeOwnPin',
  /** Opening the cash drawer outside a sale ("no sale"). */
  'drawer.open',
] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];

/**
 * One PIN check, for the manager's list of recent attempts. `staff` is the person the PIN was
 * entered for (null for an approval that takes any manager's PIN: then `role` says which); `by`
 * is who was signed in at the till when it was entered (null: nobody).
 */
export const pinAttempt = z.object({
  at: z.string().max(40),
  staff: staffRef.nullable(),
  role: staffRole.nullable(),
  by: staffRef.nullable(),
  outcome: z.enum(['accepted', 'wrong', 'locked']),
  /** The lockout this attempt earned (or met), if any. */
  lockedUntil: z.string().max(40).nullable(),
});
export type PinAttempt = z.infer<typeof pinAttempt>;
