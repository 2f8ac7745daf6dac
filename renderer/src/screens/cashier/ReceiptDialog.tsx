import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../../components/Dialog';
import type { Sale } from '../../contract';
import { ReceiptView } from './ReceiptView';

/**
 * The receipt after a sale completes, ready to print. The next scan starts the next sale (and
 * puts this away), as does "New sale" or Esc.
 */
export function ReceiptDialog({ sale, onNewSale }: { sale: Sale; onNewSale: () => void }) {
  const { t } = useTranslation();
  const newSaleRef = useRef<HTMLButtonElement>(null);
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
        <div className="dialog__actions">
          <button type="button" className="btn btn-ghost btn-large" onClick={() => window.print()}>
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
