/**
 * The cashier's screen: barcode entry (and a scanner anywhere), product search, the cart, totals
 * and cash payment with a receipt preview. The server's Sale is the only state of the cart.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { DialogLayer } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBar } from '../../components/StatusBar';
import type { Product } from '../../contract';
import { queryChanged } from '../../features/catalog/catalogSlice';
import {
  addItem,
  clearSaleError,
  dismissCompleted,
  selectCanPay,
  selectCompletedSale,
  selectSale,
  selectSaleError,
} from '../../features/sale/saleSlice';
import { useScanner } from '../../features/scanner/useScanner';
import { selectNeedsShift, selectShift } from '../../features/shift/shiftSlice';
import { BarcodeEntry } from './BarcodeEntry';
import { CartTable } from './CartTable';
import { CashPaymentDialog } from './CashPaymentDialog';
import { OpenShiftDialog } from './OpenShiftDialog';
import { ProductSearch } from './ProductSearch';
import { ReceiptDialog } from './ReceiptDialog';
import { TotalsPanel } from './TotalsPanel';

export function CashierScreen() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const sale = useAppSelector(selectSale);
  const completed = useAppSelector(selectCompletedSale);
  const error = useAppSelector(selectSaleError);
  const canPay = useAppSelector(selectCanPay);
  const shift = useAppSelector(selectShift);
  const needsShift = useAppSelector(selectNeedsShift);
  // The sale the payment dialog was opened for: it closes by itself if that sale goes away.
  const [paymentFor, setPaymentFor] = useState<string | null>(null);
  const paymentOpen = paymentFor !== null && sale?.id === paymentFor && completed === null;
  const barcodeRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const focusBarcode = useCallback(() => {
    // After the current event (a dialog closing returns focus first).
    setTimeout(() => barcodeRef.current?.focus(), 0);
  }, []);

  const addBarcode = useCallback(
    (barcode: string) => void dispatch(addItem({ barcode })),
    [dispatch],
  );
  useScanner(addBarcode);

  const pick = useCallback(
    (product: Product) => {
      void dispatch(addItem({ sku: product.sku }));
      dispatch(queryChanged(''));
      focusBarcode();
    },
    [dispatch, focusBarcode],
  );

  const paymentAllowed = canPay && shift !== null;
  const openPayment = useCallback(() => {
    if (!paymentAllowed || sale === null) return;
    dispatch(clearSaleError());
    setPaymentFor(sale.id);
  }, [dispatch, paymentAllowed, sale]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'F12') {
        event.preventDefault();
        if (!paymentOpen && completed === null && !needsShift) openPayment();
      } else if (event.key === 'F2') {
        event.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openPayment, paymentOpen, completed, needsShift]);

  const closePayment = useCallback(() => {
    setPaymentFor(null);
    focusBarcode();
  }, [focusBarcode]);

  const newSale = useCallback(() => {
    dispatch(dismissCompleted());
    focusBarcode();
  }, [dispatch, focusBarcode]);

  return (
    <div className="screen screen--cashier">
      <StatusBar screen="cashier" title={t('app.cashierTitle')} showShift />
      <DialogLayer
        dialogs={[
          needsShift && <OpenShiftDialog key="shift" onOpened={focusBarcode} />,
          paymentOpen && sale !== null && (
            <CashPaymentDialog key="pay" sale={sale} onClose={closePayment} />
          ),
          completed !== null && (
            <ReceiptDialog key="receipt" sale={completed} onNewSale={newSale} />
          ),
        ]}
      >
        <main className="cashier">
          <section className="cashier__sale">
            <BarcodeEntry inputRef={barcodeRef} onSubmit={addBarcode} />
            <ErrorMessage
              error={paymentOpen ? null : error}
              onDismiss={() => {
                dispatch(clearSaleError());
                focusBarcode();
              }}
              testId="sale-error"
            />
            <CartTable />
          </section>
          <aside className="cashier__side">
            <ProductSearch inputRef={searchRef} onPick={pick} onLeave={focusBarcode} />
            <TotalsPanel />
            {needsShift && <p className="hint">{t('cashier.shiftNeeded')}</p>}
            <button
              type="button"
              className="btn btn-pay"
              disabled={!paymentAllowed}
              aria-keyshortcuts="F12"
              onClick={openPayment}
            >
              {t('cashier.payCash')} <kbd aria-hidden="true">F12</kbd>
            </button>
          </aside>
        </main>
      </DialogLayer>
    </div>
  );
}
