/** Dates and times as the shop sees them: in the shop's time zone (from system.info). */

function safeZone(timeZone: string | null | undefined): string | undefined {
  if (timeZone === null || timeZone === undefined || timeZone === '') return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

/** The business date (YYYY-MM-DD) of `now` in the shop's time zone. */
export function todayIn(timeZone: string | null | undefined, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: safeZone(timeZone),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function parse(iso: string | Date): Date | null {
  const date = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "14:05" */
export function formatTime(
  iso: string | Date,
  locale: string,
  timeZone: string | null | undefined,
  withSeconds = false,
): string {
  const date = parse(iso);
  if (date === null) return '';
  return new Intl.DateTimeFormat(locale, {
    timeZone: safeZone(timeZone),
    hour: '2-digit',
    minute: '2-digit',
    ...(withSeconds ? { second: '2-digit' } : {}),
    hourCycle: 'h23',
  }).format(date);
}

/** "2024-05-01" style, localised. */
export function formatDate(
  iso: string | Date,
  locale: string,
  timeZone: string | null | undefined,
): string {
  const date = parse(iso);
  if (date === null) return '';
  return new Intl.DateTimeFormat(locale, {
    timeZone: safeZone(timeZone),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

/** "2024-05-01 14:05:09" style, localised. */
export function formatDateTime(
  iso: string | Date,
  locale: string,
  timeZone: string | null | undefined,
): string {
  const date = parse(iso);
  if (date === null) return '';
  return new Intl.DateTimeFormat(locale, {
    timeZone: safeZone(timeZone),
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(date);
}

/** "09:00–10:00" for an hour bucket of the daily report. */
export function hourRange(hour: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(hour)}:00–${pad((hour + 1) % 24)}:00`;
}

/** Basis points as a percentage: 2500 → "25.0%". */
export function formatBp(bp: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }).format(bp / 10_000);
}

/**
 * A business date (YYYY-MM-DD, already the shop's calendar day) for a person: "2024年5月2日" or
 * "2 May 2024" style. Formatted at UTC noon, so no time zone can move it to another day.
 */
export function formatBusinessDate(
  date: string,
  locale: string,
  style: 'short' | 'long' = 'short',
): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  const instant = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(instant.getTime())) return date;
  return new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    year: 'numeric',
    month: style === 'long' ? 'long' : 'short',
    day: 'numeric',
    ...(style === 'long' ? { weekday: 'long' } : {}),
  }).format(instant);
}
