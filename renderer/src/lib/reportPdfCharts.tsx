/**
 * The report's two charts for the PDF: the screen's Recharts components, in English at print
 * size, rendered out of sight and returned as SVG for svg2pdf.js to draw as vectors.
 */
import { hourSeries, methodMix } from '../features/charts/chartData';
import { HourlyBars } from '../features/charts/HourlyBars';
import { MethodDonut } from '../features/charts/MethodDonut';
import { renderOffscreen, type Offscreen } from '../features/charts/renderOffscreen';
import type { DailyReport } from '../contract';
import { formatFen } from './money';

export interface PdfChartSizes {
  hourly: { width: number; height: number };
  donut: number;
}

export interface PdfCharts {
  hourly: SVGSVGElement | null;
  donut: SVGSVGElement | null;
  dispose: () => void;
}

export async function pdfCharts(report: DailyReport, sizes: PdfChartSizes): Promise<PdfCharts> {
  const hours = hourSeries(report);
  const slices = methodMix(report);
  const drawn: Offscreen[] = [];
  const dispose = (): void => {
    for (const d of drawn) d.dispose();
  };
  try {
    if (hours.length > 0) {
      const bars = hours.filter((h) => h.barFen > 0).length;
      drawn.push(
        await renderOffscreen(
          <HourlyBars
            data={hours}
            title="Net sales by hour"
            description=""
            money={(fen) => formatFen(fen, 'en')}
            width={sizes.hourly.width}
            height={sizes.hourly.height}
            fontSize={8}
            fontFamily="helvetica"
          />,
          (svg) =>
            svg.querySelectorAll('path.recharts-rectangle').length === bars &&
            svg.querySelector('.recharts-xAxis') !== null,
        ),
      );
    }
    const hourly = drawn[0]?.svg ?? null;
    let donut: SVGSVGElement | null = null;
    if (slices.length > 0) {
      const d = await renderOffscreen(
        <MethodDonut data={slices} size={sizes.donut} title="Payment-method mix" description="" />,
        (svg) => svg.querySelectorAll('path.recharts-sector').length === slices.length,
      );
      drawn.push(d);
      donut = d.svg;
    }
    return { hourly, donut, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
