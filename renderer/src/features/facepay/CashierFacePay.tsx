/**
 * The cashier's side of face pay, in the payment area: the Face Pay button (F11), and while an
 * attempt runs, what the customer is doing; when it fails, why and what to take instead (QR,
 * card or cash), with the sale still open. The camera picture is the customer's only: the
 * cashier's screen never shows it.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import type { Sale } from '../../contract';
import { FUNCTION_KEYS } from '../keyboard/keymap';
import {
  attemptFor,
  cancelFacePay,
  isActive,
  selectFacePayAvailability,
  selectFacePayError,
  selectFacePayState,
  startFacePay,
} from './facePaySlice';
import './facepay.css';

/** The key is the keymap's (F11), so the help overlay and the function-key bar list it too. */
export const FACE_PAY_KEY = FUNCTION_KEYS.find((f) => f.command === 'facePay')?.key ?? 'F11';

/**
 * Starting face pay for the sale, when it can start: used by the button here and by the
 * cashier's screen for the F11 key and the function-key bar.
 */
export function useFacePayStart(sale: Sale | null, allowed: boolean) {
  const dispatch = useAppDispatch();
  const availability = useAppSelector(selectFacePayAvailability);
  const attempt = attemptFor(useAppSelector(selectFacePayState), sale?.id ?? null);
  const active = isActive(attempt);
  const canStart = allowed && sale !== null && sale.dueFen > 0 && availability.available && !active;
  const start = useCallback(() => {
    if (canStart && sale !== null) void dispatch(startFacePay(sale.id));
  }, [canStart, sale, dispatch]);
  return { canStart, start, attempt, active, availability };
}

export function CashierFacePay({ sale, allowed }: { sale: Sale | null; allowed: boolean }) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const error = useAppSelector(selectFacePayError);
  const { canStart, start, attempt, active, availability } = useFacePayStart(sale, allowed);

  let status: string | null = null;
  let hint: string | null = null;
  if (attempt !== null) {
    const name = attempt.maskedName ?? '';
    if (attempt.phase === 'failed') {
      const code = attempt.failure?.code ?? 'UNAVAILABLE';
      status = t('facepay.cashier.failed', { reason: t(`facepay.failed.${code}`) });
      hint =
        code === 'PAYMENT_UNCERTAIN'
          ? t('facepay.cashier.uncertain')
          : t('facepay.cashier.fallback');
    } else if (attempt.phase === 'paid') {
      status = t('facepay.cashier.paid', { name });
    } else if (attempt.phase !== 'idle') {
      status = t(`facepay.cashier.${attempt.phase}`, { name });
    }
  }

  return (
    <div className="cashier-facepay">
      <button
        type="button"
        className="btn btn-secondary cashier-facepay__start"
        disabled={!canStart}
        aria-keyshortcuts={FACE_PAY_KEY}
        title={
          availability.reason !== null ? t(`facepay.unavailable.${availability.reason}`) : undefined
        }
        data-testid="facepay-cashier-start"
        onClick={start}
      >
        {t('facepay.cashier.start')} <kbd aria-hidden="true">{FACE_PAY_KEY}</kbd>
      </button>
      {!availability.available && availability.reason !== null && sale !== null && (
        <p className="hint" data-testid="facepay-unavailable">
          {t(`facepay.unavailable.${availability.reason}`)}
        </p>
      )}
      {status !== null && (
        <div
          className={`notice ${attempt?.phase === 'failed' ? 'notice--warn' : 'notice--ok'}`}
          role="status"
          data-testid="facepay-cashier-status"
          data-phase={attempt?.phase}
        >
          <p>{status}</p>
          {hint !== null && <p className="hint">{hint}</p>}
          {active && attempt?.phase !== 'authorising' && sale !== null && (
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() => void dispatch(cancelFacePay(sale.id))}
            >
              {t('facepay.cashier.cancel')}
            </button>
          )}
        </div>
      )}
      {error !== null && error.kind === 'pos' && (
        <p className="notice notice--warn" role="alert">
          {t(`errors.code.${error.code}`)}
        </p>
      )}
    </div>
  );
}
