/**
 * The payment-method mix (net of refunds) as a Recharts donut: the same component on the screen
 * and, converted to vectors, in the PDF. The legend with amounts and shares is drawn by the
 * caller (HTML on screen, PDF text on paper) so that it stays readable and copyable text.
 */
import { Pie, PieChart } from 'recharts';
import { useForgetMeasuredText } from './useForgetMeasuredText';
import { METHOD_COLOURS, type MixSlice } from './chartData';

export interface MethodDonutProps {
  data: readonly MixSlice[];
  title: string;
  description: string;
  size: number;
}

export function MethodDonut({ data, title, description, size }: MethodDonutProps) {
  useForgetMeasuredText();
  return (
    <PieChart
      width={size}
      height={size}
      role="img"
      aria-label={title}
      title={title}
      desc={description}
      accessibilityLayer={false}
      margin={{ top: 0, right: 0, bottom: 0, left: 0 }}
    >
      <Pie
        // Each slice's colour travels with its datum (Recharts 3's replacement for <Cell>).
        data={data.map((s) => ({ ...s, fill: METHOD_COLOURS[s.method] }))}
        dataKey="amountFen"
        nameKey="method"
        innerRadius="50%"
        outerRadius="98%"
        // Clockwise from 12 o'clock, as people read a clock face.
        startAngle={90}
        endAngle={-270}
        stroke="#ffffff"
        strokeWidth={1}
        isAnimationActive={false}
      />
    </PieChart>
  );
}
