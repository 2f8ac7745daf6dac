/**
 * Chart geometry, shared by the screen's SVG charts and the PDF's vector drawing, so that both
 * show the same picture. Pure arithmetic: no DOM, no styles (the strict CSP allows no injected
 * <style>), so it runs in a test and in jsPDF alike.
 */
export interface Bar {
  key: string | number;
  x: number;
  y: number;
  width: number;
  height: number;
  value: number;
}

/** Vertical bars for `values`, left to right, scaled so that the largest fills `height`. */
export function barLayout(
  values: readonly { key: string | number; value: number }[],
  width: number,
  height: number,
  gap = 0.2,
  maxBarWidth = 48,
): Bar[] {
  const n = values.length;
  if (n === 0) return [];
  const max = Math.max(1, ...values.map((v) => v.value));
  const slot = width / n;
  // A quiet day's one or two bars stay bars, not a wall of colour.
  const barWidth = Math.min(slot * (1 - gap), maxBarWidth);
  return values.map((v, i) => {
    const h = (Math.max(0, v.value) / max) * height;
    return {
      key: v.key,
      x: i * slot + (slot - barWidth) / 2,
      y: height - h,
      width: barWidth,
      height: h,
      value: v.value,
    };
  });
}

export interface Slice {
  key: string;
  value: number;
  /** Radians, clockwise from 12 o'clock. */
  start: number;
  end: number;
  share: number;
}

/** Pie slices of the positive values, in order; a single value fills the circle. */
export function pieLayout(values: readonly { key: string; value: number }[]): Slice[] {
  const positive = values.filter((v) => v.value > 0);
  const total = positive.reduce((a, v) => a + v.value, 0);
  if (total === 0) return [];
  let angle = 0;
  return positive.map((v) => {
    const sweep = (v.value / total) * Math.PI * 2;
    const slice = {
      key: v.key,
      value: v.value,
      start: angle,
      end: angle + sweep,
      share: v.value / total,
    };
    angle += sweep;
    return slice;
  });
}

/** A point on a circle of radius r around (cx, cy), clockwise from 12 o'clock. */
export function polar(cx: number, cy: number, r: number, angle: number): [number, number] {
  return [cx + r * Math.sin(angle), cy - r * Math.cos(angle)];
}

/** SVG path of a donut slice (outer radius r, inner radius inner). */
export function donutPath(cx: number, cy: number, r: number, inner: number, s: Slice): string {
  // A full circle cannot be one arc: draw it as two halves.
  const end = s.end - s.start >= Math.PI * 2 - 1e-9 ? s.start + Math.PI * 2 - 1e-6 : s.end;
  const large = end - s.start > Math.PI ? 1 : 0;
  const [x0, y0] = polar(cx, cy, r, s.start);
  const [x1, y1] = polar(cx, cy, r, end);
  const [x2, y2] = polar(cx, cy, inner, end);
  const [x3, y3] = polar(cx, cy, inner, s.start);
  const f = (n: number): string => n.toFixed(2);
  return [
    `M${f(x0)},${f(y0)}`,
    `A${f(r)},${f(r)} 0 ${large} 1 ${f(x1)},${f(y1)}`,
    `L${f(x2)},${f(y2)}`,
    `A${f(inner)},${f(inner)} 0 ${large} 0 ${f(x3)},${f(y3)}`,
    'Z',
  ].join(' ');
}

/** The slice as a polygon (for drawing where arcs are not available, e.g. the PDF). */
export function slicePolygon(
  cx: number,
  cy: number,
  r: number,
  inner: number,
  s: Slice,
  stepsPerTurn = 96,
): [number, number][] {
  const steps = Math.max(2, Math.ceil(((s.end - s.start) / (Math.PI * 2)) * stepsPerTurn));
  const outer: [number, number][] = [];
  const innerPts: [number, number][] = [];
  for (let i = 0; i <= steps; i++) {
    const a = s.start + ((s.end - s.start) * i) / steps;
    outer.push(polar(cx, cy, r, a));
    innerPts.push(polar(cx, cy, inner, a));
  }
  return [...outer, ...innerPts.reverse()];
}

/** Payment methods' colours, the same on screen and on paper. */
export const METHOD_COLOURS: Record<string, string> = {
  cash: '#0e7a3e',
  face: '#0b5cd5',
  qr: '#b54708',
  card: '#6941c6',
};
