/**
 * Recharts measures label text in one hidden span of its own in <body>
 * (id `recharts_measurement_span`), and leaves the last string it measured there: a figure of
 * the report. When a chart goes (the manager locks the screen, the PDF's off-screen drawing is
 * done), the span goes with it, so a locked screen holds no figure even out of sight. Recharts
 * makes a new span the next time it measures.
 */
import { useEffect } from 'react';

const MEASUREMENT_SPAN_ID = 'recharts_measurement_span';

export function useForgetMeasuredText(): void {
  useEffect(() => () => document.getElementById(MEASUREMENT_SPAN_ID)?.remove(), []);
}
