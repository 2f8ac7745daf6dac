/** Events main pushes to every screen. Validated on arrival like responses. */
import { z } from 'zod';
import { sale, shift } from './domain';

export const events = {
  /** The active sale changed (or there is none): the customer display mirrors this. */
  'sale.changed': z.object({ sale: sale.nullable() }),
  /** A sale was fully paid. */
  'sale.completed': z.object({ sale }),
  'shift.changed': z.object({ shift: shift.nullable() }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
