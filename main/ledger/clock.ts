/**
 * Business date and hour in the shop's time zone. They are computed once, at write time, and
 * stored with each row, so that reports select by an indexed column instead of converting every
 * timestamp at read time.
 */
import { PosError } from '../contract';

export interface BusinessMoment {
  /** YYYY-MM-DD in the shop's zone. */
  date: string;
  /** 0..23 in the shop's zone. */
  hour: number;
}

/** Every zone offset in use is a multiple of 15 minutes, so results are constant per bucket. */
const BUCKET_MS = 15 * 60 * 1000;

export class BusinessClock {
  readonly timezone: string;
  private readonly format: Intl.DateTimeFormat;
  private cachedBucket = Number.NaN;
  private cached: BusinessMoment = { date: '1970-01-01', hour: 0 };

  constructor(timezone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-CA', {
        timeZone: timezone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        hourCycle: 'h23',
      });
    } catch {
      throw new PosError('VALIDATION', `unknown time zone: ${timezone}`, 'timezone');
    }
    this.timezone = timezone;
  }

  at(instant: Date): BusinessMoment {
    const bucket = Math.floor(instant.getTime() / BUCKET_MS);
    if (bucket === this.cachedBucket) return this.cached;
    const parts: Record<string, string> = {};
    for (const p of this.format.formatToParts(instant)) parts[p.type] = p.value;
    this.cached = {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      hour: Number(parts.hour) % 24,
    };
    this.cachedBucket = bucket;
    return this.cached;
  }
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The calendar day after `date` (YYYY-MM-DD). */
export function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
