import { useTranslation } from 'react-i18next';
import { useMoney } from '../../components/hooks';
import type { DailyReport } from '../../contract';
import { METHOD_COLOURS, methodMix } from '../../features/charts/chartData';
import { MethodDonut } from '../../features/charts/MethodDonut';
import { formatBp } from '../../lib/time';

const SIZE = 180;

/** The payment-method mix (net of refunds): a Recharts donut, and its legend as text. */
export function MethodMixChart({ report }: { report: DailyReport }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const slices = methodMix(report);
  const entries = slices.map((s) => ({
    ...s,
    name: t(`methods.${s.method}`),
    share: formatBp(s.shareBp, i18n.language),
  }));
  return (
    <figure className="chart chart--donut" data-testid="chart-methods">
      <figcaption className="chart__title">{t('manager.methodMixChart')}</figcaption>
      {entries.length === 0 ? (
        <p className="muted">{t('manager.noData')}</p>
      ) : (
        <div className="chart__donut">
          <MethodDonut
            data={slices}
            size={SIZE}
            title={t('manager.methodMixChart')}
            description={entries.map((e) => `${e.name} ${e.share}`).join(', ')}
          />
          <ul className="legend" aria-label={t('manager.methodMixLegend')}>
            {entries.map((e) => (
              <li key={e.method} data-testid="mix-entry">
                {/* An SVG swatch: a fill attribute, where an inline style would break the CSP. */}
                <svg width="14" height="14" aria-hidden="true">
                  <rect width="14" height="14" rx="3" fill={METHOD_COLOURS[e.method]} />
                </svg>
                <span>{e.name}</span>
                <span className="legend__value">
                  {money(e.amountFen)} · {e.share}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </figure>
  );
}
