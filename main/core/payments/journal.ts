/**
 * The attempt journal: every charge is written down BEFORE its request leaves the terminal, and
 * its end after. A terminal that dies between charging and hearing the answer finds the attempt
 * still `pending` on the next start and asks the acquirer (query, then cancel) before anything
 * else happens to that sale: this is what keeps "charged but the till never knew" from becoming
 * "charged twice".
 *
 * Its own SQLite file (owner-only, WAL, synchronous=FULL) beside the ledger, not in it: the
 * ledger records money that arrived; this records questions still open with an acquirer. The
 * payment code itself is never stored (it is a bearer credential), only its scheme.
 */
import Database from 'better-sqlite3';
import type { PaymentScheme } from '../../contract';
import { writePrivateFile } from '../../shared/private-files';
import { existsSync } from 'node:fs';
import type { AcquirerName, PaidFields } from './types';

export type AttemptState = 'pending' | 'paid' | 'refused' | 'cancelled' | 'unknown';

export interface AttemptRow {
  outTradeNo: string;
  saleId: string;
  attempt: number;
  acquirer: AcquirerName;
  scheme: PaymentScheme;
  amountFen: number;
  state: AttemptState;
  /** Paid: what the acquirer said; refused/cancelled/unknown: its code and words. */
  paid: PaidFields | null;
  code: string | null;
  message: string | null;
  createdAt: string;
  updatedAt: string;
}

interface DbRow {
  out_trade_no: string;
  sale_id: string;
  attempt: number;
  acquirer: AcquirerName;
  scheme: PaymentScheme;
  amount_fen: number;
  state: AttemptState;
  paid_json: string | null;
  code: string | null;
  message: string | null;
  created_at: string;
  updated_at: string;
}

function fromDb(row: DbRow): AttemptRow {
  return {
    outTradeNo: row.out_trade_no,
    saleId: row.sale_id,
    attempt: row.attempt,
    acquirer: row.acquirer,
    scheme: row.scheme,
    amountFen: row.amount_fen,
    state: row.state,
    paid: row.paid_json === null ? null : (JSON.parse(row.paid_json) as PaidFields),
    code: row.code,
    message: row.message,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class AttemptJournal {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    // Create the file owner-only before SQLite opens it (SQLite would use the umask).
    if (file !== ':memory:' && !existsSync(file)) writePrivateFile(file, '');
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS acquirer_attempts (
      out_trade_no TEXT PRIMARY KEY,
      sale_id      TEXT NOT NULL,
      attempt      INTEGER NOT NULL CHECK (attempt >= 1),
      acquirer     TEXT NOT NULL,
      scheme       TEXT NOT NULL,
      amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
      state        TEXT NOT NULL
                   CHECK (state IN ('pending','paid','refused','cancelled','unknown')),
      paid_json    TEXT,
      code         TEXT,
      message      TEXT,
      created_at   TEXT NOT NULL,
      updated_at   TEXT NOT NULL,
      -- When the ledger recorded the payment (paid attempts only): until then a restart hands
      -- the proof out again, so money that arrived is never left off its sale.
      recorded_at  TEXT,
      UNIQUE (sale_id, attempt)
    )`);
  }

  /** The sale's latest attempt, if any. */
  latest(saleId: string): AttemptRow | null {
    const row = this.db
      .prepare('SELECT * FROM acquirer_attempts WHERE sale_id = ? ORDER BY attempt DESC LIMIT 1')
      .get(saleId) as DbRow | undefined;
    return row === undefined ? null : fromDb(row);
  }

  get(outTradeNo: string): AttemptRow | null {
    const row = this.db
      .prepare('SELECT * FROM acquirer_attempts WHERE out_trade_no = ?')
      .get(outTradeNo) as DbRow | undefined;
    return row === undefined ? null : fromDb(row);
  }

  /** Attempts whose end is not known: pending (in flight or interrupted) and unknown. */
  unresolved(): AttemptRow[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM acquirer_attempts WHERE state IN ('pending','unknown') ORDER BY created_at",
      )
      .all() as DbRow[];
    return rows.map(fromDb);
  }

  /** Paid attempts the ledger has not confirmed recording (a crash between the two). */
  unrecordedPaid(): AttemptRow[] {
    const rows = this.db
      .prepare(
        "SELECT * FROM acquirer_attempts WHERE state = 'paid' AND recorded_at IS NULL ORDER BY created_at",
      )
      .all() as DbRow[];
    return rows.map(fromDb);
  }

  markRecorded(outTradeNo: string): void {
    this.db
      .prepare(
        "UPDATE acquirer_attempts SET recorded_at = ? WHERE out_trade_no = ? AND state = 'paid'",
      )
      .run(this.now().toISOString(), outTradeNo);
  }

  /** Written (fsynced) before the charge request is sent. */
  begin(
    row: Pick<
      AttemptRow,
      'outTradeNo' | 'saleId' | 'attempt' | 'acquirer' | 'scheme' | 'amountFen'
    >,
  ): AttemptRow {
    const at = this.now().toISOString();
    this.db
      .prepare(
        `INSERT INTO acquirer_attempts
         (out_trade_no, sale_id, attempt, acquirer, scheme, amount_fen, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(
        row.outTradeNo,
        row.saleId,
        row.attempt,
        row.acquirer,
        row.scheme,
        row.amountFen,
        at,
        at,
      );
    return this.get(row.outTradeNo) as AttemptRow;
  }

  finish(
    outTradeNo: string,
    state: Exclude<AttemptState, 'pending'>,
    detail: { paid?: PaidFields; code?: string; message?: string },
  ): void {
    // A paid attempt stays paid: nothing later (a late error, a replay) may turn it back.
    this.db
      .prepare(
        `UPDATE acquirer_attempts SET state = ?, paid_json = ?, code = ?, message = ?, updated_at = ?
         WHERE out_trade_no = ? AND state <> 'paid'`,
      )
      .run(
        state,
        detail.paid === undefined ? null : JSON.stringify(detail.paid),
        detail.code ?? null,
        detail.message ?? null,
        this.now().toISOString(),
        outTradeNo,
      );
  }

  close(): void {
    this.db.close();
  }
}
