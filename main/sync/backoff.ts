/**
 * Exponential backoff with full jitter: after the n-th failure in a row, wait a uniformly random
 * time in [0, min(cap, base × 2^(n−1))]. Randomising the whole interval spreads the retries of
 * many terminals that lost the cloud at the same moment, so they do not come back in waves; the
 * cap bounds how stale a terminal gets once the cloud is back. A success resets n to 0.
 */
export interface BackoffPolicy {
  /** The ceiling after the first failure. */
  baseMs: number;
  /** The ceiling never grows past this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 5 * 60_000 };

/** The most a retry after the `failures`-th failure in a row may wait (0 before any failure). */
export function backoffCeiling(failures: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  if (!(failures >= 1)) return 0;
  // 2^n overflows nothing below 2^1023; the exponent is capped well before that anyway.
  const grown = policy.baseMs * 2 ** Math.min(failures - 1, 52);
  return Math.min(policy.capMs, grown);
}

/** How long to wait before retrying after the `failures`-th failure in a row. */
export function backoffDelay(
  failures: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.floor(r * backoffCeiling(failures, policy));
}
