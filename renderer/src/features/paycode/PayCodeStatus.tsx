/**
 * What the cashier sees while a payment code is charged and after: charging, the customer
 * confirming on the phone (with the seconds left), checking, cancelling, paid, refused with the
 * acquirer's reason in words, or unknown. The code appears only masked.
 */
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useSecondsLeft } from '../../components/useSecondsLeft';
import { reasonKey } from './reasons';
import { selectPayCode } from './payCodeSlice';

export function PayCodeStatus() {
  const { t } = useTranslation();
  const state = useAppSelector(selectPayCode);
  const seconds = useSecondsLeft(state.phase === 'waiting_for_buyer' ? state.waitingUntil : null);
  const wallet = t(`paycode.wallets.${state.scheme ?? 'any'}`);
  const masked = state.masked ?? '';
  const reason = (): string => {
    if (state.reason === null) return '';
    const key = reasonKey(state.reason.code);
    // Codes the screen has no words for keep the acquirer's own sentence (English).
    return key === null ? state.reason.message : t(key);
  };

  switch (state.phase) {
    case 'idle':
      return null;
    case 'charging':
    case 'checking':
    case 'cancelling':
      return (
        <p
          className="paycode paycode--busy"
          role="status"
          data-testid="paycode-status"
          data-phase={state.phase}
        >
          {state.phase === 'charging'
            ? t('paycode.charging', { wallet, masked })
            : state.phase === 'checking'
              ? t('paycode.checking', { wallet })
              : t('paycode.cancelling')}
        </p>
      );
    case 'waiting_for_buyer':
      return (
        <p
          className="paycode paycode--busy"
          role="status"
          data-testid="paycode-status"
          data-phase={state.phase}
        >
          {t('paycode.waiting', { seconds: seconds ?? 30 })}
        </p>
      );
    case 'paid':
      return (
        <p
          className="paycode paycode--paid"
          role="status"
          data-testid="paycode-status"
          data-phase={state.phase}
        >
          {t('paycode.paid', { wallet })}
        </p>
      );
    case 'refused':
      return (
        <p
          className="paycode paycode--refused"
          role="alert"
          data-testid="paycode-status"
          data-phase={state.phase}
        >
          {t('paycode.refused', { reason: reason() })}
        </p>
      );
    case 'unknown':
      return (
        <p
          className="paycode paycode--unknown"
          role="alert"
          data-testid="paycode-status"
          data-phase={state.phase}
        >
          {/* Not "cancelled, nothing charged": the acquirer would not say. Its code, as is. */}
          {t('paycode.unknown', { reason: state.reason?.code ?? '', wallet })}
        </p>
      );
    case 'failed': {
      const error = state.error;
      if (error?.kind === 'pos' && error.code === 'NOT_SUPPORTED')
        return (
          <p
            className="paycode paycode--refused"
            role="alert"
            data-testid="paycode-status"
            data-phase="no_acquirer"
          >
            {t('paycode.noAcquirer', { wallet })}
          </p>
        );
      if (error?.kind === 'pos' && error.code === 'VALIDATION' && error.field === 'code')
        return (
          <p
            className="paycode paycode--refused"
            role="alert"
            data-testid="paycode-status"
            data-phase="not_a_code"
          >
            {t('paycode.notACode')}
          </p>
        );
      return <ErrorMessage error={error} testId="paycode-status" />;
    }
  }
}
