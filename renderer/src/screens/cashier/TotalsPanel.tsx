import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useMoney } from '../../components/hooks';
import { selectDiscountFen, selectItemCount, selectSale } from '../../features/sale/saleSlice';

/** Subtotal, discount and the total to collect. */
export function TotalsPanel() {
  const { t } = useTranslation();
  const money = useMoney();
  const sale = useAppSelector(selectSale);
  const discount = useAppSelector(selectDiscountFen);
  const count = useAppSelector(selectItemCount);
  const totalId = useId();

  return (
    <section className="totals" aria-label={t('totals.label')}>
      <dl className="totals__list">
        <div className="totals__row">
          <dt>{t('totals.subtotal')}</dt>
          <dd data-testid="cart-subtotal">{money(sale?.subtotalFen ?? 0)}</dd>
        </div>
        <div className="totals__row">
          <dt>{t('totals.discount')}</dt>
          <dd data-testid="cart-discount">{discount > 0 ? `−${money(discount)}` : money(0)}</dd>
        </div>
      </dl>
      <div className="totals__grand">
        <div className="totals__grand-label">
          <span id={totalId}>{t('totals.total')}</span>
          <span className="totals__count" data-testid="cart-count">
            {t('totals.items', { count })}
          </span>
        </div>
        <output aria-labelledby={totalId} className="totals__grand-value" data-testid="cart-total">
          {money(sale?.totalFen ?? 0)}
        </output>
      </div>
    </section>
  );
}
