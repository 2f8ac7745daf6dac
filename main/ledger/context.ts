/**
 * What every ledger module needs: the connection, the clock, the terminal, prepared statements
 * (prepared once, reused: preparing costs more than running a small statement) and the rule
 * that turns an instant into a business day.
 */
import type { Statement } from 'better-sqlite3';
import type { BusinessClock } from './clock';
import { nextDate, type BusinessMoment } from './clock';
import type { Db } from './db';
import { uuidv7 } from './ids';

export class Ctx {
  private readonly statements = new Map<string, Statement>();
  private readonly runInTx: { immediate: (fn: () => unknown) => unknown };
  /** The latest business day closed by a Z report (see businessMoment). */
  lastZDate: string | null = null;
  /**
   * The audit chain's key (audit.ts), from outside the ledger; set by Ledger.open. Null where
   * no audit row is ever written (the sync worker's store).
   */
  auditKey: Buffer | null = null;
  /**
   * The key PIN hashes are made with (staff.ts), from the terminal's secret store; never stored
   * in the database. Null: no pepper (tools and tests that open a bare ledger).
   */
  pinPepper: Buffer | null = null;

  constructor(
    readonly db: Db,
    readonly terminalId: string,
    readonly clock: BusinessClock,
    readonly now: () => Date,
    /** The schema the database is at (the newest, except in tests of older versions). */
    readonly schemaVersion: number,
  ) {
    this.runInTx = db.transaction((fn: () => unknown) => fn());
  }

  stmt(sql: string): Statement {
    let s = this.statements.get(sql);
    if (s === undefined) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE): everything or nothing. Nested calls
   * become savepoints.
   */
  tx<T>(fn: () => T): T {
    return this.runInTx.immediate(fn) as T;
  }

  /**
   * Runs a transaction with the carts file fsynced too, for the rare write whose cart must not
   * be lost (see payments.ts). Pragmas cannot change inside a transaction, hence outside.
   */
  durableCartsTx<T>(fn: () => T): T {
    this.db.pragma('carts.synchronous = FULL');
    try {
      return this.tx(fn);
    } finally {
      this.db.pragma('carts.synchronous = NORMAL');
    }
  }

  newId(at: Date): string {
    return uuidv7(at.getTime());
  }

  /**
   * The business day and hour of an instant. Normally the calendar day in the shop's zone; but
   * once a Z report has closed a day, later activity belongs to the next day (the Z closed the
   * day, even if the clock has not reached midnight yet).
   */
  businessMoment(at: Date): BusinessMoment {
    const m = this.clock.at(at);
    if (this.lastZDate !== null && m.date <= this.lastZDate)
      return { date: nextDate(this.lastZDate), hour: m.hour };
    return m;
  }
}
