import { useTranslation } from 'react-i18next';
import { useMoney } from '../../components/hooks';
import type { DailyReport } from '../../contract';
import { donutPath, METHOD_COLOURS, pieLayout } from '../../features/charts/chartGeometry';
import { formatBp } from '../../lib/time';

const SIZE = 200;

/** The payment-method mix (net of refunds) as an SVG donut with a legend. */
export function MethodMixChart({ report }: { report: DailyReport }) {
  const { t, i18n } = useTranslation();
  const money = useMoney();
  const slices = pieLayout(
    report.totals.byMethod.map((m) => ({ key: m.method, value: m.amountFen })),
  );
  return (
    <figure className="chart chart--donut" data-testid="chart-methods">
      <figcaption className="chart__title">{t('manager.methodMixChart')}</figcaption>
      {slices.length === 0 ? (
        <p className="muted">{t('manager.noData')}</p>
      ) : (
        <div className="chart__donut">
          <svg
            viewBox={`0 0 ${SIZE} ${SIZE}`}
            role="img"
            aria-label={t('manager.methodMixChart')}
            className="chart__svg chart__svg--donut"
          >
            {slices.map((s) => (
              <path
                key={s.key}
                d={donutPath(SIZE / 2, SIZE / 2, SIZE / 2 - 4, SIZE / 4, s)}
                fill={METHOD_COLOURS[s.key] ?? '#667085'}
              >
                <title>{`${t(`methods.${s.key as 'cash'}`)} ${money(s.value)}`}</title>
              </path>
            ))}
          </svg>
          <ul className="legend">
            {slices.map((s) => (
              <li key={s.key}>
                <svg width="14" height="14" aria-hidden="true">
                  <rect width="14" height="14" rx="3" fill={METHOD_COLOURS[s.key] ?? '#667085'} />
                </svg>
                <span>{t(`methods.${s.key as 'cash'}`)}</span>
                <span className="legend__value">
                  {money(s.value)} · {formatBp(Math.round(s.share * 10_000), i18n.language)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </figure>
  );
}
