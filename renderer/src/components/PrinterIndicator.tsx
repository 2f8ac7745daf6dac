import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../app/hooks';
import { selectPeripherals } from '../features/peripherals/peripheralsSlice';

/**
 * The receipt printer in the status bar: absent, ready, printing or in error. A failed job stays
 * in view (which receipt, and why) until a later one prints: the sale is kept, so F8 reprints it.
 */
export function PrinterIndicator() {
  const { t } = useTranslation();
  const status = useAppSelector(selectPeripherals);
  if (status === null) return null;
  const { printer, lastError } = status;
  const failure =
    lastError === null
      ? null
      : lastError.job === 'receipt'
        ? t('printer.failedReceipt', {
            receiptNo: lastError.receiptNo ?? '',
            fault: t(`printer.fault.${lastError.fault}`),
          })
        : t('printer.failedDrawer', { fault: t(`printer.fault.${lastError.fault}`) });
  return (
    <>
      <span
        className={`pill pill--printer pill--printer-${printer.state}`}
        data-testid="printer-state"
        data-state={printer.state}
        title={[t('printer.label'), printer.name].filter(Boolean).join(': ')}
      >
        {t(`printer.state.${printer.state}`)}
      </span>
      {failure !== null && (
        <span role="alert" className="status-bar__alert" data-testid="printer-error">
          {failure}
        </span>
      )}
    </>
  );
}
