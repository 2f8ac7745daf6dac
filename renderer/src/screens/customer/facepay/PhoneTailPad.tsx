/**
 * The last 4 digits of the customer's phone number, on a large touch keypad (the keyboard's
 * digits work too). Submits by itself once four digits are in.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'] as const;

export function PhoneTailPad({
  rejected,
  onSubmit,
  onCancel,
}: {
  rejected: boolean;
  onSubmit: (digits: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [digits, setDigits] = useState('');
  const current = useRef('');
  const submit = useRef(onSubmit);
  useEffect(() => {
    submit.current = onSubmit;
  }, [onSubmit]);

  const press = useCallback((key: (typeof KEYS)[number]): void => {
    const before = current.current;
    let next = before;
    if (key === 'clear') next = '';
    else if (key === 'back') next = before.slice(0, -1);
    else if (before.length < 4) next = before + key;
    current.current = next;
    setDigits(next);
    if (next.length === 4 && before.length === 3) submit.current(next);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (/^\d$/.test(event.key)) {
        event.preventDefault();
        press(event.key as (typeof KEYS)[number]);
      } else if (event.key === 'Backspace') {
        press('back');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [press]);

  return (
    <div className="facepay__phone" data-testid="facepay-phone">
      <p className="facepay__big" id="facepay-phone-title">
        {t('facepay.phoneTitle')}
      </p>
      {rejected && (
        <p className="facepay__failed" role="alert" data-testid="facepay-phone-wrong">
          {t('facepay.phoneWrong')}
        </p>
      )}
      <output className="facepay__digits" aria-labelledby="facepay-phone-title">
        {[0, 1, 2, 3].map((i) => (
          <span key={i} className="facepay__digit">
            {digits[i] ?? ''}
          </span>
        ))}
      </output>
      <div className="facepay__keys" role="group" aria-labelledby="facepay-phone-title">
        {KEYS.map((key) => (
          <button
            key={key}
            type="button"
            className="btn facepay__key"
            disabled={digits.length >= 4 && key !== 'clear' && key !== 'back'}
            onClick={() => press(key)}
            aria-label={
              key === 'clear' ? t('facepay.keyClear') : key === 'back' ? t('facepay.keyBack') : key
            }
          >
            {key === 'clear' ? 'C' : key === 'back' ? '⌫' : key}
          </button>
        ))}
      </div>
      <button type="button" className="btn btn-ghost facepay__cancel" onClick={onCancel}>
        {t('facepay.cancel')}
      </button>
    </div>
  );
}
