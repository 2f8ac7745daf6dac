/** Events main pushes to every screen. Validated on arrival like responses. */
import { z } from 'zod';
import { auditStatus, sale, shift } from './domain';
import { facePayAvailability, facePayPreview, facePayState } from './facepay';
import { payCodeProgress } from './pay-code';
import { qrState } from './qr-pay';
import { staff } from './staff';
import { peripheralsStatus } from './peripherals';
import { poleDisplayStatus } from './pole-display';
import { displayPayment, syncStatus } from './terminal-status';

export const events = {
  /** The active sale changed (or there is none): the customer display mirrors this. */
  'sale.changed': z.object({ sale: sale.nullable() }),
  /** A sale was fully paid. */
  'sale.completed': z.object({ sale }),
  'shift.changed': z.object({ shift: shift.nullable() }),
  /** Outbox delivery changed (events written or delivered, connection up or down). */
  'sync.status': syncStatus,
  /** Who is signed in on the terminal changed. */
  'auth.changed': z.object({ staff: staff.nullable() }),
  /** The cashier's payment step, for the customer display. */
  'display.payment': displayPayment,
  /** Face pay's attempt changed phase (or step, or membership). */
  'facepay.state': facePayState,
  /**
   * One analysed camera frame while face pay looks for the face: a small preview, the face box
   * and the instruction. For the customer display; the browser host sends it to that page only.
   */
  'facepay.preview': facePayPreview,
  /** Face pay became available or unavailable (cloud, camera, face models). */
  'facepay.availability': facePayAvailability,
  /** A payment code's charge moved on (charging, buyer confirming, checking, cancelling). */
  'paycode.progress': payCodeProgress,
  /** The sale's QR (主扫) went up, was paid, expired or was cancelled: the customer display shows it. */
  'qr.state': qrState,
  /** The printer was attached or detached, started or finished a job, or a job failed. */
  'peripherals.status': peripheralsStatus,
  /** The register's pole display changed (lines, amount, the till's offer, the port's state). */
  'pole.display': poleDisplayStatus,
  /** The audit chain's standing changed (a check finished, the cloud compared its anchors). */
  'ledger.audit': auditStatus,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
