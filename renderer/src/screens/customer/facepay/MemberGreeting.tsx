/**
 * A recognised member's greeting: their points and each coupon as itself (what it takes off,
 * from what spend, until when), on the confirm step and again after paying.
 */
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../../app/hooks';
import { useMoney } from '../../../components/hooks';
import type { FacePayMembership } from '../../../contract';
import { selectTimezone } from '../../../features/system/systemSlice';
import { formatDate } from '../../../lib/time';
import './facepay.css';

export function MemberGreeting({
  membership,
  testId = 'facepay-member-greeting',
}: {
  membership: FacePayMembership;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const timeZone = useAppSelector(selectTimezone);
  const status = membership.status === 'joined' ? 'joined' : 'member';
  return (
    <div className="facepay-greeting" data-testid={testId}>
      <p role="status">{t(`facepay.membership.${status}`, { points: membership.points ?? 0 })}</p>
      {membership.coupons.length > 0 && (
        <ul className="facepay-greeting__coupons" aria-label={t('facepay.membership.couponsLabel')}>
          {membership.coupons.map((coupon) => (
            <li key={coupon.couponId} className="facepay-coupon" data-testid="facepay-coupon">
              <span className="facepay-coupon__value">
                {t('facepay.membership.couponOff', { amount: money(coupon.discountFen) })}
              </span>
              <span className="facepay-coupon__title">{coupon.title}</span>
              {coupon.minSpendFen > 0 && (
                <span className="facepay-coupon__terms">
                  {t('facepay.membership.couponMinSpend', { amount: money(coupon.minSpendFen) })}
                </span>
              )}
              {coupon.expiresAt !== null && (
                <span className="facepay-coupon__terms">
                  {t('facepay.membership.couponUntil', {
                    date: formatDate(coupon.expiresAt, i18n.language, timeZone),
                  })}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
