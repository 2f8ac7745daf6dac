import { useEffect, useId, useRef, type RefObject } from 'react';
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
  firstResultFor,
  selectActiveIndex,
  selectQuery,
  selectResults,
  selectResultsCurrent,
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
  const current = useAppSelector(selectResultsCurrent);
  /** The query an Enter is waiting on (typed faster than the search could answer). */
  const enterFor = useRef<string | null>(null);
  const inputId = useId();
  const listId = useId();
  const optionId = (index: number): string => `${listId}-option-${index}`;

  useEffect(() => {
    const trimmed = query.trim();
    if (trimmed === '') return;
    const timer = setTimeout(() => void dispatch(searchProducts(trimmed)), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, dispatch]);

  /**
   * Enter adds the highlighted result only if the results answer what is typed now. Typed faster
   * than the debounce ("可乐" then " 330", Enter), the list still shows the answer to "可乐" and
   * its first line (可乐 2L) is not what was asked for: search now and add the first answer to
   * the query as typed, unless typing has moved on by then.
   */
  const enter = (): void => {
    if (current) {
      if (activeProduct !== undefined) onPick(activeProduct);
      return;
    }
    const asked = query.trim();
    if (asked === '' || enterFor.current === asked) return;
    enterFor.current = asked;
    void dispatch(firstResultFor(asked)).then((result) => {
      if (enterFor.current !== asked) return;
      enterFor.current = null;
      const first = firstResultFor.fulfilled.match(result) ? result.payload : null;
      if (first !== null) onPick(first);
    });
  };

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
            enter();
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
