import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useLocalName, useMoney } from '../../components/hooks';
import type { Sale } from '../../contract';
import { selectInfo } from '../../features/system/systemSlice';
import { cartRows } from '../../lib/cartView';
import { formatDateTime } from '../../lib/time';

/** The receipt as it prints: shop, number, time, lines, discounts, tax, total, tenders. */
export function ReceiptView({ sale, reprint = false }: { sale: Sale; reprint?: boolean }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const name = useLocalName();
  const info = useAppSelector(selectInfo);
  const cash = sale.payments.filter((p) => p.method === 'cash');
  const tendered = cash.reduce((sum, p) => sum + (p.tenderedFen ?? p.amountFen), 0);
  return (
    <article className="receipt print-area" aria-label={t('receipt.title')}>
      <header className="receipt__head">
        <p className="receipt__shop">{info?.shopName ?? ''}</p>
        {reprint && <p className="receipt__reprint">{t('receipt.reprint')}</p>}
        <p>
          {t('receipt.number')}: <span data-testid="receipt-no">{sale.receiptNo ?? '—'}</span>
        </p>
        <p>
          {t('receipt.time')}:{' '}
          <time dateTime={sale.completedAt ?? undefined} data-testid="receipt-time">
            {formatDateTime(sale.completedAt ?? sale.openedAt, i18n.language, info?.timezone)}
          </time>
        </p>
        {sale.operator !== null && (
          <p>
            {t('receipt.cashier')}: <span data-testid="receipt-cashier">{sale.operator.name}</span>
          </p>
        )}
      </header>
      <ul className="receipt__lines">
        {cartRows(sale.lines).map(({ line, amountFen }) => (
          <li key={line.lineNo} className="receipt__line">
            <span className="receipt__name">{name(line)}</span>
            <span className="receipt__qty">
              {t('receipt.lineQty', { qty: line.qty, price: money(line.unitPriceFen) })}
              {line.lineDiscountFen > 0 &&
                ` (${t('cart.lineDiscount', { amount: money(line.lineDiscountFen) })})`}
            </span>
            <span className="receipt__amount">{money(amountFen)}</span>
          </li>
        ))}
      </ul>
      <dl className="receipt__totals">
        {sale.saleDiscountFen > 0 && (
          <div>
            <dt>{t('totals.saleDiscount')}</dt>
            <dd>−{money(sale.saleDiscountFen)}</dd>
          </div>
        )}
        <div className="receipt__total">
          <dt>{t('receipt.total')}</dt>
          <dd data-testid="receipt-total">{money(sale.totalFen)}</dd>
        </div>
        <div>
          <dt>{t('totals.tax')}</dt>
          <dd>{money(sale.taxFen)}</dd>
        </div>
        {sale.payments.map((p) => (
          <div key={p.id}>
            <dt>{t(`methods.${p.method}`)}</dt>
            <dd data-testid="receipt-payment">{money(p.amountFen)}</dd>
          </div>
        ))}
        {/* Tendered and change are cash lines: face, card or QR give no change. */}
        {cash.length > 0 && (
          <>
            <div>
              <dt>{t('receipt.tendered')}</dt>
              <dd data-testid="receipt-tendered">{money(tendered)}</dd>
            </div>
            <div>
              <dt>{t('receipt.change')}</dt>
              <dd data-testid="receipt-change">{money(sale.changeFen)}</dd>
            </div>
          </>
        )}
        {sale.refundedFen > 0 && (
          <div>
            <dt>{t('receipt.refunded')}</dt>
            <dd data-testid="receipt-refunded">−{money(sale.refundedFen)}</dd>
          </div>
        )}
      </dl>
      <p className="receipt__thanks">{t('receipt.thanks')}</p>
    </article>
  );
}
