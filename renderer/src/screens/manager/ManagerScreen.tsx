/** The store manager's daily report: totals, payment-method mix, sales by hour, top items. */
import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { ErrorMessage } from '../../components/ErrorMessage';
import { StatusBar } from '../../components/StatusBar';
import { useLocalName, useMoney } from '../../components/hooks';
import type { DailyReport } from '../../contract';
import {
  dateChosen,
  loadDailyReport,
  selectReport,
  selectReportDate,
  selectReportError,
  selectReportStatus,
} from '../../features/report/reportSlice';
import { selectInfo } from '../../features/system/systemSlice';
import { tradingHours } from '../../lib/report';
import { formatBp, hourRange, todayIn } from '../../lib/time';

function TotalsTable({ report }: { report: DailyReport }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const totals = report.totals;
  const rows: { key: string; label: string; value: string; testId: string }[] = [
    {
      key: 'count',
      label: t('manager.salesCount'),
      value: String(totals.salesCount),
      testId: 'report-sales-count',
    },
    {
      key: 'gross',
      label: t('manager.gross'),
      value: money(totals.grossFen),
      testId: 'report-gross',
    },
    {
      key: 'discounts',
      label: t('manager.discounts'),
      value: money(totals.discountFen),
      testId: 'report-discounts',
    },
    {
      key: 'refunds',
      label: t('manager.refunds'),
      value: money(totals.refundsFen),
      testId: 'report-refunds',
    },
    { key: 'net', label: t('manager.net'), value: money(totals.netFen), testId: 'report-net' },
    {
      key: 'avg',
      label: t('manager.averageTicket'),
      value: money(totals.averageTicketFen),
      testId: 'report-average',
    },
    {
      key: 'face',
      label: t('manager.faceShare'),
      value: formatBp(totals.facePayShareBp, i18n.language),
      testId: 'report-face-share',
    },
  ];
  return (
    <table className="report-table" aria-label={t('manager.totals')}>
      <caption>{t('manager.totals')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('manager.figure')}</th>
          <th scope="col" className="num">
            {t('manager.value')}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key} className={row.key === 'net' ? 'report-table__strong' : undefined}>
            <th scope="row">{row.label}</th>
            <td className="num" data-testid={row.testId}>
              {row.value}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MethodsTable({ report }: { report: DailyReport }) {
  const { t } = useTranslation();
  const money = useMoney();
  return (
    <table className="report-table" aria-label={t('manager.byMethod')}>
      <caption>{t('manager.byMethod')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('manager.method')}</th>
          <th scope="col" className="num">
            {t('manager.count')}
          </th>
          <th scope="col" className="num">
            {t('manager.amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {report.totals.byMethod.length === 0 && (
          <tr>
            <td colSpan={3} className="muted">
              {t('manager.noData')}
            </td>
          </tr>
        )}
        {report.totals.byMethod.map((m) => (
          <tr key={m.method}>
            <th scope="row">{t(`methods.${m.method}`)}</th>
            <td className="num">{m.count}</td>
            <td className="num">{money(m.amountFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HoursTable({ report }: { report: DailyReport }) {
  const { t } = useTranslation();
  const money = useMoney();
  const hours = tradingHours(report.byHour);
  const max = Math.max(1, ...hours.map((h) => h.netFen));
  return (
    <table className="report-table" aria-label={t('manager.byHour')}>
      <caption>{t('manager.byHour')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('manager.hour')}</th>
          <th scope="col" className="num">
            {t('manager.count')}
          </th>
          <th scope="col" className="num">
            {t('manager.amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {hours.length === 0 && (
          <tr>
            <td colSpan={3} className="muted">
              {t('manager.noData')}
            </td>
          </tr>
        )}
        {hours.map((h) => (
          <tr key={h.hour}>
            <th scope="row">{hourRange(h.hour)}</th>
            <td className="num">{h.count}</td>
            <td className="num bar-cell">
              <span
                className="bar"
                aria-hidden="true"
                style={{ width: `${Math.max(0, Math.round((h.netFen / max) * 100))}%` }}
              />
              <span className="bar-value">{money(h.netFen)}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TopItemsTable({ report }: { report: DailyReport }) {
  const { t } = useTranslation();
  const money = useMoney();
  const name = useLocalName();
  return (
    <table className="report-table" aria-label={t('manager.topItems')}>
      <caption>{t('manager.topItems')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('manager.item')}</th>
          <th scope="col" className="num">
            {t('manager.qty')}
          </th>
          <th scope="col" className="num">
            {t('manager.amount')}
          </th>
        </tr>
      </thead>
      <tbody>
        {report.topItems.length === 0 && (
          <tr>
            <td colSpan={3} className="muted">
              {t('manager.noData')}
            </td>
          </tr>
        )}
        {report.topItems.map((item) => (
          <tr key={item.sku}>
            <th scope="row">{name(item)}</th>
            <td className="num">{item.qty}</td>
            <td className="num">{money(item.netFen)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ManagerScreen() {
  const { t } = useTranslation();
  const dispatch = useAppDispatch();
  const info = useAppSelector(selectInfo);
  const date = useAppSelector(selectReportDate);
  const report = useAppSelector(selectReport);
  const status = useAppSelector(selectReportStatus);
  const error = useAppSelector(selectReportError);
  const dateId = useId();

  // Default to today in the shop's time zone, once the terminal has told us which that is.
  useEffect(() => {
    if (date !== null || info === null) return;
    const today = todayIn(info.timezone);
    dispatch(dateChosen(today));
    void dispatch(loadDailyReport(today));
  }, [date, info, dispatch]);

  const shown = report !== null && report.businessDate === date ? report : null;

  return (
    <div className="screen screen--manager">
      <StatusBar screen="manager" title={t('manager.title')} showShift={false} />
      <main className="manager">
        <form
          className="manager__controls"
          onSubmit={(event) => {
            event.preventDefault();
            if (date !== null) void dispatch(loadDailyReport(date));
          }}
        >
          <div className="field field--inline">
            <label htmlFor={dateId} className="field-label">
              {t('manager.date')}
            </label>
            <input
              id={dateId}
              className="input"
              type="date"
              value={date ?? ''}
              required
              onChange={(event) => {
                const value = event.target.value;
                if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return;
                dispatch(dateChosen(value));
                void dispatch(loadDailyReport(value));
              }}
            />
          </div>
          <button type="submit" className="btn btn-secondary" disabled={date === null}>
            {t('manager.refresh')}
          </button>
          {shown !== null && (
            <span className="muted">{t('manager.timezone', { tz: shown.timezone })}</span>
          )}
          {status === 'loading' && (
            <span className="muted" role="status">
              {t('manager.loading')}
            </span>
          )}
        </form>
        <ErrorMessage error={status === 'error' ? error : null} testId="report-error" />
        {shown !== null && (
          <div className="manager__grid" data-testid="report">
            <TotalsTable report={shown} />
            <MethodsTable report={shown} />
            <HoursTable report={shown} />
            <TopItemsTable report={shown} />
          </div>
        )}
      </main>
    </div>
  );
}
