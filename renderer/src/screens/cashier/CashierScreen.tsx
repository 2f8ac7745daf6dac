/**
 * The cashier's screen, keyboard first: barcode entry (and a scanner anywhere), the cart, totals,
 * payment, product search and category tiles, and a key for every action (F1 lists them). The
 * server's Sale is the only state of the cart; this screen decides which window is open and what
 * each key and scan does.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { DialogLayer } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { AuditBanner } from '../../components/AuditBanner';
import { StatusBar } from '../../components/StatusBar';
import { classifyPaymentCode, type Product } from '../../contract';
import { selectNeedsSignIn, selectOperatorLoaded } from '../../features/auth/authSlice';
import { queryChanged } from '../../features/catalog/catalogSlice';
import { CashierFacePay, useFacePayStart } from '../../features/facepay/CashierFacePay';
import { holdSale } from '../../features/held/heldSlice';
import { payByCode, payCodeCleared } from '../../features/paycode/payCodeSlice';
import { commandFor, type CashierCommand } from '../../features/keyboard/keymap';
import {
  addItem,
  clearSaleError,
  dismissCompleted,
  removeLine,
  saleErrorShown,
  selectCanPay,
  selectIsZeroSale,
  selectCompletedSale,
  selectionMoved,
  selectSale,
  selectSaleError,
  selectSelectedLine,
  setQty,
} from '../../features/sale/saleSlice';
import { confirmPole, selectPoleBusy, selectPoleOffer } from '../../features/pole/poleSlice';
import { useScanner } from '../../features/scanner/useScanner';
import { selectNeedsShift, selectShift } from '../../features/shift/shiftSlice';
import { BarcodeEntry } from './BarcodeEntry';
import { CartTable } from './CartTable';
import { CategoryGrid } from './CategoryGrid';
import { DiscountDialog } from './DiscountDialog';
import { FunctionKeyBar } from './FunctionKeyBar';
import { HeldSalesDialog } from './HeldSalesDialog';
import { HelpOverlay } from './HelpOverlay';
import { OpenShiftDialog } from './OpenShiftDialog';
import { PaymentDialog, type DialogMethod } from './PaymentDialog';
import { PoleOffer } from './PoleOffer';
import { ZeroSaleDialog } from './ZeroSaleDialog';
import { PriceOverrideDialog } from './PriceOverrideDialog';
import { ProductSearch } from './ProductSearch';
import { ReceiptDialog } from './ReceiptDialog';
import { ReceiptsDialog } from './ReceiptsDialog';
import { ShiftDialog } from './ShiftDialog';
import { SignInDialog } from './SignInDialog';
import { TotalsPanel } from './TotalsPanel';
import { VoidSaleDialog } from './VoidSaleDialog';

/** Performance mark set once the cashier's screen first takes input (sign-in or barcode). */
export const INTERACTIVE_MARK = 'pos:cashier-interactive';

type OpenWindow =
  | { kind: 'help' }
  | { kind: 'pay'; saleId: string; method: DialogMethod }
  | { kind: 'held' }
  | { kind: 'lineDiscount' }
  | { kind: 'saleDiscount' }
  | { kind: 'price' }
  | { kind: 'receipts' }
  | { kind: 'shift' }
  | { kind: 'void' };

/** A wallet's payment code, or a foreign one to refuse: never looked up as a product. */
function isPaymentCodeShaped(text: string): boolean {
  const check = classifyPaymentCode(text);
  return check.ok || check.reason === 'foreign';
}

