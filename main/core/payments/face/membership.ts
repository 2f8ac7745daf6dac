/**
 * Membership, after a face payment: the greeting of a member of this store (points, this
 * payment's included, and each coupon as itself), or the offer to join for anyone else. Nothing
 * about membership is known before the payment: the cloud tells it only with an authorised
 * payment, so a face (or a photo of one) reveals nobody's membership.
 */
import type { Coupon, MemberGreeting } from '../../../../cloud/api';
import {
  MAX_GREETING_COUPONS,
  MEMBERSHIP_CONSENT_VERSION,
  type FacePayCoupon,
  type FacePayState,
} from '../../../contract';
import type { Logger } from '../../logger';
import { errorCode, withTimeout } from './lost-answers';
import type { FacePayCloud } from './ports';

export type Membership = NonNullable<FacePayState['membership']>;

function couponsToShow(coupons: readonly Coupon[]): FacePayCoupon[] {
  return coupons.slice(0, MAX_GREETING_COUPONS).map((c) => ({
    couponId: c.couponId,
    title: c.title.slice(0, 100),
    discountFen: c.discountFen,
    minSpendFen: c.minSpendFen,
    expiresAt: c.expiresAt,
  }));
}

/** How a recognised member is greeted (points, coupons); the offer to join for anyone else. */
export function membershipFor(member: MemberGreeting | null): Membership {
  return member !== null
    ? { status: 'member', points: member.points, coupons: couponsToShow(member.coupons) }
    : { status: 'offer', points: null, coupons: [] };
}

/** Whether the customer may answer the offer now (again, after a failed try). */
export function mayJoin(membership: FacePayState['membership']): boolean {
  return membership !== null && (membership.status === 'offer' || membership.status === 'failed');
}

/**
 * The customer said yes: joins with their consent (this text version, now) on the strength of
 * the payment just made. Answers `joined`, or `member` if they already were; `failed` if the
 * cloud did not agree or answer.
 */
export async function join(input: {
  client: FacePayCloud;
  paymentId: string;
  saleId: string;
  timeoutMs: number;
  logger: Logger;
}): Promise<Membership> {
  const { saleId, logger } = input;
  try {
    const joined = await withTimeout(
      input.client.joinMembership({
        paymentId: input.paymentId,
        consent: { textVersion: MEMBERSHIP_CONSENT_VERSION, acceptedAt: new Date().toISOString() },
      }),
      input.timeoutMs,
      'membership',
    );
    logger.info('face pay: membership', { saleId, joined: joined.joined });
    return {
      status: joined.joined ? 'joined' : 'member',
      points: joined.points,
      coupons: couponsToShow(joined.coupons),
    };
  } catch (error) {
    logger.warn('face pay: joining the membership failed', { saleId, code: errorCode(error) });
    return { status: 'failed', points: null, coupons: [] };
  }
}
