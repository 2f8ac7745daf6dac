import { useEffect, useId, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useLocalName, useMoney } from '../../components/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import type { Product } from '../../contract';
import {
  activeMoved,
  activeSet,
  queryChanged,
  searchProducts,
  selectActiveIndex,
  selectQuery,
  selectResults,
  selectSearchError,
  selectSearchStatus,
} from '../../features/catalog/catalogSlice';

const DEBOUNCE_MS = 200;

/** Search by name; click a result or press Enter to add the highlighted one. */
export function ProductSearch({
  inputRef,
  onPick,
  onLeave,
}: {
  inputRef: RefObject<HTMLInputElement | null>;
  onPick: (product: Product) => void;
  onLeave: () => void;
}) {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const money = useMoney();
  const name = useLocalName();
  const query = useAppSelector(selectQuery);
  const results = useAppSelector(selectResults);
  const status = useAppSelector(selectSearchStatus);
  const error = useAppSelector(selectSearchError);
  const active = useAppSelector(selectActiveIndex);
  const inputId = useId();
  const listId = useId();
  const optionId = (index: number): string => `${listId}-option-${index}`;

  useEffect(() => {
    const trimmed = query.trim();
    if (trimmed === '') return;
    const timer = setTimeout(() => void dispatch(searchProducts(trimmed)), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, dispatch]);

  const showList = query.trim() !== '' && status !== 'idle';
  const activeProduct = results[active];

  return (
    <section className="search" aria-labelledby={`${inputId}-label`}>
      <label id={`${inputId}-label`} htmlFor={inputId} className="field-label">
        {t('cashier.search')} <kbd aria-hidden="true">F2</kbd>
      </label>
      <input
        id={inputId}
        ref={inputRef}
        className="input"
        type="text"
        autoComplete="off"
        spellCheck={false}
        enterKeyHint="search"
        maxLength={64}
        placeholder={t('cashier.searchHint')}
        value={query}
        aria-controls={listId}
        aria-activedescendant={
          showList && activeProduct !== undefined ? optionId(active) : undefined
        }
        onChange={(event) => dispatch(queryChanged(event.target.value))}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            dispatch(activeMoved(event.key === 'ArrowDown' ? 1 : -1));
          } else if (event.key === 'Enter') {
            event.preventDefault();
            if (activeProduct !== undefined && status === 'done') onPick(activeProduct);
          } else if (event.key === 'Escape') {
            event.preventDefault();
            dispatch(queryChanged(''));
            onLeave();
          }
        }}
      />
      <div className="search__results" hidden={!showList}>
        {status === 'loading' && results.length === 0 && (
          <p className="muted">{t('cashier.searching')}</p>
        )}
        {status === 'done' && results.length === 0 && (
          <p className="muted">{t('cashier.noResults')}</p>
        )}
        <ErrorMessage error={status === 'error' ? error : null} />
        <ul id={listId} role="listbox" aria-label={t('cashier.searchResults')} className="results">
          {results.map((product, index) => (
            <li
              key={product.sku}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className={`result ${index === active ? 'result--active' : ''}`}
              onMouseEnter={() => dispatch(activeSet(index))}
              onClick={() => onPick(product)}
            >
              <span className="result__name">{name(product)}</span>
              <span className="result__price">{money(product.priceFen)}</span>
              <span className="result__barcode">{product.barcode}</span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
