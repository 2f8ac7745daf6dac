import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { Dialog } from '../../components/Dialog';
import { useLocalName, useMoney } from '../../components/hooks';
import type { Sale } from '../../contract';
import { selectInfo } from '../../features/system/systemSlice';
import { formatDateTime } from '../../lib/time';

/** What the printed receipt will say, shown after a sale completes. */
export function ReceiptDialog({ sale, onNewSale }: { sale: Sale; onNewSale: () => void }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const name = useLocalName();
  const info = useAppSelector(selectInfo);
  const newSaleRef = useRef<HTMLButtonElement>(null);
  const cash = sale.payments.filter((p) => p.method === 'cash');
  const tendered = cash.reduce((sum, p) => sum + (p.tenderedFen ?? p.amountFen), 0);
  const methods = [...new Set(sale.payments.map((p) => p.method))];
  const discount = sale.lineDiscountFen + sale.saleDiscountFen;

  return (
    <Dialog
      title={t('receipt.title')}
      onCancel={onNewSale}
      initialFocus={newSaleRef}
      className="dialog--receipt"
      testId="receipt"
    >
      <div className="dialog__body">
        <article className="receipt" aria-label={t('receipt.title')}>
          <header className="receipt__head">
            <p className="receipt__shop">{info?.shopName ?? ''}</p>
            <p>
              {t('receipt.number')}: <span data-testid="receipt-no">{sale.receiptNo ?? '—'}</span>
            </p>
            <p>
              {t('receipt.time')}:{' '}
              <time dateTime={sale.completedAt ?? undefined} data-testid="receipt-time">
                {formatDateTime(sale.completedAt ?? sale.openedAt, i18n.language, info?.timezone)}
              </time>
            </p>
          </header>
          <ul className="receipt__lines">
            {sale.lines.map((line) => (
              <li key={line.lineNo} className="receipt__line">
                <span className="receipt__name">{name(line)}</span>
                <span className="receipt__qty">
                  {t('receipt.lineQty', { qty: line.qty, price: money(line.unitPriceFen) })}
                </span>
                <span className="receipt__amount">
                  {money(line.grossFen - line.lineDiscountFen)}
                </span>
              </li>
            ))}
          </ul>
          <dl className="receipt__totals">
            {discount > 0 && (
              <div>
                <dt>{t('receipt.discount')}</dt>
                <dd>−{money(discount)}</dd>
              </div>
            )}
            <div className="receipt__total">
              <dt>{t('receipt.total')}</dt>
              <dd data-testid="receipt-total">{money(sale.totalFen)}</dd>
            </div>
            <div>
              <dt>{t('receipt.paidBy')}</dt>
              <dd>{methods.map((m) => t(`methods.${m}`)).join(' + ')}</dd>
            </div>
            {cash.length > 0 && (
              <div>
                <dt>{t('receipt.tendered')}</dt>
                <dd data-testid="receipt-tendered">{money(tendered)}</dd>
              </div>
            )}
            <div>
              <dt>{t('receipt.change')}</dt>
              <dd data-testid="receipt-change">{money(sale.changeFen)}</dd>
            </div>
          </dl>
          <p className="receipt__thanks">{t('receipt.thanks')}</p>
        </article>
        <div className="dialog__actions">
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
