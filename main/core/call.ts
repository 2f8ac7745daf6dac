/** What a handler knows about a call beside its payload (see access.ts for who may call what). */
import { PosError, type Staff } from '../contract';
import type { Caller } from './access';

export interface CallContext {
  caller: Caller;
  /** Who is signed in at the till (always set for the 'operator' channels). */
  operator: Staff | null;
  /** This caller's manager session's manager (always set for the 'manager' channels). */
  manager: Staff | null;
}

/** The operator's id, for the money rows (access.ts made sure there is one). */
export function operatorId(call: CallContext): string {
  if (call.operator === null)
    throw new PosError('SIGN_IN_REQUIRED', 'sign in at the till first (a cashier or a manager)');
  return call.operator.id;
}
