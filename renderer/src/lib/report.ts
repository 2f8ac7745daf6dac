/** Shaping report data for display. */

/**
 * The hours the shop actually traded: from the first to the last hour with any sale or refund,
 * gaps in between kept (a quiet hour is information), closed hours at either end dropped.
 */
export function tradingHours<T extends { hour: number; count: number; netFen: number }>(
  byHour: readonly T[],
): T[] {
  const sorted = [...byHour].sort((a, b) => a.hour - b.hour);
  const active = (h: T): boolean => h.count !== 0 || h.netFen !== 0;
  const first = sorted.findIndex(active);
  if (first === -1) return [];
  let last = sorted.length - 1;
  while (last > first && !active(sorted[last] as T)) last -= 1;
  return sorted.slice(first, last + 1);
}
