/**
 * The customer display: posters and coupons while idle; the cart as it is scanned with an
 * unmistakable total; while the cashier takes payment, what to pay (and for cash, what was
 * handed over and the change); "paid, thank you" after. The face-pay journey has its slot.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { LanguageToggle } from '../../components/LanguageToggle';
import { useLocalName, useMoney } from '../../components/hooks';
import type { DisplayPayment, PoleDisplayStatus, Sale } from '../../contract';
import { selectConnection } from '../../features/connection/connectionSlice';
import { selectDisplayPayment, selectPosters } from '../../features/display/displaySlice';
import {
  dismissCompleted,
  selectCompletedSale,
  selectItemCount,
  selectSale,
} from '../../features/sale/saleSlice';
import { selectPole } from '../../features/pole/poleSlice';
import { selectInfo } from '../../features/system/systemSlice';
import { cartRows } from '../../lib/cartView';
import { cashChange, type ChangeResult } from '../../lib/money';
import { FacePaySlot } from './FacePaySlot';
import { MembershipOffer } from './facepay/MembershipOffer';
import { PosterCarousel } from './PosterCarousel';
import { QrOutcome, QrShowing } from './QrPanel';
import { selectQr } from '../../features/qr/qrSlice';

/** How long "thank you" stays before the posters return. */
export const THANK_YOU_MS = 20_000;

function PaymentPanel({ sale, payment }: { sale: Sale; payment: DisplayPayment }) {
  const { t } = useTranslation();
  const money = useMoney();
  const change: ChangeResult =
    payment.method === 'cash' ? cashChange(sale.dueFen, payment.tenderedFen) : { state: 'none' };
  return (
    <div className="customer__paying" role="status" data-testid="customer-paying">
      <p className="customer__paying-title">
        {payment.method !== null
          ? t('customer.payingBy', { method: t(`methods.${payment.method}`) })
          : t('customer.paying')}
      </p>
      {sale.paidFen > 0 && (
        <p className="customer__paid-so-far">
          {t('customer.paidSoFar', { amount: money(sale.paidFen) })}
        </p>
      )}
      {payment.method === 'cash' && payment.tenderedFen !== null && (
        <dl className="customer__cash">
          <div>
            <dt>{t('customer.cashGiven')}</dt>
            <dd data-testid="customer-tendered">{money(payment.tenderedFen)}</dd>
          </div>
          {change.state === 'ok' && (
            <div>
              <dt>{t('customer.change')}</dt>
              <dd data-testid="customer-change-preview">{money(change.changeFen)}</dd>
            </div>
          )}
        </dl>
      )}
    </div>
  );
}

function ActiveSale({ sale, payment }: { sale: Sale; payment: DisplayPayment | null }) {
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
  const paying = payment !== null && payment.saleId === sale.id ? payment : null;
  const qr = useAppSelector(selectQr).current;
  return (
    <div className="customer__sale">
      <section className="customer__lines" aria-labelledby="customer-items-title">
        <h2 id="customer-items-title" className="customer__heading">
          {t('customer.items')}
        </h2>
        <ol ref={listRef} className="customer__list" aria-labelledby="customer-items-title">
          {cartRows(sale.lines).map(({ line, amountFen }) => (
            <li key={line.lineNo} className="customer__line" data-testid="customer-line">
              <span className="customer__name">
                {name(line)}
                {line.lineDiscountFen > 0 && (
                  <span className="customer__line-discount">
                    {t('cart.lineDiscount', { amount: money(line.lineDiscountFen) })}
                  </span>
                )}
              </span>
              <span className="customer__qty">
                {line.qty} × {money(line.unitPriceFen)}
              </span>
              <span className="customer__amount">{money(amountFen)}</span>
            </li>
          ))}
        </ol>
      </section>
      <section className="customer__pay" aria-labelledby="customer-total-label">
        <p className="customer__count">{t('totals.items', { count })}</p>
        {discount > 0 && (
          <p className="customer__discount" data-testid="customer-discount">
            {t('customer.youSave', { amount: money(discount) })}
          </p>
        )}
        <p id="customer-total-label" className="customer__total-label">
          {sale.paidFen > 0 ? t('customer.remaining') : t('customer.total')}
        </p>
        <output
          className="customer__total"
          aria-labelledby="customer-total-label"
          data-testid="customer-total"
        >
          {money(sale.dueFen > 0 ? sale.dueFen : sale.totalFen)}
        </output>
        {paying !== null && <PaymentPanel sale={sale} payment={paying} />}
        {qr !== null && qr.saleId === sale.id && <QrOutcome qr={qr} />}
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
      <ul className="customer__tenders">
        {sale.payments.map((p) => (
          <li key={p.id}>
            {t(`methods.${p.method}`)} {money(p.tenderedFen ?? p.amountFen)}
          </li>
        ))}
      </ul>
      {sale.changeFen > 0 && (
        <p className="customer__change">
          <span>{t('customer.change')}</span>{' '}
          <strong data-testid="customer-change">{money(sale.changeFen)}</strong>
        </p>
      )}
      <MembershipOffer sale={sale} />
    </section>
  );
}

