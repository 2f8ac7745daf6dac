/**
 * What went wrong with a staff change, in words a manager can act on. The screen checks what it
 * can before asking main (a name, a PIN's length and guessability); main's refusals carry only a
 * code and a field, which say enough here: a VALIDATION on `name` is a taken name (the screen
 * sent a non-empty one), on `pin` a PIN main would not take, on `staffId` the last manager.
 */
import { isGuessablePin, MIN_PIN_DIGITS, type Settings, type StaffRole } from '../../contract';
import type { UiError } from '../../lib/errors';

export const STAFF_REASONS = [
  'nameRequired',
  'pinTooShort',
  'pinGuessable',
  'pinMismatch',
  'nameTaken',
  'pinRefused',
  'lastManager',
  'notYours',
] as const;
export type StaffReason = (typeof STAFF_REASONS)[number];

export type StaffProblem = { kind: 'staff'; reason: StaffReason } | UiError;

export const staffProblem = (reason: StaffReason): StaffProblem => ({ kind: 'staff', reason });

/** The fewest digits a new PIN of this role needs (the shop may ask for more than the floor). */
export function minPinDigits(role: StaffRole, settings: Settings | null): number {
  const shop =
    settings === null
      ? 0
      : role === 'manager'
        ? settings.managerPinDigits
        : settings.cashierPinDigits;
  return Math.max(MIN_PIN_DIGITS[role], shop);
}

/** Why this new PIN would be refused, or null. */
export function newPinProblem(
  pin: string,
  role: StaffRole,
  settings: Settings | null,
): StaffProblem | null {
  if (!/^\d{4,8}$/.test(pin) || pin.length < minPinDigits(role, settings))
    return staffProblem('pinTooShort');
  if (isGuessablePin(pin)) return staffProblem('pinGuessable');
  return null;
}

/** Main's refusal as a staff reason where it has one. */
export function fromMain(error: UiError): StaffProblem {
  if (error.kind !== 'pos') return error;
  const field = (error.field ?? '').replace(/^payload\./, '');
  if (error.code === 'VALIDATION' && field === 'name') return staffProblem('nameTaken');
  if (error.code === 'VALIDATION' && field === 'pin') return staffProblem('pinRefused');
  if (error.code === 'VALIDATION' && field === 'staffId') return staffProblem('lastManager');
  if (error.code === 'FORBIDDEN' && field === 'staffId') return staffProblem('notYours');
  return error;
}
