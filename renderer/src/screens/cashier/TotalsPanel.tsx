import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useMoney } from '../../components/hooks';
import { selectSale } from '../../features/sale/saleSlice';
import { cartTotals } from '../../lib/cartView';

/** Subtotal, discounts, tax and the total to collect, as the ledger priced them. */
export function TotalsPanel() {
  const { t } = useTranslation();
  const money = useMoney();
  const sale = useAppSelector(selectSale);
  const totals = cartTotals(sale);
  const totalId = useId();
  const discount = totals.lineDiscountFen + totals.saleDiscountFen;

  return (
    <section className="totals" aria-label={t('totals.label')}>
      <dl className="totals__list">
        <div className="totals__row">
          <dt>{t('totals.subtotal')}</dt>
          <dd data-testid="cart-subtotal">{money(totals.subtotalFen)}</dd>
        </div>
        <div className="totals__row">
          <dt>{t('totals.lineDiscounts')}</dt>
          <dd data-testid="cart-line-discounts">
            {totals.lineDiscountFen > 0 ? `−${money(totals.lineDiscountFen)}` : money(0)}
          </dd>
        </div>
        <div className="totals__row">
          <dt>{t('totals.saleDiscount')}</dt>
          <dd data-testid="cart-sale-discount">
            {totals.saleDiscountFen > 0 ? `−${money(totals.saleDiscountFen)}` : money(0)}
          </dd>
        </div>
        <div className="totals__row visually-hidden">
          <dt>{t('totals.discount')}</dt>
          <dd data-testid="cart-discount">{discount > 0 ? `−${money(discount)}` : money(0)}</dd>
        </div>
        <div className="totals__row">
          <dt>{t('totals.tax')}</dt>
          <dd data-testid="cart-tax">{money(totals.taxFen)}</dd>
        </div>
        {totals.paidFen > 0 && (
          <div className="totals__row">
            <dt>{t('totals.paid')}</dt>
            <dd data-testid="cart-paid">{money(totals.paidFen)}</dd>
          </div>
        )}
      </dl>
      <div className="totals__grand">
        <div className="totals__grand-label">
          <span id={totalId}>{totals.paidFen > 0 ? t('totals.due') : t('totals.total')}</span>
          <span className="totals__count" data-testid="cart-count">
            {t('totals.items', { count: totals.itemCount })}
          </span>
        </div>
        <output aria-labelledby={totalId} className="totals__grand-value" data-testid="cart-total">
          {money(totals.paidFen > 0 ? totals.dueFen : totals.totalFen)}
        </output>
      </div>
    </section>
  );
}
