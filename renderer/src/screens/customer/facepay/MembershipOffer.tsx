/**
 * After a face payment, on the "thank you" screen: the offer to join the shop's membership in
 * one tap ("face as membership card"), or, for a member, the greeting with points and coupons.
 */
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../../app/hooks';
import type { Sale } from '../../../contract';
import {
  answerMembership,
  attemptFor,
  selectFacePayState,
} from '../../../features/facepay/facePaySlice';
import { MemberGreeting } from './MemberGreeting';
import './facepay.css';

export function MembershipOffer({ sale }: { sale: Sale }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const attempt = attemptFor(useAppSelector(selectFacePayState), sale.id);
  if (attempt === null || attempt.phase !== 'paid' || attempt.membership === null) return null;
  const { membership } = attempt;
  const answer = (consent: boolean): void =>
    void dispatch(answerMembership({ saleId: sale.id, consent }));

  return (
    <section
      className="facepay-member"
      data-testid="facepay-membership"
      data-status={membership.status}
    >
      <p className="facepay-member__paid">
        {t('facepay.paid')}
        {attempt.maskedName !== null ? ` · ${attempt.maskedName}` : ''}
      </p>
      {membership.status === 'offer' && (
        <>
          <p className="facepay-member__offer">{t('facepay.membership.offer')}</p>
          <p className="facepay-member__consent">{t('facepay.membership.consent')}</p>
          <div className="facepay__actions">
            <button
              type="button"
              className="btn btn-large facepay__confirm"
              onClick={() => answer(true)}
            >
              {t('facepay.membership.join')}
            </button>
            <button
              type="button"
              className="btn btn-large btn-secondary"
              onClick={() => answer(false)}
            >
              {t('facepay.membership.noThanks')}
            </button>
          </div>
        </>
      )}
      {membership.status === 'joining' && <p role="status">{t('facepay.membership.joining')}</p>}
      {(membership.status === 'joined' || membership.status === 'member') && (
        <MemberGreeting membership={membership} />
      )}
      {membership.status === 'failed' && <p role="status">{t('facepay.membership.failed')}</p>}
    </section>
  );
}
