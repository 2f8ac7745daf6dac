/**
 * F3, the shift and the day: an X report at any time, cash in and out with a reason, opening the
 * drawer without a sale (a reason and a manager's PIN, recorded), closing the shift with the
 * counted cash (the variance is shown before confirming), the Z report that closes the business
 * day (a manager's PIN; one per day), and the way to the manager's screen (its own window in
 * Electron, its own tab in the browser; it asks for a manager's PIN).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useCall } from '../../app/invoke';
import { openManagerScreen } from '../../app/openManager';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useMoney } from '../../components/hooks';
import { isPinShaped, PinField } from '../../components/PinField';
import type { ReportTotals, Shift, XReport, ZReport } from '../../contract';
import { selectShift } from '../../features/shift/shiftSlice';
import { defaultZDate } from '../../features/shift/zDate';
import { selectTimezone } from '../../features/system/systemSlice';
import type { UiError } from '../../lib/errors';
import { parseYuanToFen } from '../../lib/money';
import { formatBusinessDate, todayIn } from '../../lib/time';
import { AmountField } from './AmountField';

const TABS = ['x', 'cash', 'drawer', 'close', 'z'] as const;
type Tab = (typeof TABS)[number];

function TotalsList({ totals }: { totals: ReportTotals }) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <dl className="figures">
      <div>
        <dt>{t('manager.salesCount')}</dt>
        <dd>{totals.salesCount}</dd>
      </div>
      <div>
        <dt>{t('manager.gross')}</dt>
        <dd data-testid="totals-gross">{money(totals.grossFen)}</dd>
      </div>
      {/* Gross − discounts = sales, sales − refunds = net: every step shown, so it adds up. */}
      <div>
        <dt>{t('manager.discounts')}</dt>
        <dd data-testid="totals-discounts">−{money(totals.discountFen)}</dd>
      </div>
      <div>
        <dt>{t('manager.sales')}</dt>
        <dd data-testid="totals-sales">{money(totals.salesFen)}</dd>
      </div>
      <div>
        <dt>{t('manager.refunds')}</dt>
        <dd data-testid="totals-refunds">−{money(totals.refundsFen)}</dd>
      </div>
      <div>
        <dt>{t('manager.net')}</dt>
        <dd data-testid="totals-net">{money(totals.netFen)}</dd>
      </div>
      {totals.byMethod.map((m) => (
        <div key={m.method}>
          <dt>{t(`methods.${m.method}`)}</dt>
          <dd>{money(m.amountFen)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Who opened (and closed) the shift. */
function ShiftPeople({ shift }: { shift: Shift }) {
  const { t } = useTranslation();
  return (
    <>
      <div>
        <dt>{t('shift.openedBy')}</dt>
        <dd data-testid="shift-opened-by">{shift.openedBy?.name ?? '—'}</dd>
      </div>
      {shift.closedBy !== null && (
        <div>
          <dt>{t('shift.closedBy')}</dt>
          <dd>{shift.closedBy.name}</dd>
        </div>
      )}
    </>
  );
}

function DrawerList({ shift }: { shift: Shift }) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <dl className="figures">
      <ShiftPeople shift={shift} />
      <div>
        <dt>{t('shift.floatShort')}</dt>
        <dd>{money(shift.floatFen)}</dd>
      </div>
      <div>
        <dt>{t('shift.cashSales')}</dt>
        <dd>{money(shift.cashSalesFen)}</dd>
      </div>
      <div>
        <dt>{t('shift.cashRefunds')}</dt>
        <dd>−{money(shift.cashRefundsFen)}</dd>
      </div>
      <div>
        <dt>{t('shift.cashIn')}</dt>
        <dd>{money(shift.cashInFen)}</dd>
      </div>
      <div>
        <dt>{t('shift.cashOut')}</dt>
        <dd>−{money(shift.cashOutFen)}</dd>
      </div>
      <div className="figures__strong">
        <dt>{t('shift.expected')}</dt>
        <dd data-testid="expected-cash">{money(shift.expectedCashFen)}</dd>
      </div>
      {shift.varianceFen !== null && (
        <div className="figures__strong">
          <dt>{t('shift.variance')}</dt>
          <dd data-testid="shift-variance">{money(shift.varianceFen)}</dd>
        </div>
      )}
    </dl>
  );
}

export function ShiftDialog({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const call = useCall();
  const money = useMoney();
  const shift = useAppSelector(selectShift);
  const timeZone = useAppSelector(selectTimezone);
  const [tab, setTab] = useState<Tab>(shift !== null ? 'x' : 'z');
  const [error, setError] = useState<UiError | null>(null);
  const [x, setX] = useState<XReport | null>(null);
  const [kind, setKind] = useState<'in' | 'out'>('in');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [drawerReason, setDrawerReason] = useState('');
  const [counted, setCounted] = useState('');
  const [closed, setClosed] = useState<Shift | null>(null);
  const [pin, setPin] = useState('');
  const [z, setZ] = useState<ZReport | null>(null);
  // The day the Z report closes: chosen by the manager, proposed when the tab opens.
  const [zDate, setZDate] = useState<string | null>(null);
  const zDateId = useId();
  const today = todayIn(timeZone);
  const [notice, setNotice] = useState<string | null>(null);
  const firstRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (tab !== 'x') return;
    void call('report.x', {}).then((r) => (r.ok ? setX(r.value) : setError(r.error)));
  }, [call, tab, shift]);

  useEffect(() => {
    if (tab !== 'z' || zDate !== null) return;
    let live = true;
    void (async () => {
      const list = await call('report.zList', {});
      const closed = new Set(list.ok ? list.value.map((r) => r.businessDate) : []);
      const date = await defaultZDate(today, closed, async (businessDate) => {
        const r = await call('report.daily', { businessDate });
        return r.ok && (r.value.totals.salesCount > 0 || r.value.totals.refundsCount > 0);
      });
      if (live) setZDate((current) => current ?? date);
    })();
    return () => {
      live = false;
    };
  }, [call, tab, zDate, today]);

  const choose = (next: Tab): void => {
    setTab(next);
    setError(null);
    setNotice(null);
  };

  const parsedAmount = parseYuanToFen(amount);
  const parsedCounted = parseYuanToFen(counted);
  const variance =
    shift !== null && parsedCounted.ok ? parsedCounted.fen - shift.expectedCashFen : null;

  return (
    <Dialog
      title={t('shift.menuTitle')}
      onCancel={onClose}
      initialFocus={firstRef}
      className="dialog--wide"
      testId="shift-dialog"
    >
      <div className="dialog__body">
        <div role="tablist" className="tabs" aria-label={t('shift.menuTitle')}>
          {TABS.map((name, i) => (
            <button
              key={name}
              ref={i === 0 ? firstRef : undefined}
              type="button"
              role="tab"
              aria-selected={tab === name}
              className={`btn tab ${tab === name ? 'tab--on' : ''}`}
              onClick={() => choose(name)}
            >
              {t(`shift.tab.${name}`)}
            </button>
          ))}
        </div>
        {notice !== null && (
          <p role="status" className="notice notice--ok">
            {notice}
          </p>
        )}

        {tab === 'x' && (
          <section aria-label={t('shift.tab.x')} className="tab-panel">
            {x === null ? (
              error === null && <p className="muted">{t('app.loading')}</p>
            ) : (
              <div className="print-area x-report">
                <h3>{t('shift.xTitle')}</h3>
                <DrawerList shift={x.shift} />
                <TotalsList totals={x.totals} />
              </div>
            )}
            <ErrorMessage error={error} />
            <button type="button" className="btn btn-ghost" onClick={() => window.print()}>
              {t('receipt.print')}
            </button>
          </section>
        )}

        {tab === 'cash' && (
          <form
            aria-label={t('shift.tab.cash')}
            className="tab-panel"
            onSubmit={(event) => {
              event.preventDefault();
              if (!parsedAmount.ok || reason.trim() === '') {
                setError({
                  kind: 'local',
                  reason: parsedAmount.ok ? 'reasonRequired' : 'amountInvalid',
                });
                return;
              }
              void call('shift.cash', {
                kind,
                amountFen: parsedAmount.fen,
                reason: reason.trim(),
              }).then((r) => {
                if (!r.ok) return setError(r.error);
                setError(null);
                setAmount('');
                setReason('');
                setNotice(
                  t(kind === 'in' ? 'shift.cashInDone' : 'shift.cashOutDone', {
                    amount: money(parsedAmount.fen),
                  }),
                );
              });
            }}
          >
            <div className="segmented" role="radiogroup" aria-label={t('shift.cashKind')}>
              {(['in', 'out'] as const).map((k) => (
                <button
                  key={k}
                  type="button"
                  role="radio"
                  aria-checked={kind === k}
                  className={`btn segmented__option ${kind === k ? 'segmented__option--on' : ''}`}
                  onClick={() => setKind(k)}
                >
                  {t(k === 'in' ? 'shift.cashIn' : 'shift.cashOut')}
                </button>
              ))}
            </div>
            <AmountField
              label={t('shift.cashAmount')}
              value={amount}
              onChange={setAmount}
              parsed={parsedAmount}
              showError={amount !== '' && !parsedAmount.ok}
            />
            <label className="field">
              <span className="field-label">{t('shift.cashReason')}</span>
              <input
                className="input"
                type="text"
                maxLength={200}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
            </label>
            <ErrorMessage error={error} />
            <button type="submit" className="btn btn-primary btn-large" disabled={shift === null}>
              {t('shift.cashRecord')}
            </button>
          </form>
        )}

        {tab === 'drawer' && (
          <form
            aria-label={t('shift.tab.drawer')}
            className="tab-panel"
            onSubmit={(event) => {
              event.preventDefault();
              if (drawerReason.trim() === '')
                return setError({ kind: 'local', reason: 'reasonRequired' });
              if (!isPinShaped(pin)) return setError({ kind: 'local', reason: 'pinRequired' });
              void call('drawer.open', { reason: drawerReason.trim(), managerPin: pin }).then(
                (r) => {
                  setPin('');
                  if (!r.ok) return setError(r.error);
                  setError(null);
                  setDrawerReason('');
                  setNotice(t('shift.drawerOpened'));
                },
              );
            }}
          >
            <p>{t('shift.drawerIntro')}</p>
            <label className="field">
              <span className="field-label">{t('shift.drawerReason')}</span>
              <input
                className="input"
                type="text"
                maxLength={200}
                value={drawerReason}
                onChange={(event) => setDrawerReason(event.target.value)}
              />
            </label>
            <PinField
              label={t('approval.managerPin')}
              value={pin}
              onChange={setPin}
              withKeypad={false}
            />
            <ErrorMessage error={error} testId="drawer-error" />
            <button type="submit" className="btn btn-primary btn-large">
              {t('shift.drawerOpen')}
            </button>
          </form>
        )}

        {tab === 'close' && (
          <form
            aria-label={t('shift.tab.close')}
            className="tab-panel"
            onSubmit={(event) => {
              event.preventDefault();
              if (!parsedCounted.ok) {
                setError({ kind: 'local', reason: 'amountInvalid' });
                return;
              }
              void call('shift.close', { countedFen: parsedCounted.fen }).then((r) => {
                if (!r.ok) return setError(r.error);
                setError(null);
                setClosed(r.value);
              });
            }}
          >
            {closed !== null ? (
              <div className="print-area">
                <h3>{t('shift.closedTitle')}</h3>
                <DrawerList shift={closed} />
                <p className="hint">{t('shift.closedNext')}</p>
              </div>
            ) : shift === null ? (
              <p className="muted">{t('status.shiftNone')}</p>
            ) : (
              <>
                <DrawerList shift={shift} />
                <AmountField
                  label={t('shift.counted')}
                  value={counted}
                  onChange={setCounted}
                  parsed={parsedCounted}
                  showError={counted !== '' && !parsedCounted.ok}
                  testId="counted-input"
                />
                {variance !== null && (
                  <p
                    className={`variance variance--${variance === 0 ? 'even' : variance > 0 ? 'over' : 'short'}`}
                    data-testid="variance-preview"
                  >
                    {variance === 0
                      ? t('shift.varianceEven')
                      : t(variance > 0 ? 'shift.varianceOver' : 'shift.varianceShort', {
                          amount: money(Math.abs(variance)),
                        })}
                  </p>
                )}
                <ErrorMessage error={error} />
                <button type="submit" className="btn btn-primary btn-large">
                  {t('shift.closeConfirm')}
                </button>
              </>
            )}
          </form>
        )}

        {tab === 'z' && (
          <form
            aria-label={t('shift.tab.z')}
            className="tab-panel"
            onSubmit={(event) => {
              event.preventDefault();
              if (zDate === null) return;
              if (!isPinShaped(pin)) return setError({ kind: 'local', reason: 'pinRequired' });
              void call('report.z', { businessDate: zDate, managerPin: pin }).then((r) => {
                setPin('');
                if (!r.ok) return setError(r.error);
                setError(null);
                setZ(r.value);
              });
            }}
          >
            {z !== null ? (
              <div className="print-area" data-testid="z-report">
                <h3>
                  {t('shift.zTitle', {
                    number: z.number,
                    date: formatBusinessDate(z.businessDate, i18n.language),
                  })}
                </h3>
                <TotalsList totals={z.totals} />
                <h4>{t('shift.shiftsOfDay')}</h4>
                {z.shifts.map((s) => (
                  <dl key={s.id} className="figures">
                    <ShiftPeople shift={s} />
                  </dl>
                ))}
              </div>
            ) : zDate === null ? (
              <p className="muted">{t('app.loading')}</p>
            ) : (
              <>
                <p>
                  {t('shift.zIntro', { date: formatBusinessDate(zDate, i18n.language, 'long') })}
                </p>
                {shift !== null && <p className="hint">{t('shift.zNeedsClose')}</p>}
              </>
            )}
            <div className="field field--inline">
              <label htmlFor={zDateId} className="field-label">
                {t('shift.zDate')}
              </label>
              <input
                id={zDateId}
                className="input"
                type="date"
                max={today}
                required
                value={zDate ?? ''}
                disabled={zDate === null}
                onChange={(event) => {
                  if (!/^\d{4}-\d{2}-\d{2}$/.test(event.target.value)) return;
                  setZDate(event.target.value);
                  setZ(null);
                  setError(null);
                }}
              />
            </div>
            <PinField
              label={t('approval.managerPin')}
              value={pin}
              onChange={setPin}
              withKeypad={false}
            />
            <ErrorMessage error={error} testId="z-error" />
            <button type="submit" className="btn btn-primary btn-large" disabled={zDate === null}>
              {t('shift.zTake')}
            </button>
          </form>
        )}

        <div className="dialog__actions">
          <button
            type="button"
            className="btn btn-secondary btn-large"
            onClick={() => {
              void openManagerScreen(window, call).then((refused) => {
                if (refused !== null) return setError(refused);
                setError(null);
                setNotice(t('shift.managerOpened'));
              });
            }}
          >
            {t('shift.manager')}
          </button>
          <button type="button" className="btn btn-ghost btn-large" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
