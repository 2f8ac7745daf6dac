/**
 * The demo shop's staff, seeded on first start: a manager (PIN 888888) and a cashier (PIN 1234).
 * These PINs are printed once when they are created and documented in the README; a real shop
 * changes them before it trades (the manager's screen asks while any is in use:
 * staffOnDemoPins in staff.ts). No PIN chosen at the till can be one of them (isGuessablePin).
 */
import type { StaffRole } from '../contract';

export const DEMO_STAFF: readonly { name: string; role: StaffRole; pin: string }[] = [
  { name: '王店长', role: 'manager', pin: '888888' },
  { name: '李收银', role: 'cashier', pin: '1234' },
];
