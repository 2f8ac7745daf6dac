import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppSelector } from '../../app/hooks';
import { useCall } from '../../app/invoke';
import { downloadBlob } from '../../components/download';
import { ErrorMessage } from '../../components/ErrorMessage';
import { useMoney } from '../../components/hooks';
import type { RangeFigures, RangeReport } from '../../contract';
import { selectTimezone } from '../../features/system/systemSlice';
import type { UiError } from '../../lib/errors';
import {
  RANGE_PRESETS,
  changeBp,
  formatChange,
  presetRange,
  rangeCsv,
  type RangePreset,
} from '../../lib/rangeReport';
import { todayIn } from '../../lib/time';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * The report over any period (report.range, manager only): a quick period or a custom from/to,
 * the key figures against the period before (and, for one day, the same weekday last week),
 * per day, cashier, till and category, the hour x weekday heat map, and the CSV. Rendered only
 * inside the unlocked manager screen, so its data goes when the screen locks (unmount).
 */
export function RangeReportPanel() {
  const { t } = useTranslation();
  const call = useCall();
  const money = useMoney();
  const timeZone = useAppSelector(selectTimezone);
  const [range, setRange] = useState(() => presetRange('last7', todayIn(timeZone)));
  const [report, setReport] = useState<RangeReport | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [loading, setLoading] = useState(false);

  const load = (r: { from: string; to: string }): void => {
    setRange(r);
    setLoading(true);
    void call('report.range', r).then((outcome) => {
      setLoading(false);
      if (outcome.ok) {
        setReport(outcome.value);
        setError(null);
      } else setError(outcome.error);
    });
  };
  const choose = (preset: RangePreset): void => load(presetRange(preset, todayIn(timeZone)));
  const weekday = (d: number): string => t(`range.weekdays.${WEEKDAYS[d] ?? 'mon'}`);

  const csv = (): void => {
    if (report === null) return;
    const text = rangeCsv(report, {
      title: t('range.title'),
      previous: t('range.previous'),
      sameDayLastWeek: t('range.sameDayLastWeek'),
      figure: t('manager.figure'),
      salesCount: t('manager.salesCount'),
      gross: t('manager.gross'),
      discounts: t('manager.discounts'),
      refunds: t('manager.refunds'),
      net: t('manager.net'),
      averageTicket: t('manager.averageTicket'),
      byDay: t('range.byDay'),
      date: t('range.date'),
      byCashier: t('range.byCashier'),
      cashier: t('range.cashier'),
      unknownCashier: t('range.unknownCashier'),
      byTill: t('range.byTill'),
      till: t('range.till'),
      byCategory: t('range.byCategory'),
      category: t('range.category'),
      qty: t('manager.qty'),
      sales: t('range.sales'),
      heat: t('range.heat'),
      weekday,
    });
    downloadBlob(
      new Blob([text], { type: 'text/csv;charset=utf-8' }),
      `range-report-${report.from}-${report.to}.csv`,
    );
  };

  const figureHead = (
    <>
      <th scope="col" className="num">
        {t('manager.salesCount')}
      </th>
      <th scope="col" className="num">
        {t('manager.refunds')}
      </th>
      <th scope="col" className="num">
        {t('manager.net')}
      </th>
    </>
  );
  const figureCells = (f: RangeFigures) => (
    <>
      <td className="num">{f.salesCount}</td>
      <td className="num">{money(f.refundsFen)}</td>
      <td className="num">{money(f.netFen)}</td>
    </>
  );
  const table = <T,>(
    caption: string,
    first: string,
    rows: T[],
    key: (r: T) => string,
    label: (r: T) => string,
    figures: (r: T) => RangeFigures,
  ) => (
    <table className="report-table" aria-label={caption}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{first}</th>
          {figureHead}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={key(r)}>
            <th scope="row">{label(r)}</th>
            {figureCells(figures(r))}
          </tr>
        ))}
      </tbody>
    </table>
  );

  const maxCount = report ? Math.max(1, ...report.heat.flat().map((c) => c.count)) : 1;
  const kpis = report
    ? ([
        ['net', report.totals.netFen, report.previous.totals.netFen, money],
        ['gross', report.totals.grossFen, report.previous.totals.grossFen, money],
        ['salesCount', report.totals.salesCount, report.previous.totals.salesCount, String],
        [
          'averageTicket',
          report.totals.averageTicketFen,
          report.previous.totals.averageTicketFen,
          money,
        ],
      ] as const)
    : [];

  return (
    <section className="panel" aria-labelledby="range-title" data-testid="range-panel">
      <h2 id="range-title" className="panel__title">
        {t('range.title')}
      </h2>
      <div className="manager__controls">
        {RANGE_PRESETS.map((p) => (
          <button
            key={p}
            type="button"
            className="btn btn-secondary btn-small"
            onClick={() => choose(p)}
          >
            {t(`range.presets.${p}`)}
          </button>
        ))}
        <form
          className="field field--inline"
          onSubmit={(event) => {
            event.preventDefault();
            load(range);
          }}
        >
          <label className="field-label">
            {t('range.from')}
            <input
              className="input"
              type="date"
              required
              value={range.from}
              onChange={(e) => setRange({ ...range, from: e.target.value })}
            />
          </label>
          <label className="field-label">
            {t('range.to')}
            <input
              className="input"
              type="date"
              required
              value={range.to}
              onChange={(e) => setRange({ ...range, to: e.target.value })}
            />
          </label>
          <button type="submit" className="btn btn-secondary btn-small">
            {t('range.show')}
          </button>
        </form>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={report === null}
          onClick={csv}
        >
          {t('manager.exportCsv')}
        </button>
        {loading && (
          <span className="muted" role="status">
            {t('manager.loading')}
          </span>
        )}
      </div>
      <ErrorMessage error={error} testId="range-error" />
      {report !== null && (
        <div data-testid="range-report">
          <p className="muted">
            {t('range.period', { from: report.from, to: report.to, days: report.days })} ·{' '}
            {t('range.comparedWith', { from: report.previous.from, to: report.previous.to })}
          </p>
          <section className="kpis" aria-label={t('manager.totals')}>
            {kpis.map(([key, now, before, show]) => (
              <div key={key} className="kpi">
                <span className="kpi__label">{t(`manager.${key}`)}</span>
                <span className="kpi__value" data-testid={`range-${key}`}>
                  {show(now)}
                </span>
                <span className="muted" data-testid={`range-${key}-change`}>
                  {formatChange(changeBp(now, before))} ({show(before)})
                </span>
              </div>
            ))}
            {report.sameDayLastWeek && (
              <p className="kpis__note muted" data-testid="range-last-week">
                {t('range.sameDayLastWeek')}: {money(report.sameDayLastWeek.totals.netFen)}{' '}
                {formatChange(changeBp(report.totals.netFen, report.sameDayLastWeek.totals.netFen))}
              </p>
            )}
          </section>
          <table className="report-table" aria-label={t('range.heat')} data-testid="range-heat">
            <caption>{t('range.heat')}</caption>
            <thead>
              <tr>
                <th scope="col" />
                {Array.from({ length: 24 }, (_, h) => (
                  <th key={h} scope="col" className="num">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.heat.map((hours, d) => (
                <tr key={d}>
                  <th scope="row">{weekday(d)}</th>
                  {hours.map((c, h) => (
                    <td
                      key={h}
                      className="num"
                      title={`${c.count} · ${money(c.netFen)}`}
                      style={{
                        background: `rgba(37, 99, 235, ${(c.count / maxCount).toFixed(2)})`,
                      }}
                    >
                      {c.count || ''}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="manager__tables">
            {table(
              t('range.byDay'),
              t('range.date'),
              report.byDay,
              (d) => d.date,
              (d) => d.date,
              (d) => d,
            )}
            {table(
              t('range.byCashier'),
              t('range.cashier'),
              report.byCashier,
              (c) => c.staffId ?? '',
              (c) => c.name || t('range.unknownCashier'),
              (c) => c,
            )}
            {table(
              t('range.byTill'),
              t('range.till'),
              report.byTill,
              (c) => `${c.kind}:${c.tillId}`,
              (c) => c.name || c.tillId,
              (c) => c,
            )}
            <table className="report-table" aria-label={t('range.byCategory')}>
              <caption>{t('range.byCategory')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('range.category')}</th>
                  <th scope="col" className="num">
                    {t('manager.qty')}
                  </th>
                  <th scope="col" className="num">
                    {t('manager.refunds')}
                  </th>
                  <th scope="col" className="num">
                    {t('manager.net')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {report.byCategory.map((c) => (
                  <tr key={c.category}>
                    <th scope="row">{c.category || t('range.unknownCategory')}</th>
                    <td className="num">{c.qty}</td>
                    <td className="num">{money(c.refundsFen)}</td>
                    <td className="num">{money(c.netFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}
