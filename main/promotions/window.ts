/**
 * Time windows are read on the shop's wall clock, not UTC: "weekdays 11:00-14:00" means lunch
 * where the till stands. Intl does the time-zone arithmetic, so this runs in Node and in the
 * renderer alike.
 */
import type { PromoWindow } from './schema';

/** The shop's wall clock at one instant. */
export interface LocalTime {
  /** YYYY-MM-DD */
  date: string;
  /** 1 = Monday ... 7 = Sunday */
  weekday: number;
  /** HH:MM */
  time: string;
}

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Windows have minute resolution: the last minute's answer is reused (Intl is slow). */
let last: { minute: number; timeZone: string; at: LocalTime } | undefined;

export function localTime(now: Date, timeZone: string = DEFAULT_TIME_ZONE): LocalTime {
  const minute = Math.floor(now.getTime() / 60_000);
  if (last && last.minute === minute && last.timeZone === timeZone) return last.at;
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(now)) parts[p.type] = p.value;
  const at: LocalTime = {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    time: `${parts.hour}:${parts.minute}`,
  };
  last = { minute, timeZone, at };
  return at;
}

export function windowHolds(w: PromoWindow, at: LocalTime): boolean {
  if (w.fromDate !== undefined && at.date < w.fromDate) return false;
  if (w.toDate !== undefined && at.date > w.toDate) return false;
  if (w.days !== undefined && !w.days.includes(at.weekday)) return false;
  if (w.fromTime !== undefined && w.toTime !== undefined) {
    const overnight = w.toTime < w.fromTime;
    const inside = overnight
      ? at.time >= w.fromTime || at.time < w.toTime
      : at.time >= w.fromTime && at.time < w.toTime;
    if (!inside) return false;
  }
  return true;
}

/** A rule with no windows is always on; otherwise any one window is enough. */
export function isActive(windows: readonly PromoWindow[] | undefined, at: LocalTime): boolean {
  return windows === undefined || windows.length === 0 || windows.some((w) => windowHolds(w, at));
}
