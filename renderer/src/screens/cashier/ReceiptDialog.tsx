import { useCallback, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { Sale } from '../../contract';
import { usePrintReceipt } from '../../features/peripherals/usePrintReceipt';
import { ReceiptView } from './ReceiptView';

/**
 * The receipt after a sale completes. With a receipt printer attached it has already printed by
 * itself (unless the manager turned that off); Print sends another copy, which says REPRINT. The
 * next scan starts the next sale (and puts this away), as does "New sale" or Esc.
 */
export function ReceiptDialog({ sale, onNewSale }: { sale: Sale; onNewSale: () => void }) {
  const { t } = useTranslation();
  const newSaleRef = useRef<HTMLButtonElement>(null);
  const browserPrint = useCallback(() => window.print(), []);
  const printing = usePrintReceipt(browserPrint);
  return (
    <Dialog
      title={t('receipt.title')}
      onCancel={onNewSale}
      initialFocus={newSaleRef}
      className="dialog--receipt"
      testId="receipt"
    >
      <div className="dialog__body">
        <ReceiptView sale={sale} />
        {printing.notice !== null && (
          <p role="status" className="notice notice--ok" data-testid="print-done">
            {printing.notice}
          </p>
        )}
        <ErrorMessage error={printing.error} testId="print-error" />
        <div className="dialog__actions">
          <button
            type="button"
            className="btn btn-ghost btn-large"
            aria-busy={printing.busy}
            onClick={() => void printing.print(sale.id)}
          >
            {t('receipt.print')}
          </button>
          <button
            ref={newSaleRef}
            type="button"
            className="btn btn-primary btn-large"
            onClick={onNewSale}
          >
            {t('receipt.newSale')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
