import { useTranslation } from 'react-i18next';
import { useMoney } from '../../components/hooks';
import type { DailyReport } from '../../contract';
import { barLayout } from '../../features/charts/chartGeometry';
import { tradingHours } from '../../lib/report';

const W = 560;
const H = 200;
const PAD = { top: 16, right: 8, bottom: 28, left: 8 };

/** Net sales by hour as an SVG bar chart (each bar labelled for screen readers too). */
export function HourlyChart({ report }: { report: DailyReport }) {
  const { t } = useTranslation();
  const money = useMoney();
  const hours = tradingHours(report.byHour);
  const bars = barLayout(
    hours.map((h) => ({ key: h.hour, value: h.netFen })),
    W - PAD.left - PAD.right,
    H - PAD.top - PAD.bottom,
  );
  return (
    <figure className="chart" data-testid="chart-by-hour">
      <figcaption className="chart__title">{t('manager.byHourChart')}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">{t('manager.noData')}</p>
      ) : (
        <svg
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={t('manager.byHourChart')}
          className="chart__svg"
        >
          <g transform={`translate(${PAD.left},${PAD.top})`}>
            <line
              x1={0}
              x2={W - PAD.left - PAD.right}
              y1={H - PAD.top - PAD.bottom}
              y2={H - PAD.top - PAD.bottom}
              stroke="#98a2b3"
            />
            {bars.map((b) => (
              <g key={b.key}>
                <rect x={b.x} y={b.y} width={b.width} height={b.height} fill="#0b5cd5" rx={3}>
                  <title>{`${String(b.key).padStart(2, '0')}:00 ${money(b.value)}`}</title>
                </rect>
                <text
                  x={b.x + b.width / 2}
                  y={H - PAD.top - PAD.bottom + 18}
                  textAnchor="middle"
                  fontSize={12}
                  fill="#475467"
                >
                  {String(b.key).padStart(2, '0')}
                </text>
                {b.height > 0 && (
                  <text
                    x={b.x + b.width / 2}
                    y={b.y - 4}
                    textAnchor="middle"
                    fontSize={11}
                    fill="#101828"
                  >
                    {money(b.value)}
                  </text>
                )}
              </g>
            ))}
          </g>
        </svg>
      )}
    </figure>
  );
}
