import { useTranslation } from 'react-i18next';
import { useMoney } from '../../components/hooks';
import type { DailyReport } from '../../contract';
import { hourSeries } from '../../features/charts/chartData';
import { HourlyBars } from '../../features/charts/HourlyBars';
import { hourRange } from '../../lib/time';

/**
 * Net sales by hour: the Recharts bars, and the same figures as a table for screen readers (and
 * for anyone who wants the numbers: the drawing is named by the figure's caption).
 */
export function HourlyChart({ report }: { report: DailyReport }) {
  const { t } = useTranslation();
  const money = useMoney();
  const hours = hourSeries(report);
  const peak = hours.reduce(
    (best, h) => (h.netFen > (best?.netFen ?? -Infinity) ? h : best),
    hours[0],
  );
  return (
    <figure className="chart" data-testid="chart-by-hour">
      <figcaption className="chart__title">{t('manager.byHourChart')}</figcaption>
      {hours.length === 0 || peak === undefined ? (
        <p className="muted">{t('manager.noData')}</p>
      ) : (
        <>
          <div className="chart__plot">
            <HourlyBars
              data={hours}
              title={t('manager.byHourChart')}
              description={t('manager.byHourDesc', {
                from: hourRange(hours[0]?.hour ?? 0),
                to: hourRange(hours.at(-1)?.hour ?? 0),
                peak: money(peak.netFen),
                peakHour: hourRange(peak.hour),
              })}
              money={money}
              tooltip={{ hourLabel: hourRange }}
            />
          </div>
          <table className="visually-hidden" data-testid="chart-by-hour-table">
            <caption>{t('manager.byHourTable')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('manager.hour')}</th>
                <th scope="col">{t('manager.count')}</th>
                <th scope="col">{t('manager.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {hours.map((h) => (
                <tr key={h.hour}>
                  <th scope="row">{hourRange(h.hour)}</th>
                  <td>{h.count}</td>
                  <td>{money(h.netFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </figure>
  );
}
