/**
 * The face-pay journey on the customer display, over the whole screen while an attempt runs:
 * the live preview (mirrored, as a mirror would show it) inside a framing guide, with one plain
 * instruction; "finding your account"; "Pay ¥12.50 as 张*三?" with Confirm and Cancel; the
 * phone-number keypad when two accounts look alike; "paying"; and, when it does not work, why
 * and what to do instead (QR code or cash), with the sale still open.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../../app/hooks';
import { useMoney } from '../../../components/hooks';
import type { FacePayState, Sale } from '../../../contract';
import {
  cancelFacePay,
  confirmFacePay,
  selectFacePayAvailability,
  selectFacePayPreview,
  startFacePay,
  submitPhoneTail,
} from '../../../features/facepay/facePaySlice';
import { MemberGreeting } from './MemberGreeting';
import { PhoneTailPad } from './PhoneTailPad';
import './facepay.css';

function Camera({ attempt }: { attempt: FacePayState }) {
  const { t } = useTranslation();
  const preview = useAppSelector(selectFacePayPreview);
  const shown = preview !== null && preview.saleId === attempt.saleId ? preview : null;
  const instruction =
    shown !== null
      ? t(`facepay.hint.${shown.hint}`)
      : t(`facepay.step.${attempt.step ?? 'searching'}`);
  const box = shown?.box ?? null;
  return (
    <div className="facepay__camera">
      <div className="facepay__frame" data-testid="facepay-preview">
        {shown !== null && <img className="facepay__image" src={shown.image} alt="" />}
        <div className="facepay__guide" aria-hidden="true" />
        {box !== null && (
          <div
            className="facepay__box"
            aria-hidden="true"
            style={{
              // Mirrored like the picture: x runs from the right.
              left: `${(1 - box.x - box.width) * 100}%`,
              top: `${box.y * 100}%`,
              width: `${box.width * 100}%`,
              height: `${box.height * 100}%`,
            }}
          />
        )}
      </div>
      <p className="facepay__instruction" role="status" data-testid="facepay-instruction">
        {instruction}
      </p>
      <p className="facepay__sub">{t('facepay.guide')}</p>
    </div>
  );
}

export function FacePayOverlay({
  sale,
  attempt,
  onClose,
}: {
  sale: Sale;
  attempt: FacePayState;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const money = useMoney();
  const availability = useAppSelector(selectFacePayAvailability);
  const [confirming, setConfirming] = useState(false);
  const cancel = (): void => void dispatch(cancelFacePay(sale.id));

  let body;
  switch (attempt.phase) {
    case 'capturing':
      body = (
        <>
          <Camera attempt={attempt} />
          <button type="button" className="btn btn-ghost facepay__cancel" onClick={cancel}>
            {t('facepay.cancel')}
          </button>
        </>
      );
      break;
    case 'identifying':
      body = (
        <p className="facepay__big" role="status" data-testid="facepay-identifying">
          {t('facepay.identifying')}
        </p>
      );
      break;
    case 'confirm':
      body = (
        <>
          <p className="facepay__big" data-testid="facepay-confirm-title">
            {t('facepay.confirmTitle', {
              amount: money(attempt.amountFen ?? 0),
              name: attempt.maskedName ?? '',
            })}
          </p>
          {attempt.membership?.status === 'member' && (
            <MemberGreeting membership={attempt.membership} testId="facepay-confirm-greeting" />
          )}
          <div className="facepay__actions">
            <button
              type="button"
              className="btn btn-large facepay__confirm"
              disabled={confirming}
              onClick={() => {
                setConfirming(true);
                void dispatch(confirmFacePay(sale.id)).finally(() => setConfirming(false));
              }}
            >
              {t('facepay.confirm')}
            </button>
            <button type="button" className="btn btn-large btn-secondary" onClick={cancel}>
              {t('facepay.cancel')}
            </button>
          </div>
        </>
      );
      break;
    case 'phoneTail':
      body = (
        <PhoneTailPad
          key={`${attempt.attempt}-${attempt.phoneTailTriesLeft ?? 0}`}
          rejected={attempt.phoneTailRejected}
          onSubmit={(digits) => void dispatch(submitPhoneTail({ saleId: sale.id, digits }))}
          onCancel={cancel}
        />
      );
      break;
    case 'authorising':
      body = (
        <p className="facepay__big" role="status" data-testid="facepay-authorising">
          {t('facepay.authorising')}
        </p>
      );
      break;
    case 'failed': {
      const code = attempt.failure?.code ?? 'UNAVAILABLE';
      const retry =
        availability.available && code !== 'PAYMENT_UNCERTAIN' && sale.status === 'open';
      body = (
        <>
          <p className="facepay__big facepay__failed" role="alert" data-testid="facepay-failed">
            {t(`facepay.failed.${code}`)}
          </p>
          {code !== 'PAYMENT_UNCERTAIN' && (
            <p className="facepay__fallback" data-testid="facepay-fallback">
              {t('facepay.fallback')}
            </p>
          )}
          <div className="facepay__actions">
            {retry && (
              <button
                type="button"
                className="btn btn-large facepay__confirm"
                onClick={() => void dispatch(startFacePay(sale.id))}
              >
                {t('facepay.tryAgain')}
              </button>
            )}
            {code !== 'PAYMENT_UNCERTAIN' && (
              <button type="button" className="btn btn-large btn-secondary" onClick={onClose}>
                {t('facepay.close')}
              </button>
            )}
          </div>
        </>
      );
      break;
    }
    default:
      return null;
  }

  return (
    <div
      className="facepay"
      role="dialog"
      aria-modal="true"
      aria-label={t('facepay.button')}
      data-testid="facepay-overlay"
      data-phase={attempt.phase}
    >
      <div className="facepay__panel">
        <p className="facepay__amount">{money(attempt.amountFen ?? sale.dueFen)}</p>
        {body}
      </div>
    </div>
  );
}
