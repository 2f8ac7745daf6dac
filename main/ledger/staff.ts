/**
 * Staff and their PINs.
 *
 * Hashing: a PIN has at most 10^8 values (10^6 for a manager's six digits), so a hash of it
 * alone is cracked by trying them all. It is stored as `hscrypt$N$r$p$salt$hash`, scrypt over
 * HMAC-SHA256(pepper, PIN) with a random per-person salt. The pepper is a 32-byte secret kept in
 * the terminal's secret store ('pin-pepper', main/shared/secret-store.ts), never in the ledger:
 * a copied ledger.db alone cannot be cracked at all (each guess needs the 256-bit key). scrypt
 * is the second wall, for a thief who took the secrets directory too: N=2^14, r=8 (16 MiB per
 * check) measured 28 ms per PIN check (bench ledger.pin_check_ms, this 2-core Xeon with a test
 * run beside it; 179 ms under a load average of 16), so one core needs ~8 hours for the 10^6
 * six-digit PINs, and many cores far less: scrypt alone cannot outlast a PIN's life, which is why
 * the pepper (not the ledger) is the wall, and why a PIN stolen with the pepper must be changed
 * at once (the manager's screen resets it). N is not
 * raised further because every sign-in and approval pays it too (and the managers' bucket checks
 * each manager's hash); the parameters travel in the hash, so they can be raised later without a
 * migration (an outdated hash is rewritten on the next correct PIN). Hashes written before the
 * pepper existed (`scrypt$`) still verify and are rewritten peppered the same way.
 *
 * Guessing at the till: wrong PINs are counted per bucket (pin_guards): 'staff:<id>' when the
 * PIN was entered for a person (sign-in picks the person first), 'role:manager' for an approval
 * that takes any manager's PIN. After MAX_FAILURES in a bucket, that bucket refuses PINs for a
 * while (PIN_LOCKED), the wait doubling with each further failure up to MAX_LOCK_MS. Only a
 * correct PIN for the bucket resets it: a cashier's own sign-in does not clear their guesses at
 * the manager's PIN, and guesses at one person lock nobody else. Every check is recorded
 * (pin_attempts) for the manager's screen.
 */
import { createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import {
  MIN_PIN_DIGITS,
  PosError,
  type PinAttempt,
  type Staff,
  type StaffMember,
  type StaffRef,
  type StaffRole,
} from '../contract';
import { DEMO_STAFF } from './demo-staff';
import type { Ctx } from './context';
import { OPERATOR_SINCE } from './rows';
import { getSettings } from './settings';
import { checkText } from './validate';

const SCRYPT = { N: 16_384, r: 8, p: 1, keylen: 32 } as const;
export const MAX_FAILURES = 5;
export const FIRST_LOCK_MS = 30_000;
export const MAX_LOCK_MS = 5 * 60_000;
/** pin_attempts keeps this many of the newest rows. */
export const PIN_ATTEMPTS_KEPT = 2_000;

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

/**
 * A new PIN for someone of `role`: long enough for what that role's PIN allows (the shop's
 * setting, never below MIN_PIN_DIGITS).
 */
function checkNewPin(ctx: Ctx, pin: unknown, role: StaffRole): string {
  const checked = checkPin(pin);
  const settings = getSettings(ctx);
  const min = Math.max(
    MIN_PIN_DIGITS[role],
    role === 'manager' ? settings.managerPinDigits : settings.cashierPinDigits,
  );
  if (checked.length < min)
    throw new PosError('VALIDATION', `pin: a ${role}'s PIN is at least ${min} digits`, 'pin');
  return checked;
}

function peppered(pin: string, pepper: Buffer): Buffer {
  return createHmac('sha256', pepper).update(pin, 'utf8').digest();
}

/**
 * `hscrypt$N$r$p$salt$hash` with a pepper; `scrypt$...` without one (ledgers opened without a
 * secret store: tools and old tests; never the terminal, whose core always gives a pepper).
 */
export function hashPin(
  pin: string,
  pepper: Buffer | null,
  salt: Buffer = randomBytes(16),
): string {
  const { N, r, p, keylen } = SCRYPT;
  const input = pepper === null ? pin : peppered(pin, pepper);
  const hash = scryptSync(input, salt, keylen, { N, r, p });
  return [
    pepper === null ? 'scrypt' : 'hscrypt',
    N,
    r,
    p,
    salt.toString('hex'),
    hash.toString('hex'),
  ].join('$');
}

export function pinMatches(pin: string, stored: string, pepper: Buffer | null): boolean {
  const [scheme, n, r, p, saltHex, hashHex] = stored.split('$');
  if (saltHex === undefined || hashHex === undefined) return false;
  let input: string | Buffer;
  if (scheme === 'scrypt') input = pin;
  else if (scheme === 'hscrypt' && pepper !== null) input = peppered(pin, pepper);
  else return false; // a peppered hash cannot be checked without the pepper
  const expected = Buffer.from(hashHex, 'hex');
  const actual = scryptSync(input, Buffer.from(saltHex, 'hex'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/** A hash made before this terminal had a pepper (or with weaker parameters): redo it. */
function isOutdated(stored: string, pepper: Buffer | null): boolean {
  if (pepper === null) return false;
  const [scheme, n, r] = stored.split('$');
  return scheme !== 'hscrypt' || Number(n) < SCRYPT.N || Number(r) < SCRYPT.r;
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

/**
 * Another manager already has this PIN: an approval takes any manager's PIN and records who
 * gave it, so a manager's PIN must say which manager. (Sign-in picks the person first, so
 * cashiers may share a PIN with anyone.)
 */
function refuseTakenPin(ctx: Ctx, pin: string, role: StaffRole, exceptId: string | null): void {
  if (role !== 'manager') return;
  for (const row of activeRows(ctx)) {
    if (
      row.id !== exceptId &&
      row.role === 'manager' &&
      pinMatches(pin, row.pin_hash, ctx.pinPepper)
    )
      throw new PosError('VALIDATION', 'pin: another manager already has this PIN', 'pin');
  }
}

function checkRole(role: unknown): StaffRole {
  if (role !== 'cashier' && role !== 'manager')
    throw new PosError('VALIDATION', "role: expected 'cashier' or 'manager'", 'role');
  return role;
}

function checkName(name: unknown): string {
  const checked = checkText(name, 'name', 64).trim();
  if (checked.length === 0) throw new PosError('VALIDATION', 'name: a name is needed', 'name');
  return checked;
}

/**
 * Names are unique, disabled people's included, ignoring case and surrounding spaces: a name is
 * what receipts, shifts and approvals show of who did it, so two people sharing one (or a new
 * person taking a former colleague's) would make those records ambiguous. Someone coming back is
 * enabled again, not added anew.
 */
function refuseTakenName(ctx: Ctx, name: string, exceptId: string | null): void {
  const other = ctx
    .stmt('SELECT id, active FROM staff WHERE lower(trim(name)) = lower(?) AND id IS NOT ?')
    .get(name, exceptId) as { id: string; active: number } | undefined;
  if (other === undefined) return;
  throw new PosError(
    'VALIDATION',
    other.active === 1
      ? 'name: someone already has this name'
      : 'name: a disabled person has this name (enable them instead)',
    'name',
  );
}

function activeManagers(ctx: Ctx): number {
  return (
    ctx.stmt("SELECT count(*) AS n FROM staff WHERE role = 'manager' AND active = 1").get() as {
      n: number;
    }
  ).n;
}

/** The shop always keeps an active manager: without one nobody could approve or manage staff. */
function refuseLosingLastManager(ctx: Ctx, row: StaffRow, what: string): void {
  if (row.role === 'manager' && row.active === 1 && activeManagers(ctx) <= 1)
    throw new PosError('VALIDATION', `staffId: ${what} the last active manager`, 'staffId');
}

function anyRow(ctx: Ctx, staffId: unknown): StaffRow {
  const row =
    typeof staffId === 'string' && staffId.length > 0 && staffId.length <= 64
      ? (ctx
          .stmt('SELECT id, name, role, pin_hash, active FROM staff WHERE id = ?')
          .get(staffId) as StaffRow | undefined)
      : undefined;
  if (row === undefined)
    throw new PosError('NOT_FOUND', 'staffId: no member of staff with that id', 'staffId');
  return row;
}

/** Everyone, disabled people too, in the order they were added. */
export function listAllStaff(ctx: Ctx): StaffMember[] {
  return (
    ctx
      .stmt('SELECT id, name, role, pin_hash, active FROM staff ORDER BY rowid')
      .all() as StaffRow[]
  ).map((r) => ({ ...toStaff(r), active: r.active === 1 }));
}

/**
 * Renames someone or changes their role. A new manager needs a new PIN with the change (their
 * old one may be too short for a manager, or be another manager's); the last active manager
 * cannot stop being one.
 */
export function updateStaff(
  ctx: Ctx,
  staffId: string,
  changes: { name?: string; role?: StaffRole; pin?: string },
): Staff {
  const name = changes.name === undefined ? undefined : checkName(changes.name);
  const role = changes.role === undefined ? undefined : checkRole(changes.role);
  return ctx.tx(() => {
    const row = activeRow(ctx, staffId);
    if (!row)
      throw new PosError('NOT_FOUND', 'staffId: no active member of staff with that id', 'staffId');
    const next: StaffRow = { ...row, name: name ?? row.name, role: role ?? row.role };
    if (name !== undefined) refuseTakenName(ctx, name, row.id);
    if (row.role === 'manager' && next.role !== 'manager')
      refuseLosingLastManager(ctx, row, 'this is');
    if (next.role === 'manager' && row.role !== 'manager' && changes.pin === undefined)
      throw new PosError('VALIDATION', "pin: a new manager needs a new manager's PIN", 'pin');
    if (changes.pin !== undefined) {
      const pin = checkNewPin(ctx, changes.pin, next.role);
      refuseTakenPin(ctx, pin, next.role, row.id);
      next.pin_hash = hashPin(pin, ctx.pinPepper);
      ctx.stmt('DELETE FROM pin_guards WHERE bucket = ?').run(staffBucket(row.id));
    }
    ctx
      .stmt('UPDATE staff SET name = ?, role = ?, pin_hash = ?, updated_at = ? WHERE id = ?')
      .run(next.name, next.role, next.pin_hash, ctx.now().toISOString(), row.id);
    return toStaff(next);
  });
}

/**
 * Disables someone (they can no longer sign in or approve; every record keeps their name) or
 * enables them again. A cashier comes back with the PIN they had; a manager needs a new one
 * (`pin`): a manager's PIN must be nobody else's (approvals name the manager by it), and
 * another manager may have been given it since, which a salted hash cannot show. The last
 * active manager cannot be disabled, not even by themselves.
 */
export function setStaffActive(
  ctx: Ctx,
  staffId: string,
  active: boolean,
  newPin?: string,
): StaffMember {
  if (typeof active !== 'boolean')
    throw new PosError('VALIDATION', 'active: expected true or false', 'active');
  return ctx.tx(() => {
    const row = anyRow(ctx, staffId);
    if (!active) refuseLosingLastManager(ctx, row, 'cannot disable');
    let pinHash = row.pin_hash;
    if (active && row.active === 0 && row.role === 'manager') {
      if (newPin === undefined)
        throw new PosError(
          'VALIDATION',
          "pin: a returning manager needs a new manager's PIN",
          'pin',
        );
      const pin = checkNewPin(ctx, newPin, 'manager');
      refuseTakenPin(ctx, pin, 'manager', row.id);
      pinHash = hashPin(pin, ctx.pinPepper);
      ctx.stmt('DELETE FROM pin_guards WHERE bucket = ?').run(staffBucket(row.id));
    }
    ctx
      .stmt('UPDATE staff SET active = ?, pin_hash = ?, updated_at = ? WHERE id = ?')
      .run(active ? 1 : 0, pinHash, ctx.now().toISOString(), row.id);
    return { ...toStaff(row), active };
  });
}

/**
 * Whether each stored hash is of a demo PIN, per ledger. A hash is salted afresh whenever a PIN
 * is set, so the answer for a hash never changes: each person's PIN is tried against the demo
 * PINs once (a scrypt each, ~30 ms), not on every look at the staff.
 */
const demoHashes = new WeakMap<Ctx, Map<string, boolean>>();

function isDemoHash(ctx: Ctx, row: StaffRow): boolean {
  let known = demoHashes.get(ctx);
  if (known === undefined) demoHashes.set(ctx, (known = new Map()));
  const key = `${row.role}:${row.pin_hash}`; // the role decides which demo PINs are tried
  let demo = known.get(key);
  if (demo === undefined) {
    demo = DEMO_STAFF.some(
      (d) =>
        d.pin.length >= MIN_PIN_DIGITS[row.role] && pinMatches(d.pin, row.pin_hash, ctx.pinPepper),
    );
    known.set(key, demo);
  }
  return demo;
}

/**
 * The active people whose PIN is still a demo one (DEMO_STAFF): the manager is asked to change
 * them before the shop trades. Only the demo PINs a person's role allows are tried.
 */
export function staffOnDemoPins(ctx: Ctx): StaffRef[] {
  return activeRows(ctx)
    .filter((row) => isDemoHash(ctx, row))
    .map((row) => ({ id: row.id, name: row.name }));
}

export function addStaff(ctx: Ctx, input: { name: string; role: StaffRole; pin: string }): Staff {
  const name = checkName(input.name);
  checkRole(input.role);
  const pin = checkNewPin(ctx, input.pin, input.role);
  return ctx.tx(() => {
    refuseTakenName(ctx, name, null);
    refuseTakenPin(ctx, pin, input.role, null);
    const at = ctx.now();
    const row: StaffRow = {
      id: ctx.newId(at),
      name,
      role: input.role,
      pin_hash: hashPin(pin, ctx.pinPepper),
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
  checkPin(newPin);
  return ctx.tx(() => {
    const row = activeRow(ctx, staffId);
    if (!row) throw new PosError('NOT_FOUND', `no staff member ${staffId}`, 'staffId');
    const pin = checkNewPin(ctx, newPin, row.role);
    refuseTakenPin(ctx, pin, row.role, row.id);
    ctx
      .stmt('UPDATE staff SET pin_hash = ?, updated_at = ? WHERE id = ?')
      .run(hashPin(pin, ctx.pinPepper), ctx.now().toISOString(), row.id);
    // A new PIN starts with a clean slate: the old one's failures say nothing about it.
    ctx.stmt('DELETE FROM pin_guards WHERE bucket = ?').run(staffBucket(row.id));
    return toStaff(row);
  });
}

function activeRow(ctx: Ctx, staffId: unknown): StaffRow | undefined {
  if (typeof staffId !== 'string' || staffId.length === 0 || staffId.length > 64) return undefined;
  return ctx
    .stmt('SELECT id, name, role, pin_hash, active FROM staff WHERE id = ? AND active = 1')
    .get(staffId) as StaffRow | undefined;
}

// ---------------------------------------------------------------------------------------------
// Buckets of wrong PINs

const staffBucket = (staffId: string) => `staff:${staffId}`;
const roleBucket = (role: StaffRole) => `role:${role}`;

interface Guard {
  failures: number;
  locked_until: string | null;
}

function guardOf(ctx: Ctx, bucket: string): Guard {
  return (
    (ctx.stmt('SELECT failures, locked_until FROM pin_guards WHERE bucket = ?').get(bucket) as
      Guard | undefined) ?? { failures: 0, locked_until: null }
  );
}

function lockedUntil(ctx: Ctx, bucket: string): string | null {
  const g = guardOf(ctx, bucket);
  if (g.locked_until === null || Date.parse(g.locked_until) <= ctx.now().getTime()) return null;
  return g.locked_until;
}

/** When PINs for this person (or, with a role, for that role's approvals) are refused until. */
export function pinLockedUntil(
  ctx: Ctx,
  of: { staffId: string } | { role: StaffRole },
): string | null {
  return lockedUntil(ctx, 'staffId' in of ? staffBucket(of.staffId) : roleBucket(of.role));
}

export function lockDurationMs(failures: number): number {
  if (failures < MAX_FAILURES) return 0;
  return Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - MAX_FAILURES));
}

interface Attempt {
  bucket: string;
  staffId: string | null;
  by: string | null;
  outcome: PinAttempt['outcome'];
  lockedUntil: string | null;
}

function recordAttempt(ctx: Ctx, a: Attempt): void {
  const info = ctx
    .stmt(
      `INSERT INTO pin_attempts (bucket, staff_id, by_staff_id, outcome, locked_until, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    .run(a.bucket, a.staffId, a.by, a.outcome, a.lockedUntil, ctx.now().toISOString());
  ctx
    .stmt('DELETE FROM pin_attempts WHERE seq <= ?')
    .run(Number(info.lastInsertRowid) - PIN_ATTEMPTS_KEPT);
}

/**
 * One PIN check against `bucket`: refused at once while the bucket is locked; otherwise the
 * first of `candidates` whose PIN this is (its hash upgraded if outdated) resets the bucket, and
 * none counts a failure. The count and the attempt are committed before any refusal is thrown,
 * so a failed attempt always counts.
 */
function check(
  ctx: Ctx,
  pin: string,
  bucket: string,
  candidates: () => StaffRow[],
  named: string | null,
  by: string | null,
  wrong: string,
): Staff {
  const outcome = ctx.tx((): Staff | PosError => {
    const until = lockedUntil(ctx, bucket);
    if (until !== null) {
      recordAttempt(ctx, { bucket, staffId: named, by, outcome: 'locked', lockedUntil: until });
      return new PosError('PIN_LOCKED', `too many wrong PINs: try again after ${until}`, 'pin');
    }
    const match = candidates().find((r) => pinMatches(pin, r.pin_hash, ctx.pinPepper));
    if (match) {
      ctx.stmt('DELETE FROM pin_guards WHERE bucket = ?').run(bucket);
      if (isOutdated(match.pin_hash, ctx.pinPepper))
        ctx
          .stmt('UPDATE staff SET pin_hash = ? WHERE id = ?')
          .run(hashPin(pin, ctx.pinPepper), match.id);
      recordAttempt(ctx, { bucket, staffId: match.id, by, outcome: 'accepted', lockedUntil: null });
      return toStaff(match);
    }
    const failures = guardOf(ctx, bucket).failures + 1;
    const lockMs = lockDurationMs(failures);
    const lockUntil = lockMs > 0 ? new Date(ctx.now().getTime() + lockMs).toISOString() : null;
    ctx
      .stmt(
        `INSERT INTO pin_guards (bucket, failures, locked_until) VALUES (?, ?, ?)
         ON CONFLICT (bucket) DO UPDATE SET failures = excluded.failures,
                                            locked_until = excluded.locked_until`,
      )
      .run(bucket, failures, lockUntil);
    recordAttempt(ctx, { bucket, staffId: named, by, outcome: 'wrong', lockedUntil: lockUntil });
    return new PosError('PIN_WRONG', wrong, 'pin');
  });
  if (outcome instanceof PosError) throw outcome;
  return outcome;
}

/**
 * The PIN of one person (sign-in picks the person, then takes the PIN): counted in that
 * person's bucket. `roles`: the person must also have one of these roles (else PIN_WRONG, and
 * it counts, so the answer says nothing about whose PIN it was). `by`: who is at the till.
 */
export function verifyStaffPin(
  ctx: Ctx,
  staffId: unknown,
  pinInput: unknown,
  options: { roles?: readonly StaffRole[]; by?: string | null } = {},
): Staff {
  const pin = checkPin(pinInput);
  const row = activeRow(ctx, staffId);
  if (row === undefined)
    throw new PosError('NOT_FOUND', 'staffId: no active member of staff with that id', 'staffId');
  const allowed = options.roles === undefined || options.roles.includes(row.role);
  return check(
    ctx,
    pin,
    staffBucket(row.id),
    () => (allowed ? [row] : []),
    row.id,
    options.by ?? null,
    `that is not ${row.name}'s PIN`,
  );
}

/**
 * Any active person of `role` whose PIN this is ("a manager's PIN" on an approval): counted in
 * the role's bucket, which only a correct PIN of that role resets.
 */
export function verifyRolePin(
  ctx: Ctx,
  role: StaffRole,
  pinInput: unknown,
  by: string | null = null,
): Staff {
  const pin = checkPin(pinInput);
  return check(
    ctx,
    pin,
    roleBucket(role),
    () => activeRows(ctx).filter((r) => r.role === role),
    null,
    by,
    `that is not the PIN of a ${role}`,
  );
}

/** The newest PIN checks first, for the manager's screen. */
export function pinAttempts(ctx: Ctx, limit = 100): PinAttempt[] {
  if (!Number.isInteger(limit) || limit < 1 || limit > PIN_ATTEMPTS_KEPT)
    throw new PosError(
      'VALIDATION',
      `limit: expected a whole number 1..${PIN_ATTEMPTS_KEPT}`,
      'limit',
    );
  const rows = ctx
    .stmt(
      `SELECT bucket, staff_id, by_staff_id, outcome, locked_until, created_at
       FROM pin_attempts ORDER BY seq DESC LIMIT ?`,
    )
    .all(limit) as {
    bucket: string;
    staff_id: string | null;
    by_staff_id: string | null;
    outcome: PinAttempt['outcome'];
    locked_until: string | null;
    created_at: string;
  }[];
  return rows.map((r) => {
    const role = r.bucket.startsWith('role:') ? (r.bucket.slice(5) as StaffRole) : null;
    return {
      at: r.created_at,
      staff: staffRefOf(ctx, r.staff_id),
      role,
      by: staffRefOf(ctx, r.by_staff_id),
      outcome: r.outcome,
      lockedUntil: r.locked_until,
    };
  });
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
