/**
 * What the cashier sees while a payment code is charged and after: charging, the customer
 * confirming on the phone (with the seconds left), checking, cancelling, paid, refused with the
 * acquirer's reason in words, or unknown. The code appears only masked.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { reasonKey } from './reasons';
import { selectPayCode } from './payCodeSlice';

/** Seconds until `until`, re-rendered each second while counting. */
function useSecondsLeft(until: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const tick = (): void => setNow(Date.now());
    // At once (the clock read at mount may be old by now), then each second.
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [until]);
  return until === null ? null : Math.max(0, Math.ceil((until - now) / 1000));
}

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
