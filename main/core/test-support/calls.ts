/**
 * Calling the core as a transport does, for the core's and host's tests: through a caller the
 * core opened (one per core and kind unless a test opens more), with the demo staff's PINs.
 */
import type { Channel, ErrorCode, RequestInput, Response } from '../../contract';
import type { Caller, CallerKind } from '../access';
import type { PosCore } from '../core';

/** The demo staff seeded with every core (README). */
export const DEMO_CASHIER_PIN = '1234';
export const DEMO_MANAGER_PIN = '888888';

const callers = new WeakMap<PosCore, Map<CallerKind, Caller>>();

/** The test's usual caller of this kind on this core (the till's screen, by default). */
export function callerFor(core: PosCore, kind: CallerKind = 'staff'): Caller {
  let byKind = callers.get(core);
  if (byKind === undefined) callers.set(core, (byKind = new Map()));
  let caller = byKind.get(kind);
  if (caller === undefined) byKind.set(kind, (caller = core.openCaller(kind)));
  return caller;
}

export class CallError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export async function call<C extends Channel>(
  core: PosCore,
  channel: C,
  payload: RequestInput<C>,
  caller: Caller = callerFor(core),
): Promise<Response<C>> {
  const reply = await core.dispatch(channel, payload, caller);
  if (!reply.ok) throw new CallError(reply.error.code, reply.error.message, reply.error.field);
  return reply.result as Response<C>;
}

/** The error code a refused call gets (fails the test if the call is served). */
export async function refusal(
  core: PosCore,
  channel: Channel,
  payload: unknown,
  caller: Caller = callerFor(core),
): Promise<ErrorCode> {
  const reply = await core.dispatch(channel, payload, caller);
  if (reply.ok) throw new Error(`${channel} should have been refused`);
  return reply.error.code;
}

/** The id of the demo person of `role` (the sign-in screen picks the person, then takes the PIN). */
export function demoStaffId(core: PosCore, role: 'cashier' | 'manager'): string {
  const person = core.ledger.listStaff().find((s) => s.role === role);
  if (person === undefined) throw new Error(`no demo ${role}`);
  return person.id;
}

/** Signs the demo cashier in at the till (terminal-wide), as the cashier's screen does. */
export async function signInCashier(core: PosCore, caller: Caller = callerFor(core)) {
  return call(
    core,
    'auth.signIn',
    { staffId: demoStaffId(core, 'cashier'), pin: DEMO_CASHIER_PIN },
    caller,
  );
}

/** Opens a manager session on this caller only. */
export async function managerSession(core: PosCore, caller: Caller = callerFor(core)) {
  return call(core, 'manager.signIn', { pin: DEMO_MANAGER_PIN }, caller);
}