/** Focus is in a field that wants keys for itself (the barcode field only when it has text). */
function typingIn(target: Element | null, barcode: HTMLInputElement | null): boolean {
  if (target === null) return false;
  if (target === barcode) return barcode.value !== '';
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

export function CashierScreen() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const sale = useAppSelector(selectSale);
  const completed = useAppSelector(selectCompletedSale);
  const error = useAppSelector(selectSaleError);
  const canPay = useAppSelector(selectCanPay);
  const zeroSale = useAppSelector(selectIsZeroSale);
  const shift = useAppSelector(selectShift);
  const needsShift = useAppSelector(selectNeedsShift);
  const needsSignIn = useAppSelector(selectNeedsSignIn);
  const selectedLine = useAppSelector(selectSelectedLine);
  const poleOffer = useAppSelector(selectPoleOffer);
  const poleBusy = useAppSelector(selectPoleBusy);
  const [open, setOpen] = useState<OpenWindow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [lastReceiptNo, setLastReceiptNo] = useState('');
  /** The quantity typed before `*` for the next item added (scan, barcode, search, tile). */
  const [pendingQty, setPendingQty] = useState<number | null>(null);
  if (completed?.receiptNo != null && completed.receiptNo !== lastReceiptNo)
    setLastReceiptNo(completed.receiptNo);
  const barcodeRef = useRef<HTMLInputElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  // The payment window belongs to its sale: it goes when that sale completes or goes away.
  const window_ =
    open?.kind === 'pay' && (sale?.id !== open.saleId || completed !== null) ? null : open;
  const showSignIn = needsSignIn;
  const showOpenShift = !showSignIn && needsShift && window_?.kind !== 'shift';
  const showReceipt = !showSignIn && !showOpenShift && completed !== null && window_ === null;
  const anyWindow = showSignIn || showOpenShift || showReceipt || window_ !== null;
  // The register's total is offered while nothing is rung up at the till (one sale at a time).
  const showPoleOffer =
    poleOffer !== null && !anyWindow && (sale === null || sale.lines.length === 0);

  const focusBarcode = useCallback(() => {
    // After the current event (a dialog closing returns focus first).
    setTimeout(() => barcodeRef.current?.focus(), 0);
  }, []);

  const close = useCallback(() => {
    setOpen(null);
    focusBarcode();
  }, [focusBarcode]);

  const say = useCallback((text: string) => {
    setNotice(text);
    setTimeout(() => setNotice((current) => (current === text ? null : current)), 4000);
  }, []);

  const addBarcode = useCallback(
    (barcode: string) => {
      setNotice(null);
      setPendingQty(null);
      void dispatch(addItem({ barcode, qty: pendingQty ?? 1 }));
    },
    [dispatch, pendingQty],
  );

  const quantityTyped = useCallback(
    (qty: number | null) => {
      if (qty === null) {
        dispatch(saleErrorShown({ kind: 'local', reason: 'qtyInvalid' }));
        return;
      }
      dispatch(clearSaleError());
      setPendingQty(qty);
    },
    [dispatch],
  );

  const paying = window_?.kind === 'pay' && !showSignIn && !showOpenShift;
  const paymentAllowed = canPay && shift !== null;

  /**
   * A customer's payment code (付款码), scanned or typed where a barcode goes: it pays the open
   * sale through the payment window (opened on the code's own tab if it was not), never looked
   * up as a product. Without a sale to pay it is refused with a word, the code not shown.
   */
  const payWithCode = useCallback(
    (code: string) => {
      if (!paymentAllowed || sale === null || (anyWindow && !paying)) {
        dispatch(saleErrorShown({ kind: 'local', reason: 'scanWhileOpen' }));
        return;
      }
      dispatch(clearSaleError());
      if (!paying) setOpen({ kind: 'pay', saleId: sale.id, method: 'code' });
      void dispatch(payByCode({ saleId: sale.id, code }));
    },
    [paymentAllowed, sale, anyWindow, paying, dispatch],
  );

  // A scan is never typed into a field. A payment code pays (above). With the receipt showing a
  // product starts the next sale; while paying it adds to the sale being paid (the customer
  // hands over one more thing: the payment window shows the new total, or why the sale cannot
  // change after a part payment); with any other window open it is refused with a word, so an
  // item never lands where it should not.
  const onScan = useCallback(
    (barcode: string) => {
      if (isPaymentCodeShaped(barcode)) {
        payWithCode(barcode);
        return;
      }
      if (showReceipt) {
        dispatch(dismissCompleted());
        addBarcode(barcode);
        focusBarcode();
        return;
      }
      if (paying) {
        addBarcode(barcode);
        return;
      }
      if (anyWindow) {
        dispatch(saleErrorShown({ kind: 'local', reason: 'scanWhileOpen' }));
        return;
      }
      addBarcode(barcode);
    },
    [showReceipt, paying, anyWindow, dispatch, addBarcode, focusBarcode, payWithCode],
  );
  useScanner(onScan);

  const pick = useCallback(
    (product: Product) => {
      setPendingQty(null);
      void dispatch(addItem({ sku: product.sku, qty: pendingQty ?? 1 }));
      dispatch(queryChanged(''));
      focusBarcode();
    },
    [dispatch, focusBarcode, pendingQty],
  );

  // A sale of ¥0.00 is "paid" by completing it (F12 / Pay): no tender, no face pay.
  const completeAllowed = (canPay || zeroSale) && shift !== null;
  const openPayment = useCallback(
    (method: DialogMethod) => {
      if (!completeAllowed || sale === null) return;
      dispatch(clearSaleError());
      dispatch(payCodeCleared());
      setOpen({ kind: 'pay', saleId: sale.id, method });
    },
    [dispatch, completeAllowed, sale],
  );

  const facePay = useFacePayStart(sale, paymentAllowed && !anyWindow);
  const startFacePay = facePay.start;

  const run = useCallback(
    (command: CashierCommand) => {
      const hasLines = sale !== null && sale.lines.length > 0;
      switch (command) {
        case 'help':
          return setOpen({ kind: 'help' });
        case 'search':
          return searchRef.current?.focus();
        case 'shift':
          return setOpen({ kind: 'shift' });
        case 'hold':
          return void dispatch(holdSale()).then((r) => {
            if (holdSale.fulfilled.match(r)) say(t('held.done'));
            else if (r.payload) dispatch(saleErrorShown(r.payload));
            focusBarcode();
          });
        case 'recall':
          return setOpen({ kind: 'held' });
        case 'lineDiscount':
          return selectedLine !== null ? setOpen({ kind: 'lineDiscount' }) : undefined;
        case 'saleDiscount':
          return hasLines ? setOpen({ kind: 'saleDiscount' }) : undefined;
        case 'receipts':
          return setOpen({ kind: 'receipts' });
        case 'priceOverride':
          return selectedLine !== null ? setOpen({ kind: 'price' }) : undefined;
        case 'voidSale':
          return hasLines ? setOpen({ kind: 'void' }) : undefined;
        case 'pay':
          return openPayment('cash');
        case 'facePay':
          return startFacePay();
        case 'qtyUp':
        case 'qtyDown': {
          if (selectedLine === null) return;
          const qty = selectedLine.qty + (command === 'qtyUp' ? 1 : -1);
          if (qty >= 1) void dispatch(setQty({ lineNo: selectedLine.lineNo, qty }));
          return;
        }
        case 'removeLine':
          return selectedLine !== null ? void dispatch(removeLine(selectedLine.lineNo)) : undefined;
        case 'selectUp':
        case 'selectDown':
          return void dispatch(selectionMoved(command === 'selectUp' ? -1 : 1));
        case 'back':
          setPendingQty(null);
          dispatch(clearSaleError());
          dispatch(queryChanged(''));
          return focusBarcode();
      }
    },
    [sale, selectedLine, dispatch, say, t, focusBarcode, openPayment, startFacePay],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (anyWindow) {
        // F1 and the function keys wait until the window is closed; browsers' own uses of them
        // (help, find, reload, full screen) never apply at the till.
        if (/^F\d{1,2}$/.test(event.key)) event.preventDefault();
        // With the last receipt showing, F2 starts the next sale at the search, as a scan starts
        // it with the item: otherwise the first F2 only looked ignored and a second was needed.
        if (showReceipt && commandFor(event, { typing: true }) === 'search') {
          dispatch(dismissCompleted());
          setTimeout(() => searchRef.current?.focus(), 0);
        }
        return;
      }
      const typing = typingIn(document.activeElement, barcodeRef.current);
      // Enter with nothing typed takes the register's total (the banner says so); not from a
      // button, whose own Enter (Dismiss, say) is the cashier's choice.
      const active = document.activeElement;
      const atTheTill =
        active === null || active === document.body || active === barcodeRef.current;
      if (
        showPoleOffer &&
        !poleBusy &&
        event.key === 'Enter' &&
        !typing &&
        atTheTill &&
        poleOffer !== null
      ) {
        event.preventDefault();
        void dispatch(confirmPole(poleOffer)).then(focusBarcode);
        return;
      }
      const command = commandFor(event, { typing });
      if (command === null) {
        if (/^F\d{1,2}$/.test(event.key)) event.preventDefault();
        return;
      }
      event.preventDefault();
      run(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [anyWindow, showReceipt, dispatch, run, showPoleOffer, poleBusy, poleOffer, focusBarcode]);

  // For the benchmark (Performance API): the first moment the till takes input.
  const loaded = useAppSelector(selectOperatorLoaded);
  useEffect(() => {
    if (loaded && performance.getEntriesByName(INTERACTIVE_MARK).length === 0)
      performance.mark(INTERACTIVE_MARK);
  }, [loaded]);

  const newSale = useCallback(() => {
    dispatch(dismissCompleted());
    focusBarcode();
  }, [dispatch, focusBarcode]);

  return (
    <div className="screen screen--cashier">
      <StatusBar screen="cashier" title={t('app.cashierTitle')} showShift showOperator />
      <AuditBanner />
      <DialogLayer
        dialogs={[
          showSignIn && <SignInDialog key="signin" onSignedIn={focusBarcode} />,
          showOpenShift && (
            <OpenShiftDialog
              key="shift-open"
              onOpened={focusBarcode}
              onReports={() => setOpen({ kind: 'shift' })}
            />
          ),
          showReceipt && completed !== null && (
            <ReceiptDialog key="receipt" sale={completed} onNewSale={newSale} />
          ),
          !showSignIn && window_?.kind === 'help' && <HelpOverlay key="help" onClose={close} />,
          !showSignIn &&
            window_?.kind === 'pay' &&
            sale !== null &&
            (zeroSale ? (
              <ZeroSaleDialog key="zero" sale={sale} onClose={close} />
            ) : (
              <PaymentDialog key="pay" sale={sale} initialMethod={window_.method} onClose={close} />
            )),
          !showSignIn && window_?.kind === 'held' && <HeldSalesDialog key="held" onClose={close} />,
          !showSignIn &&
            window_?.kind === 'lineDiscount' &&
            sale !== null &&
            selectedLine !== null && (
              <DiscountDialog key="ld" sale={sale} line={selectedLine} onClose={close} />
            ),
          !showSignIn && window_?.kind === 'saleDiscount' && sale !== null && (
            <DiscountDialog key="sd" sale={sale} line={null} onClose={close} />
          ),
          !showSignIn && window_?.kind === 'price' && sale !== null && selectedLine !== null && (
            <PriceOverrideDialog key="price" sale={sale} line={selectedLine} onClose={close} />
          ),
          !showSignIn && window_?.kind === 'receipts' && (
            <ReceiptsDialog key="receipts" initialReceiptNo={lastReceiptNo} onClose={close} />
          ),
          !showSignIn && window_?.kind === 'shift' && <ShiftDialog key="shift" onClose={close} />,
          !showSignIn && window_?.kind === 'void' && sale !== null && (
            <VoidSaleDialog key="void" sale={sale} onClose={close} />
          ),
        ]}
      >
        <main className="cashier">
          <section className="cashier__sale" aria-label={t('cashier.saleArea')}>
            <BarcodeEntry
              inputRef={barcodeRef}
              onSubmit={(typed) =>
                isPaymentCodeShaped(typed) ? payWithCode(typed) : addBarcode(typed)
              }
              pendingQty={pendingQty}
              onQuantity={quantityTyped}
            />
            <ErrorMessage
              error={window_?.kind === 'pay' ? null : error}
              onDismiss={() => {
                dispatch(clearSaleError());
                focusBarcode();
              }}
              testId="sale-error"
            />
            {showPoleOffer && <PoleOffer onDone={focusBarcode} />}
            {notice !== null && (
              <p role="status" className="notice notice--ok" data-testid="notice">
                {notice}
              </p>
            )}
            <CartTable />
          </section>
          <aside className="cashier__side">
            <TotalsPanel />
            {needsShift && <p className="hint">{t('cashier.shiftNeeded')}</p>}
            <div className="pay-buttons">
              <button
                type="button"
                className="btn btn-pay"
                disabled={!completeAllowed}
                aria-keyshortcuts="F12"
                onClick={() => openPayment('cash')}
              >
                {t('cashier.pay')} <kbd aria-hidden="true">F12</kbd>
              </button>
              <button
                type="button"
                className="btn btn-secondary"
                disabled={!paymentAllowed}
                onClick={() => openPayment('card')}
              >
                {t('methods.card')}
              </button>
              <button
                type="button"
                className="btn btn-secondary"
                disabled={!paymentAllowed}
                onClick={() => openPayment('qr')}
              >
                {t('methods.qr')}
              </button>
            </div>
            <CashierFacePay sale={sale} allowed={paymentAllowed && !anyWindow} />
            <ProductSearch inputRef={searchRef} onPick={pick} onLeave={focusBarcode} />
            <CategoryGrid onPick={pick} />
          </aside>
        </main>
      </DialogLayer>
      <FunctionKeyBar onCommand={run} disabled={anyWindow} />
    </div>
  );
}
