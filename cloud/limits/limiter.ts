/**
 * Per-terminal and per-payer limits on the money path (identify, authorise), counted in the
 * database in one-minute windows so that every replica sees the same count. The per-IP limit in
 * front of every route is @fastify/rate-limit's, in memory (server.ts); these are the limits that
 * must hold for a stolen terminal key or a payer's photo however the calls are spread.
 *
 * A refusal is a CloudError RATE_LIMITED (429) with the seconds until the window ends. The first
 * refusal of a window writes an alert row and a warning line: a burst is worth a person's look,
 * every refused call after it is not a new event.
 */
import type { Db } from '../db';
import { CloudError } from '../errors';

export const WINDOW_MS = 60_000;

/** Calls per minute; see config.ts for why each default. */
export interface Limits {
  identifyPerTerminal: number;
  authorisePerTerminal: number;
  /** Matches (tokens issued) on one payer's face, from any terminal. */
  matchesPerPayer: number;
}

export type LimitName = keyof Limits;

export interface AlertSink {
  warn(detail: Record<string, unknown>, message: string): void;
}

export class Limiter {
  constructor(
    private readonly db: Db,
    private readonly limits: Limits,
    private readonly log: AlertSink,
  ) {}

  /** Counts one call for `subject` under `name`; throws RATE_LIMITED past the limit. */
  async take(name: LimitName, subject: string, now = Date.now()): Promise<void> {
    const limit = this.limits[name];
    const windowStart = now - (now % WINDOW_MS);
    const { rows } = await this.db.query<{ count: number }>(
      `INSERT INTO rate_counters (bucket, window_start, count) VALUES ($1, $2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_counters.count + 1
       RETURNING count`,
      [`${name}:${subject}`, new Date(windowStart)],
    );
    const count = Number(rows[0]?.count ?? 0);
    if (count <= limit) return;
    if (count === limit + 1) await this.alert(name, subject, limit);
    const retryAfterS = Math.max(1, Math.ceil((windowStart + WINDOW_MS - now) / 1000));
    throw new CloudError(
      'RATE_LIMITED',
      `too many requests (${name}, ${limit} a minute): try again in ${retryAfterS} s`,
    ).withRetryAfter(retryAfterS);
  }

  private async alert(name: LimitName, subject: string, limit: number): Promise<void> {
    const detail = `more than ${limit} ${name} calls in one minute`;
    this.log.warn({ alert: `rate_limit.${name}`, subject, limit }, 'rate limit burst');
    await this.db.query('INSERT INTO alerts (kind, subject, detail) VALUES ($1, $2, $3)', [
      `rate_limit.${name}`,
      subject,
      detail,
    ]);
  }

  /** Drops windows that ended; run periodically. */
  async purge(now = Date.now()): Promise<number> {
    const result = await this.db.query('DELETE FROM rate_counters WHERE window_start < $1', [
      new Date(now - 2 * WINDOW_MS),
    ]);
    return result.rowCount;
  }
}

export interface AlertRow {
  id: number;
  at: string;
  kind: string;
  subject: string;
  detail: string;
}

export async function recentAlerts(db: Db, limit = 100): Promise<AlertRow[]> {
  const { rows } = await db.query<{
    id: number | string;
    at: Date;
    kind: string;
    subject: string;
    detail: string;
  }>('SELECT id, at, kind, subject, detail FROM alerts ORDER BY id DESC LIMIT $1', [limit]);
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    kind: r.kind,
    subject: r.subject,
    detail: r.detail,
  }));
}
