/**
 * The customer display: a calm mirror of the active sale (lines appear as they are scanned, an
 * unmistakable total), "paid, thank you" with the change after payment, a welcome when idle.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { LanguageToggle } from '../../components/LanguageToggle';
import { useLocalName, useMoney } from '../../components/hooks';
import { selectConnection } from '../../features/connection/connectionSlice';
import {
  dismissCompleted,
  selectCompletedSale,
  selectItemCount,
  selectSale,
} from '../../features/sale/saleSlice';
import { selectInfo } from '../../features/system/systemSlice';
import type { Sale } from '../../contract';
import { FacePaySlot } from './FacePaySlot';

/** How long "thank you" stays before the welcome returns. */
export const THANK_YOU_MS = 20_000;

function ActiveSale({ sale }: { sale: Sale }) {
  const { t } = useTranslation();
  const money = useMoney();
  const name = useLocalName();
  const count = useAppSelector(selectItemCount);
  const listRef = useRef<HTMLOListElement>(null);

  useEffect(() => {
    const list = listRef.current;
    if (list !== null) list.lastElementChild?.scrollIntoView({ block: 'nearest' });
  }, [sale.lines]);

  const discount = sale.lineDiscountFen + sale.saleDiscountFen;
  return (
    <div className="customer__sale">
      <section className="customer__lines" aria-labelledby="customer-items-title">
        <h2 id="customer-items-title" className="customer__heading">
          {t('customer.items')}
        </h2>
        <ol ref={listRef} className="customer__list" aria-labelledby="customer-items-title">
          {sale.lines.map((line) => (
            <li key={line.lineNo} className="customer__line" data-testid="customer-line">
              <span className="customer__name">{name(line)}</span>
              <span className="customer__qty">
                {line.qty} × {money(line.unitPriceFen)}
              </span>
              <span className="customer__amount">
                {money(line.grossFen - line.lineDiscountFen)}
              </span>
            </li>
          ))}
        </ol>
      </section>
      <section className="customer__pay" aria-labelledby="customer-total-label">
        <p className="customer__count">{t('totals.items', { count })}</p>
        {discount > 0 && (
          <p className="customer__discount">
            {t('totals.discount')} −{money(discount)}
          </p>
        )}
        <p id="customer-total-label" className="customer__total-label">
          {t('customer.total')}
        </p>
        <output
          className="customer__total"
          aria-labelledby="customer-total-label"
          data-testid="customer-total"
        >
          {money(sale.dueFen > 0 ? sale.dueFen : sale.totalFen)}
        </output>
        <FacePaySlot sale={sale} />
      </section>
    </div>
  );
}

function ThankYou({ sale }: { sale: Sale }) {
  const { t } = useTranslation();
  const money = useMoney();
  const dispatch = useAppDispatch();
  useEffect(() => {
    const timer = setTimeout(() => dispatch(dismissCompleted()), THANK_YOU_MS);
    return () => clearTimeout(timer);
  }, [sale.id, dispatch]);
  return (
    <section className="customer__done" role="status" data-testid="customer-paid">
      <div className="customer__tick" aria-hidden="true">
        ✓
      </div>
      <h2 className="customer__big">{t('customer.paid')}</h2>
      <p className="customer__paid-amount">
        {t('customer.paidAmount', { amount: money(sale.totalFen) })}
      </p>
      {sale.changeFen > 0 && (
        <p className="customer__change">
          <span>{t('customer.change')}</span>{' '}
          <strong data-testid="customer-change">{money(sale.changeFen)}</strong>
        </p>
      )}
    </section>
  );
}

function Welcome() {
  const { t } = useTranslation();
  const info = useAppSelector(selectInfo);
  return (
    <section className="customer__welcome" data-testid="customer-welcome">
      <h2 className="customer__big">{t('customer.welcome')}</h2>
      {info !== null && <p className="customer__shop">{info.shopName}</p>}
      <p className="muted">{t('customer.welcomeHint')}</p>
    </section>
  );
}

export function CustomerScreen() {
  const { t } = useTranslation();
  const sale = useAppSelector(selectSale);
  const completed = useAppSelector(selectCompletedSale);
  const info = useAppSelector(selectInfo);
  const connection = useAppSelector(selectConnection);

  let body;
  if (sale !== null && sale.lines.length > 0) body = <ActiveSale sale={sale} />;
  else if (completed !== null) body = <ThankYou sale={completed} />;
  else body = <Welcome />;

  return (
    <div className="screen screen--customer">
      <header className="customer__bar">
        <span className="customer__brand">{info?.shopName ?? ''}</span>
        {connection !== 'connected' && (
          <span role="status" className="pill pill--warn" data-testid="connection-state">
            {t(`status.${connection}`)}
          </span>
        )}
        <LanguageToggle screen="customer" />
      </header>
      <main className="customer">{body}</main>
    </div>
  );
}
