/**
 * Staff and their PINs. A PIN is short, so it is stored as scrypt(PIN, a random per-person salt)
 * and checked in constant time; a PIN is entered alone (no user name at the till), so checking
 * one hashes it once per candidate. Wrong PINs are counted per terminal (pin_guard): after
 * MAX_FAILURES in a row, PINs are refused for a while (PIN_LOCKED), the wait doubling with each
 * further failure up to MAX_LOCK_MS. A correct PIN resets the count.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { PosError, type Staff, type StaffRef, type StaffRole } from '../contract';
import type { Ctx } from './context';
import { OPERATOR_SINCE } from './rows';
import { checkText } from './validate';

const SCRYPT = { N: 16_384, r: 8, p: 1, keylen: 32 } as const;
export const MAX_FAILURES = 5;
export const FIRST_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 5 * 60_000;

interface StaffRow {
  id: string;
  name: string;
  role: StaffRole;
  pin_hash: string;
  active: number;
}

function checkPin(pin: unknown, field = 'pin'): string {
  if (typeof pin !== 'string' || !/^\d{4,8}$/.test(pin))
    throw new PosError('VALIDATION', `${field}: a PIN is 4 to 8 digits`, field);
  return pin;
}

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash, so they can be raised later. */
export function hashPin(pin: string, salt: Buffer = randomBytes(16)): string {
  const { N, r, p, keylen } = SCRYPT;
  const hash = scryptSync(pin, salt, keylen, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('hex'), hash.toString('hex')].join('$');
}

