/**
 * People who work the till. A PIN identifies a person; PINs are stored hashed in the ledger and
 * never cross the contract except inside the request that needs them checked.
 */
import { z } from 'zod';

export const STAFF_ROLES = ['cashier', 'manager'] as const;
export const staffRole = z.enum(STAFF_ROLES);
export type StaffRole = z.infer<typeof staffRole>;

/** 4 to 8 digits. */
export const pin = z.string().regex(/^\d{4,8}$/, 'a PIN is 4 to 8 digits');

export const staff = z.object({
  id: z.string().min(1).max(64),
  name: z.string().max(64),
  role: staffRole,
});
export type Staff = z.infer<typeof staff>;

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
  /** Opening the cash drawer outside a sale ("no sale"). */
  'drawer.open',
] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];
