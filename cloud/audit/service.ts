/**
 * The terminals' audit chain anchors. Each till keys its audit chain with a secret of its own
 * (main/ledger/audit.ts), so an edited ledger no longer verifies on the till; but whoever holds
 * the till (and so its key) could rewrite the ledger and recompute every MAC. The cloud closes
 * that: at each sync the till sends its chain head, and the cloud keeps every head it accepted.
 * A later sync must show, at the newest seq the cloud holds, the MAC the cloud holds; a ledger
 * rewritten since (or cut short below that seq) cannot, and the terminal is flagged: an alert
 * row the admin API and CLI list, and a `mismatch` answer that raises the till's banner.
 *
 * The exchange: { head, check }. With no anchor held, the head is stored. Otherwise `check`
 * must be the till's MAC at the held seq: without it (a till that just started) the answer is
 * `check` with that seq, and nothing is stored; with it, a match stores the new head and a
 * difference is a mismatch. Nothing a till sends replaces an anchor already held, so a flagged
 * terminal stays flagged on every later sync.
 */
import type { AnchorRequest, AnchorResponse, AuditAlert } from '../api';
import type { AuthenticatedTerminal } from '../auth/terminals';
import type { Db, Queryable } from '../db';

export class AuditAnchorService {
  constructor(private readonly db: Db) {}

  async anchor(terminal: AuthenticatedTerminal, req: AnchorRequest): Promise<AnchorResponse> {
    return this.db.transaction(async (tx) => {
      // One terminal's anchors are compared and stored one request at a time.
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`audit:${terminal.id}`]);
      const { rows } = await tx.query<{ seq: string; mac: string }>(
        `SELECT seq, mac FROM audit_anchors WHERE terminal_id = $1 ORDER BY seq DESC LIMIT 1`,
        [terminal.id],
      );
      const held = rows[0] === undefined ? null : { seq: Number(rows[0].seq), mac: rows[0].mac };
      if (held === null) {
        await this.store(tx, terminal, req.head);
        return { status: 'ok', heldSeq: req.head.seq };
      }
      if (req.head.seq < held.seq) {
        const reason = `the till's audit chain ends at row ${req.head.seq}, before row ${held.seq} the cloud holds (rows removed or the ledger replaced)`;
        await this.flag(tx, terminal, held.seq, 'truncated', reason);
        return { status: 'mismatch', heldSeq: held.seq, seq: held.seq, reason };
      }
      if (req.check === null || req.check.seq !== held.seq) {
        return { status: 'check', heldSeq: held.seq };
      }
      if (req.check.mac !== held.mac) {
        const reason = `the till's audit chain at row ${held.seq} differs from the chain head the cloud received at sync (the ledger was rewritten)`;
        await this.flag(tx, terminal, held.seq, 'rewritten', reason);
        return { status: 'mismatch', heldSeq: held.seq, seq: held.seq, reason };
      }
      if (req.head.seq > held.seq) await this.store(tx, terminal, req.head);
      return { status: 'ok', heldSeq: req.head.seq };
    });
  }

  /** Alerts, newest first: all terminals', or one store's. */
  async alerts(storeId?: string): Promise<AuditAlert[]> {
    const { rows } = await this.db.query<{
      id: string;
      terminal_id: string;
      store_id: string;
      seq: string;
      kind: 'rewritten' | 'truncated';
      detail: string;
      raised_at: Date | string;
    }>(
      `SELECT id, terminal_id, store_id, seq, kind, detail, raised_at FROM audit_alerts
       WHERE $1::text IS NULL OR store_id = $1 ORDER BY id DESC LIMIT 1000`,
      [storeId ?? null],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      terminalId: r.terminal_id,
      storeId: r.store_id,
      seq: Number(r.seq),
      kind: r.kind,
      detail: r.detail,
      raisedAt: new Date(r.raised_at).toISOString(),
    }));
  }

  private async store(
    tx: Queryable,
    terminal: AuthenticatedTerminal,
    head: { seq: number; mac: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO audit_anchors (terminal_id, seq, mac) VALUES ($1, $2, $3)
       ON CONFLICT (terminal_id, seq) DO NOTHING`,
      [terminal.id, head.seq, head.mac],
    );
  }

  private async flag(
    tx: Queryable,
    terminal: AuthenticatedTerminal,
    seq: number,
    kind: 'rewritten' | 'truncated',
    detail: string,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO audit_alerts (terminal_id, store_id, seq, kind, detail)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (terminal_id, seq, kind) DO NOTHING`,
      [terminal.id, terminal.storeId, seq, kind, detail],
    );
  }
}
