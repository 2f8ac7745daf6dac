import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useLocalName, useMoney } from '../../components/hooks';
import {
  loadHeld,
  recallSale,
  selectHeld,
  selectHeldError,
  selectHeldStatus,
} from '../../features/held/heldSlice';
import { selectTimezone } from '../../features/system/systemSlice';
import { formatTime } from '../../lib/time';

/** The held sales: ↑/↓ to choose, Enter to recall. */
export function HeldSalesDialog({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const dispatch = useAppDispatch();
  const money = useMoney();
  const name = useLocalName();
  const held = useAppSelector(selectHeld);
  const status = useAppSelector(selectHeldStatus);
  const error = useAppSelector(selectHeldError);
  const timeZone = useAppSelector(selectTimezone);
  const [active, setActive] = useState(0);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    void dispatch(loadHeld());
  }, [dispatch]);

  const recall = (saleId: string): void => {
    void dispatch(recallSale(saleId)).then((result) => {
      if (recallSale.fulfilled.match(result)) onClose();
    });
  };

  return (
    <Dialog title={t('held.title')} onCancel={onClose} initialFocus={listRef} testId="held-dialog">
      <div className="dialog__body">
        {status === 'done' && held.length === 0 && <p className="muted">{t('held.none')}</p>}
        <ul
          ref={listRef}
          role="listbox"
          tabIndex={0}
          aria-label={t('held.list')}
          className="results held-list"
          aria-activedescendant={held[active] ? `held-${held[active].id}` : undefined}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
              event.preventDefault();
              const n = held.length;
              if (n > 0) setActive((i) => (i + (event.key === 'ArrowDown' ? 1 : n - 1)) % n);
            } else if (event.key === 'Enter') {
              event.preventDefault();
              const chosen = held[active];
              if (chosen !== undefined) recall(chosen.id);
            }
          }}
        >
          {held.map((s, index) => (
            <li
              key={s.id}
              id={`held-${s.id}`}
              role="option"
              aria-selected={index === active}
              className={`result ${index === active ? 'result--active' : ''}`}
              onClick={() => recall(s.id)}
            >
              {/* What it holds, so the right one is recalled: first items, units, when held. */}
              <span className="result__name held__entry">
                <span className="held__items" data-testid="held-items">
                  {s.firstItems
                    .map((item) => t('held.item', { name: name(item), qty: item.qty }))
                    .join(t('held.separator'))}
                  {s.lineCount > s.firstItems.length &&
                    t('held.more', { count: s.lineCount - s.firstItems.length })}
                </span>
                <span className="muted held__meta" data-testid="held-meta">
                  {t('held.meta', {
                    time: formatTime(s.heldAt ?? s.openedAt, i18n.language, timeZone),
                    count: s.itemCount,
                  })}
                </span>
              </span>
              <span className="result__price">{money(s.totalFen)}</span>
            </li>
          ))}
        </ul>
        <ErrorMessage error={error} />
        <div className="dialog__actions">
          <button type="button" className="btn btn-ghost btn-large" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