/**
 * The register's amount, read from its pole-display line (--pole-display), as soon as it shows
 * one: a total with the ways to pay, or the change. Paying starts once the cashier confirms it.
 */
function RegisterAmount({ amount }: { amount: NonNullable<PoleDisplayStatus['amount']> }) {
  const { t } = useTranslation();
  const money = useMoney();
  const { amountFen, kind } = amount;
  return (
    <section className="customer__register" role="status" data-testid="customer-register">
      <p id="customer-register-label" className="customer__total-label">
        {t(`pole.kind.${kind}`)}
      </p>
      <output
        className="customer__total"
        aria-labelledby="customer-register-label"
        data-testid="customer-register-amount"
      >
        {money(amountFen)}
      </output>
      {kind === 'total' && (
        <ul className="customer__pay-choices" aria-label={t('pole.payChoices')}>
          {(['face', 'qr', 'card', 'cash'] as const).map((method) => (
            <li key={method}>{t(`methods.${method}`)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Welcome() {
  const { t } = useTranslation();
  const info = useAppSelector(selectInfo);
  const posters = useAppSelector(selectPosters);
  return (
    <section className="customer__welcome" data-testid="customer-welcome">
      <h2 className="customer__big">{t('customer.welcome')}</h2>
      {info !== null && <p className="customer__shop">{info.shopName}</p>}
      {posters.length > 0 ? (
        <PosterCarousel posters={posters} />
      ) : (
        <p className="muted">{t('customer.welcomeHint')}</p>
      )}
    </section>
  );
}

export function CustomerScreen() {
  const { t } = useTranslation();
  const sale = useAppSelector(selectSale);
  const completed = useAppSelector(selectCompletedSale);
  const info = useAppSelector(selectInfo);
  const connection = useAppSelector(selectConnection);
  const payment = useAppSelector(selectDisplayPayment);
  const pole = useAppSelector(selectPole);
  const qr = useAppSelector(selectQr).current;

  let body;
  // The sale's QR, while it can be paid, has the whole screen: a phone reads it at arm's length.
  if (sale !== null && qr !== null && qr.saleId === sale.id && qr.state === 'showing')
    body = <QrShowing qr={qr} />;
  else if (sale !== null && sale.lines.length > 0)
    body = <ActiveSale sale={sale} payment={payment} />;
  // A fresh total from the register goes before the last sale's thank-you; a change or a total
  // already answered at the till only after it.
  else if (pole?.amount && pole.payableFen !== null) body = <RegisterAmount amount={pole.amount} />;
  else if (completed !== null) body = <ThankYou sale={completed} />;
  else if (pole?.amount) body = <RegisterAmount amount={pole.amount} />;
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
