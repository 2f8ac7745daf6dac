import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCall } from '../../app/invoke';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useMoney } from '../../components/hooks';
import type { Sale } from '../../contract';
import type { UiError } from '../../lib/errors';

/** Void the sale in progress (before any payment); it stays in the ledger as voided. */
export function VoidSaleDialog({ sale, onClose }: { sale: Sale; onClose: () => void }) {
  const { t } = useTranslation();
  const call = useCall();
  const money = useMoney();
  const [error, setError] = useState<UiError | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={t('void.title')}
      onCancel={onClose}
      initialFocus={confirmRef}
      testId="void-dialog"
    >
      <div className="dialog__body">
        <p>{t('void.confirm', { count: sale.lines.length, amount: money(sale.totalFen) })}</p>
        <ErrorMessage error={error} />
        <div className="dialog__actions">
          <button type="button" className="btn btn-ghost btn-large" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button
            ref={confirmRef}
            type="button"
            className="btn btn-danger btn-large"
            onClick={() =>
              void call('sale.void', { saleId: sale.id }).then((r) =>
                r.ok ? onClose() : setError(r.error),
              )
            }
          >
            {t('void.doIt')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
