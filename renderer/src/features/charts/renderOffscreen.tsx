/**
 * Renders a chart element outside the visible page and hands back its SVG, for the PDF: the PDF
 * draws the very SVG that Recharts draws on screen (converted to vectors by svg2pdf.js), not a
 * second hand-made picture. Recharts lays a chart out over a few React passes (its series register
 * in its store first), so we wait until `ready` says the drawing is complete.
 */
import type { ReactElement } from 'react';
import { createRoot } from 'react-dom/client';

export interface Offscreen {
  svg: SVGSVGElement;
  dispose: () => void;
}

export async function renderOffscreen(
  element: ReactElement,
  ready: (svg: SVGSVGElement) => boolean,
  timeoutMs = 3000,
): Promise<Offscreen> {
  const host = document.createElement('div');
  // In the document (Recharts measures text), out of sight and out of the accessibility tree.
  host.className = 'offscreen-render';
  host.setAttribute('aria-hidden', 'true');
  document.body.append(host);
  const root = createRoot(host);
  const dispose = (): void => {
    root.unmount();
    host.remove();
  };
  root.render(element);
  const started = performance.now();
  for (;;) {
    const svg = host.querySelector<SVGSVGElement>('svg.recharts-surface');
    if (svg !== null && ready(svg)) return { svg, dispose };
    if (performance.now() - started > timeoutMs) {
      dispose();
      throw new Error('the chart did not render');
    }
    // A timer, not requestAnimationFrame: frames stop in a window that is not shown.
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
}
