/**
 * Net sales by hour as a Recharts bar chart. The same component draws the screen's chart (in the
 * manager's language, sized by its container) and the PDF's (English, a fixed size, converted to
 * vectors by svg2pdf.js), so the two cannot drift apart. Labels and formatting come in as props:
 * this file knows nothing of i18next.
 */
import { Bar, BarChart, CartesianGrid, LabelList, Tooltip, XAxis, YAxis } from 'recharts';
import { useForgetMeasuredText } from './useForgetMeasuredText';
import { BAR_COLOUR, type HourPoint } from './chartData';

export interface HourlyBarsProps {
  data: readonly HourPoint[];
  /** Accessible name of the drawing (the chart's title). */
  title: string;
  /** Longer description for assistive technology (the figures are in the data table too). */
  description: string;
  money: (fen: number) => string;
  width?: number;
  height?: number;
  /** Text size; the screen uses its own, the PDF print sizes. */
  fontSize?: number;
  /** Set for the PDF (svg2pdf.js maps it to a PDF font); the screen inherits its CSS font. */
  fontFamily?: string;
  /** On screen: a bar's figures on hover or tap (`hourLabel` names its hour). */
  tooltip?: { hourLabel: (hour: number) => string };
}

/** More bars than this and their amounts would overlap: the tooltip and tables carry them. */
export const MAX_LABELLED_BARS = 10;

export function HourlyBars({
  data,
  title,
  description,
  money,
  width,
  height,
  fontSize = 12,
  fontFamily,
  tooltip,
}: HourlyBarsProps) {
  useForgetMeasuredText();
  const labelled = data.length <= MAX_LABELLED_BARS;
  const tick = { fontSize, fontFamily, fill: '#475467' };
  return (
    <BarChart
      data={[...data]}
      width={width}
      height={height}
      // A report is a document: no entrance animation (and the PDF copy is taken at once).
      margin={{ top: fontSize + 10, right: 8, bottom: 4, left: 8 }}
      role="img"
      aria-label={title}
      title={title}
      desc={description}
      // Keyboard tooltips are not needed: every figure is in the table beside the chart.
      accessibilityLayer={false}
      style={width === undefined ? { width: '100%', height: '100%' } : undefined}
      responsive={width === undefined}
      barCategoryGap="20%"
      maxBarSize={48}
    >
      <CartesianGrid vertical={false} stroke="#e4e7ec" />
      <XAxis
        dataKey="label"
        // Every hour labelled: a manager reads "14" under the bar, not a gap.
        interval={0}
        tick={tick}
        tickLine={false}
        axisLine={{ stroke: '#98a2b3' }}
      />
      <YAxis hide domain={[0, 'dataMax']} />
      {tooltip !== undefined && (
        <Tooltip
          cursor={{ fill: '#eef5ff' }}
          isAnimationActive={false}
          labelFormatter={(_, payload) => {
            const point = payload[0]?.payload as HourPoint | undefined;
            return point === undefined ? '' : tooltip.hourLabel(point.hour);
          }}
          formatter={(_, __, item) => {
            const point = item.payload as HourPoint;
            return [money(point.netFen), null];
          }}
        />
      )}
      <Bar dataKey="barFen" fill={BAR_COLOUR} radius={[3, 3, 0, 0]} isAnimationActive={false}>
        {labelled && (
          <LabelList
            dataKey="barFen"
            position="top"
            fontSize={fontSize - 1}
            fontFamily={fontFamily}
            fill="#101828"
            formatter={(value: unknown) =>
              typeof value === 'number' && value > 0 ? money(value) : ''
            }
          />
        )}
      </Bar>
    </BarChart>
  );
}
