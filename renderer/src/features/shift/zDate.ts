/**
 * Which business day the Z report should close by default: the oldest recent day that had trade
 * and has no Z report yet (a day whose close was forgotten comes first), else today. The contract
 * has no "days with trade" query, so the caller asks `traded` (the daily report) for each
 * candidate day; we look back a month at most.
 */
export const Z_LOOKBACK_DAYS = 31;

/** `days` calendar dates ending with `today` (YYYY-MM-DD), oldest first. */
export function datesUpTo(today: string, days: number): string[] {
  const end = Date.parse(`${today}T00:00:00Z`);
  if (Number.isNaN(end)) return [today];
  return Array.from({ length: days }, (_, i) =>
    new Date(end - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

export async function defaultZDate(
  today: string,
  closed: ReadonlySet<string>,
  traded: (date: string) => Promise<boolean>,
  lookback = Z_LOOKBACK_DAYS,
): Promise<string> {
  const open = datesUpTo(today, lookback).filter((d) => !closed.has(d));
  // One question per open day, all at once: the answers come from the local ledger.
  const answers = await Promise.all(open.map((d) => traded(d).catch(() => false)));
  return open.find((_, i) => answers[i] === true) ?? today;
}
