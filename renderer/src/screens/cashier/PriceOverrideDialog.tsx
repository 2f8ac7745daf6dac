import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../app/invoke';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLocalName, useMoney } from '../../components/hooks';
import { isPinShaped, PinField } from '../../components/PinField';
import type { Sale, SaleLine } from '../../contract';
import type { UiError } from '../../lib/errors';
import { parseYuanToFen } from '../../lib/money';
import { AmountField } from './AmountField';

/** A new unit price for the selected line; always needs a manager's PIN. */
export function PriceOverrideDialog({
  sale,
  line,
  onClose,
}: {
  sale: Sale;
  line: SaleLine;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const call = useCall();
  const money = useMoney();
  const name = useLocalName();
  const [value, setValue] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<UiError | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const parsed = parseYuanToFen(value);

  return (
    <Dialog
      title={t('price.title')}
      onCancel={onClose}
      initialFocus={inputRef}
      testId="price-dialog"
    >
      <form
        className="dialog__body"
        onSubmit={(event) => {
          event.preventDefault();
          if (!parsed.ok) return inputRef.current?.focus();
          if (!isPinShaped(pin)) return setError({ kind: 'local', reason: 'pinRequired' });
          setBusy(true);
          void call('sale.overridePrice', {
            saleId: sale.id,
            lineNo: line.lineNo,
            unitPriceFen: parsed.fen,
            managerPin: pin,
          }).then((result) => {
            setBusy(false);
            if (result.ok) return onClose();
            setError(result.error);
            setPin('');
          });
        }}
      >
        <p>{t('price.current', { name: name(line), amount: money(line.unitPriceFen) })}</p>
        <AmountField
          label={t('price.newPrice')}
          value={value}
          onChange={setValue}
          parsed={parsed}
          showError={value !== '' && !parsed.ok}
          inputRef={inputRef}
        />
        <PinField label={t('approval.managerPin')} value={pin} onChange={setPin} />
        <ErrorMessage error={error} />
        <div className="dialog__actions">
          <button type="button" className="btn btn-ghost btn-large" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn-primary btn-large" disabled={busy}>
            {t('price.apply')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
