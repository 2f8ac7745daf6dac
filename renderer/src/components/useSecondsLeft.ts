import { useEffect, useState } from 'react';

/** Seconds until `until` (ms since the epoch), re-rendered each second while counting. */
export function useSecondsLeft(until: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const tick = (): void => setNow(Date.now());
    // At once (the clock read at mount may be old by now), then each second.
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 1000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [until]);
  return until === null ? null : Math.max(0, Math.ceil((until - now) / 1000));
}
