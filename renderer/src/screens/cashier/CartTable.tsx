import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useLocalName, useMoney } from '../../components/hooks';
import { MAX_QTY } from '../../contract';
import {
  lineSelected,
  removeLine,
  selectLastAddedLineNo,
  selectLines,
  selectSelectedLineNo,
  setQty,
} from '../../features/sale/saleSlice';
import { cartRows } from '../../lib/cartView';

/** The sale's lines as a table named "Cart", with quantity controls. */
export function CartTable() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const money = useMoney();
  const name = useLocalName();
  const lines = useAppSelector(selectLines);
  const lastAdded = useAppSelector(selectLastAddedLineNo);
  const selected = useAppSelector(selectSelectedLineNo);
  const selectedRow = useRef<HTMLTableRowElement>(null);

  useEffect(() => {
    selectedRow.current?.scrollIntoView({ block: 'nearest' });
  }, [lines, lastAdded, selected]);

  return (
    <div className="cart-scroll">
      <table className="cart" aria-label={t('cart.label')}>
        <thead>
          <tr>
            <th scope="col" className="cart__name">
              {t('cart.item')}
            </th>
            <th scope="col" className="cart__qty">
              {t('cart.qty')}
            </th>
            <th scope="col" className="num">
              {t('cart.unitPrice')}
            </th>
            <th scope="col" className="num">
              {t('cart.lineTotal')}
            </th>
            <th scope="col" className="cart__actions">
              <span className="visually-hidden">{t('cart.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.length === 0 && (
            <tr className="cart__empty">
              <td colSpan={5}>{t('cart.empty')}</td>
            </tr>
          )}
          {cartRows(lines).map(({ line, amountFen }) => {
            const label = name(line);
            const isSelected = line.lineNo === selected;
            return (
              <tr
                key={line.lineNo}
                ref={isSelected ? selectedRow : undefined}
                className={isSelected ? 'cart__row cart__row--selected' : 'cart__row'}
                aria-current={isSelected ? 'true' : undefined}
                data-testid="cart-line"
                onClick={() => dispatch(lineSelected(line.lineNo))}
              >
                <th scope="row" className="cart__name">
                  <span className="cart__product">{label}</span>
                  {line.lineDiscountFen > 0 && (
                    <span className="cart__discount">
                      {t('cart.lineDiscount', { amount: money(line.lineDiscountFen) })}
                    </span>
                  )}
                </th>
                <td className="cart__qty">
                  <div className="stepper">
                    <button
                      type="button"
                      className="btn btn-step"
                      aria-label={t('cart.decrease', { name: label })}
                      disabled={line.qty <= 1}
                      onClick={() =>
                        void dispatch(setQty({ lineNo: line.lineNo, qty: line.qty - 1 }))
                      }
                    >
                      −
                    </button>
                    <span className="stepper__value" data-testid="line-qty">
                      {line.qty}
                    </span>
                    <button
                      type="button"
                      className="btn btn-step"
                      aria-label={t('cart.increase', { name: label })}
                      disabled={line.qty >= MAX_QTY}
                      onClick={() =>
                        void dispatch(setQty({ lineNo: line.lineNo, qty: line.qty + 1 }))
                      }
                    >
                      +
                    </button>
                  </div>
                </td>
                <td className="num">{money(line.unitPriceFen)}</td>
                <td className="num strong" data-testid="line-total">
                  {money(amountFen)}
                </td>
                <td className="cart__actions">
                  <button
                    type="button"
                    className="btn btn-icon"
                    aria-label={t('cart.remove', { name: label })}
                    onClick={() => void dispatch(removeLine(line.lineNo))}
                  >
                    <span aria-hidden="true">×</span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
