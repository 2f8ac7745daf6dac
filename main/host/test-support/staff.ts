/**
 * Signing a demo person in through the contract as the sign-in screen does: pick the person
 * (auth.staff), then their PIN (the README's demo PINs).
 */
import type { Request, Response, StaffRole } from '../../contract';
import { DEMO_STAFF } from '../../ledger/demo-staff';

interface Invoker {
  invoke(channel: 'auth.staff', payload: Request<'auth.staff'>): Promise<Response<'auth.staff'>>;
}

/** The auth.signIn request for the demo person of `role`. */
export async function demoSignIn(
  client: Invoker,
  role: StaffRole,
): Promise<{ staffId: string; pin: string }> {
  const demo = DEMO_STAFF.find((s) => s.role === role);
  const person = (await client.invoke('auth.staff', {})).find((s) => s.name === demo?.name);
  if (demo === undefined || person === undefined) throw new Error(`no demo ${role} to sign in`);
  return { staffId: person.id, pin: demo.pin };
}