export function pinMatches(pin: string, stored: string): boolean {
  const [scheme, n, r, p, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || saltHex === undefined || hashHex === undefined) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = scryptSync(pin, Buffer.from(saltHex, 'hex'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

function toStaff(r: StaffRow): Staff {
  return { id: r.id, name: r.name, role: r.role };
}

function activeRows(ctx: Ctx): StaffRow[] {
  return ctx
    .stmt('SELECT id, name, role, pin_hash, active FROM staff WHERE active = 1 ORDER BY rowid')
    .all() as StaffRow[];
}

export function staffCount(ctx: Ctx): number {
  return (ctx.stmt('SELECT count(*) AS n FROM staff').get() as { n: number }).n;
}

export function listStaff(ctx: Ctx): Staff[] {
  return activeRows(ctx).map(toStaff);
}

/** Someone else already has this PIN: a PIN must say who is at the till. */
function refuseTakenPin(ctx: Ctx, pin: string, exceptId: string | null): void {
  for (const row of activeRows(ctx)) {
    if (row.id !== exceptId && pinMatches(pin, row.pin_hash))
      throw new PosError('VALIDATION', 'pin: another person already has this PIN', 'pin');
  }
}

export function addStaff(ctx: Ctx, input: { name: string; role: StaffRole; pin: string }): Staff {
  const name = checkText(input.name, 'name', 64);
  if (input.role !== 'cashier' && input.role !== 'manager')
    throw new PosError('VALIDATION', "role: expected 'cashier' or 'manager'", 'role');
  const pin = checkPin(input.pin);
  return ctx.tx(() => {
    refuseTakenPin(ctx, pin, null);
    const at = ctx.now();
    const row: StaffRow = {
      id: ctx.newId(at),
      name,
      role: input.role,
      pin_hash: hashPin(pin),
      active: 1,
    };
    ctx
      .stmt(
        `INSERT INTO staff (id, name, role, pin_hash, active, created_at, updated_at)
         VALUES (?, ?, ?, ?, 1, ?, ?)`,
      )
      .run(row.id, row.name, row.role, row.pin_hash, at.toISOString(), at.toISOString());
    return toStaff(row);
  });
}

export function setStaffPin(ctx: Ctx, staffId: string, newPin: string): Staff {
  const pin = checkPin(newPin);
  return ctx.tx(() => {
    const row = ctx
      .stmt('SELECT id, name, role, pin_hash, active FROM staff WHERE id = ? AND active = 1')
      .get(staffId) as StaffRow | undefined;
    if (!row) throw new PosError('NOT_FOUND', `no staff member ${staffId}`, 'staffId');
    refuseTakenPin(ctx, pin, row.id);
    ctx
      .stmt('UPDATE staff SET pin_hash = ?, updated_at = ? WHERE id = ?')
      .run(hashPin(pin), ctx.now().toISOString(), row.id);
    return toStaff(row);
  });
}

interface Guard {
  failures: number;
  locked_until: string | null;
}

function guard(ctx: Ctx): Guard {
  return ctx.stmt('SELECT failures, locked_until FROM pin_guard WHERE one = 1').get() as Guard;
}

/** When PINs are refused until (ISO time), or null. */
export function pinLockedUntil(ctx: Ctx): string | null {
  const g = guard(ctx);
  if (g.locked_until === null || Date.parse(g.locked_until) <= ctx.now().getTime()) return null;
  return g.locked_until;
}

export function lockDurationMs(failures: number): number {
  if (failures < MAX_FAILURES) return 0;
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - MAX_FAILURES));
}

/**
 * The active person with this PIN (and one of `roles`, when given). A wrong PIN, or one of a
 * person without the role, counts as a failure and is refused with PIN_WRONG; while locked out
 * every PIN is refused with PIN_LOCKED, before any is checked.
 */
export function verifyPin(ctx: Ctx, pinInput: unknown, roles?: readonly StaffRole[]): Staff {
  const pin = checkPin(pinInput);
  // The count is committed before the refusal is thrown, so a failed attempt always counts.
  const outcome = ctx.tx((): Staff | PosError => {
    const until = pinLockedUntil(ctx);
    if (until !== null)
      return new PosError('PIN_LOCKED', `too many wrong PINs: try again after ${until}`, 'pin');
    const candidates = activeRows(ctx).filter((r) => roles === undefined || roles.includes(r.role));
    const match = candidates.find((r) => pinMatches(pin, r.pin_hash));
    if (match) {
      ctx.stmt('UPDATE pin_guard SET failures = 0, locked_until = NULL WHERE one = 1').run();
      return toStaff(match);
    }
    const failures = guard(ctx).failures + 1;
    const lockMs = lockDurationMs(failures);
    const lockedUntil = lockMs > 0 ? new Date(ctx.now().getTime() + lockMs).toISOString() : null;
    ctx
      .stmt('UPDATE pin_guard SET failures = ?, locked_until = ? WHERE one = 1')
      .run(failures, lockedUntil);
    const who = roles?.length === 1 ? ` of a ${roles[0]}` : '';
    return new PosError('PIN_WRONG', `that is not the PIN${who}`, 'pin');
  });
  if (outcome instanceof PosError) throw outcome;
  return outcome;
}

/**
 * The person a money row is written for (the one signed in at the till). Every sale, payment,
 * refund, shift and cash movement records its operator, who must be an active member of staff.
 * A ledger opened at a schema older than OPERATOR_SINCE (tests only) records none: null.
 */
export function requireOperator(ctx: Ctx, operatorId: unknown): StaffRef | null {
  if (ctx.schemaVersion < OPERATOR_SINCE) return null;
  if (typeof operatorId !== 'string' || operatorId.length === 0 || operatorId.length > 64)
    throw new PosError('SIGN_IN_REQUIRED', 'operatorId: who is at the till?', 'operatorId');
  const row = ctx.stmt('SELECT id, name FROM staff WHERE id = ? AND active = 1').get(operatorId) as
    StaffRef | undefined;
  if (!row)
    throw new PosError(
      'SIGN_IN_REQUIRED',
      `operatorId: ${operatorId} is not an active member of staff`,
      'operatorId',
    );
  return { id: row.id, name: row.name };
}

/** Who a stored row names (former staff included: records keep their names). */
export function staffRefOf(ctx: Ctx, staffId: string | null | undefined): StaffRef | null {
  if (staffId === null || staffId === undefined) return null;
  const row = ctx.stmt('SELECT id, name FROM staff WHERE id = ?').get(staffId) as
    StaffRef | undefined;
  return row ? { id: row.id, name: row.name } : { id: staffId, name: '' };
}
