/**
 * A discount on the selected line or on the whole sale, as an amount or a percentage. Above
 * the shop's limit a manager's PIN is asked for here, and main checks it again.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isPinError, useCall } from '../../app/invoke';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLocalName, useMoney } from '../../components/hooks';
import { isPinShaped, PinField } from '../../components/PinField';
import type { Sale, SaleLine } from '../../contract';
import type { UiError } from '../../lib/errors';
import { parseYuanToFen } from '../../lib/money';
import { formatBp } from '../../lib/time';
import { AmountField } from './AmountField';

/** Fen for a percentage typed as text ("15" or "12.5"), rounded half up; null if not valid. */
export function percentOf(baseFen: number, text: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d))?$/.exec(text.trim());
  if (match === null) return null;
  const tenths = Number(match[1]) * 10 + Number(match[2] ?? '0');
  if (tenths > 1000) return null;
  return Math.floor((2 * baseFen * tenths + 1000) / 2000);
}

export function DiscountDialog({
  sale,
  line,
  onClose,
}: {
  sale: Sale;
  /** The line to discount, or null for the whole sale. */
  line: SaleLine | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const money = useMoney();
  const name = useLocalName();
  const [mode, setMode] = useState<'amount' | 'percent'>('amount');
  const [value, setValue] = useState('');
  const [pin, setPin] = useState('');
  const [limitBp, setLimitBp] = useState<number | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [pinAsked, setPinAsked] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void call('settings.get', {}).then((r) => {
      if (r.ok) setLimitBp(r.value.discountLimitBp);
    });
  }, [call]);

  const base = line !== null ? line.grossFen : sale.subtotalFen - sale.lineDiscountFen;
  const parsed = parseYuanToFen(value);
  const discountFen = mode === 'amount' ? (parsed.ok ? parsed.fen : null) : percentOf(base, value);
  const overLimit =
    discountFen !== null && limitBp !== null && discountFen * 10_000 > base * limitBp;
  const needsPin = overLimit || pinAsked;

  const apply = async (): Promise<void> => {
    if (discountFen === null || busy) return inputRef.current?.focus();
    if (needsPin && !isPinShaped(pin)) {
      setError({ kind: 'local', reason: 'pinRequired' });
      return;
    }
    setBusy(true);
    const managerPin = needsPin ? { managerPin: pin } : {};
    const result =
      line !== null
        ? await call('sale.setLineDiscount', {
            saleId: sale.id,
            lineNo: line.lineNo,
            discountFen,
            ...managerPin,
          })
        : await call('sale.setSaleDiscount', { saleId: sale.id, discountFen, ...managerPin });
    setBusy(false);
    if (result.ok) return onClose();
    setError(result.error);
    if (isPinError(result.error)) {
      setPinAsked(true);
      setPin('');
    }
  };

  return (
    <Dialog
      title={line !== null ? t('discount.lineTitle') : t('discount.saleTitle')}
      onCancel={onClose}
      initialFocus={inputRef}
      testId="discount-dialog"
    >
      <form
        className="dialog__body"
        onSubmit={(event) => {
          event.preventDefault();
          void apply();
        }}
      >
        <p>
          {line !== null
            ? t('discount.lineOf', { name: name(line), amount: money(base) })
            : t('discount.saleOf', { amount: money(base) })}
        </p>
        <div className="segmented" role="radiogroup" aria-label={t('discount.kind')}>
          {(['amount', 'percent'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="radio"
              aria-checked={mode === m}
              className={`btn segmented__option ${mode === m ? 'segmented__option--on' : ''}`}
              onClick={() => {
                setMode(m);
                setValue('');
                inputRef.current?.focus();
              }}
            >
              {t(`discount.${m}`)}
            </button>
          ))}
        </div>
        {mode === 'amount' ? (
          <AmountField
            label={t('discount.amountLabel')}
            value={value}
            onChange={setValue}
            parsed={parsed}
            showError={value !== '' && !parsed.ok}
            inputRef={inputRef}
          />
        ) : (
          <label className="field">
            <span className="field-label">{t('discount.percentLabel')}</span>
            <input
              ref={inputRef}
              className="input input--large input--amount"
              type="text"
              inputMode="decimal"
              autoComplete="off"
              maxLength={5}
              value={value}
              onChange={(event) => setValue(event.target.value)}
            />
          </label>
        )}
        {discountFen !== null && (
          <p data-testid="discount-preview">
            {t('discount.preview', { amount: money(discountFen) })}
          </p>
        )}
        {limitBp !== null && (
          <p className={overLimit ? 'hint' : 'muted'}>
            {t('discount.limit', { limit: formatBp(limitBp, i18n.language) })}
          </p>
        )}
        {needsPin && <PinField label={t('approval.managerPin')} value={pin} onChange={setPin} />}
        <ErrorMessage error={error} />
        <div className="dialog__actions">
          <button type="button" className="btn btn-ghost btn-large" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary btn-large" disabled={busy}>
            {t('discount.apply')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
