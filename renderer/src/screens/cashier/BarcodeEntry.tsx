import { useId, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { QTY_KEY, quantityFromTyped } from '../../features/sale/quantityEntry';

/**
 * The barcode field (focused by default). Typing a code and pressing Enter adds the item; a
 * scanner's input is caught by the scanner detector wherever focus is, so it arrives here too.
 * Digits then `*` set the next item's quantity (24 * scan), shown beside the field until used.
 */
export function BarcodeEntry({
  inputRef,
  onSubmit,
  pendingQty,
  onQuantity,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  onSubmit: (barcode: string) => void;
  pendingQty: number | null;
  /** The quantity typed before `*`, or null when what was typed is no quantity. */
  onQuantity: (qty: number | null) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <form
      className="barcode-entry"
      onSubmit={(event) => {
        event.preventDefault();
        const input = inputRef.current;
        if (input === null) return;
        const code = input.value.trim();
        input.value = '';
        if (code !== '') onSubmit(code);
      }}
    >
      <label htmlFor={id} className="field-label">
        {t('cashier.barcode')}
      </label>
      <div className="barcode-entry__row">
        <input
          id={id}
          ref={inputRef}
          className="input input--large"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          enterKeyHint="enter"
          maxLength={64}
          placeholder={t('cashier.barcodeHint')}
          autoFocus
          onKeyDown={(event) => {
            if (event.key !== QTY_KEY) return;
            // `*` never goes into the field: it turns the digits typed so far into a quantity.
            event.preventDefault();
            const qty = quantityFromTyped(event.currentTarget.value);
            if (qty !== null) event.currentTarget.value = '';
            onQuantity(qty);
          }}
        />
        {pendingQty !== null && (
          <span className="barcode-entry__qty" role="status" data-testid="pending-qty">
            {t('cashier.qtyNext', { qty: pendingQty })}
          </span>
        )}
        <button type="submit" className="btn btn-secondary">
          {t('cashier.add')}
        </button>
      </div>
    </form>
  );
}
