/**
 * Every face payment a terminal reports (in sale.completed) is matched against the cloud's own
 * debit: same terminal, same sale, the payment id the terminal recorded, the same amount. One
 * that matches nothing, or another amount, is written to reconciliation_exceptions (listed for
 * the back office), never silently accepted: a terminal that records face payments the cloud
 * never debited (issue 9) shows up here at its next sync.
 */
import type { ReconciliationException, SaleCompletedPayload } from '../api';
import type { AuthenticatedTerminal } from '../auth/terminals';
import type { Db, Queryable } from '../db';

export interface ReportedSale {
  eventId: string;
  payload: SaleCompletedPayload;
}

interface Finding {
  event_id: string;
  payment_no: number;
  sale_id: string;
  payment_ref: string | null;
  amount_fen: number;
  kind: ReconciliationException['kind'];
  debited_fen: number | null;
}

/** Checks the batch's face payments; returns how many exceptions were new. */
export async function reconcileFacePayments(
  db: Queryable,
  terminal: AuthenticatedTerminal,
  sales: readonly ReportedSale[],
): Promise<number> {
  const reported = sales.flatMap(({ eventId, payload }) =>
    payload.payments
      .map((p, i) => ({ eventId, saleId: payload.saleId, no: i, p }))
      .filter((x) => x.p.method === 'face'),
  );
  if (reported.length === 0) return 0;
  const { rows: debits } = await db.query<{ id: string; sale_id: string; amount_fen: number }>(
    `SELECT id, sale_id, amount_fen FROM payments
     WHERE terminal_id = $1 AND status = 'approved' AND sale_id = ANY($2::text[])`,
    [terminal.id, [...new Set(reported.map((r) => r.saleId))]],
  );
  const byId = new Map(debits.map((d) => [d.id, d]));
  const findings: Finding[] = [];
  for (const r of reported) {
    const ref = r.p.reference ?? null;
    const debit = ref === null ? undefined : byId.get(ref);
    const base = {
      event_id: r.eventId,
      payment_no: r.no,
      sale_id: r.saleId,
      payment_ref: ref,
      amount_fen: r.p.amountFen,
    };
    if (debit === undefined || debit.sale_id !== r.saleId)
      findings.push({ ...base, kind: 'UNKNOWN_DEBIT', debited_fen: null });
    else if (Number(debit.amount_fen) !== r.p.amountFen)
      findings.push({ ...base, kind: 'AMOUNT_MISMATCH', debited_fen: Number(debit.amount_fen) });
  }
  if (findings.length === 0) return 0;
  const result = await db.query(
    `INSERT INTO reconciliation_exceptions
       (store_id, terminal_id, event_id, payment_no, sale_id, payment_ref, amount_fen, kind,
        debited_fen)
     SELECT $2, $3, f.event_id, f.payment_no, f.sale_id, f.payment_ref, f.amount_fen, f.kind,
            f.debited_fen
     FROM jsonb_to_recordset($1::jsonb) AS f(event_id text, payment_no integer, sale_id text,
       payment_ref text, amount_fen bigint, kind text, debited_fen bigint)
     ON CONFLICT (terminal_id, event_id, payment_no) DO NOTHING`,
    [JSON.stringify(findings), terminal.storeId, terminal.id],
  );
  return result.rowCount;
}

/** The store's exceptions, newest first (the back office's list). */
export async function reconciliationExceptions(
  db: Db,
  storeId: string,
  limit = 500,
): Promise<ReconciliationException[]> {
  const { rows } = await db.query<{
    terminal_id: string;
    event_id: string;
    sale_id: string;
    payment_ref: string | null;
    amount_fen: number;
    kind: ReconciliationException['kind'];
    debited_fen: number | null;
    detected_at: Date;
  }>(
    `SELECT terminal_id, event_id, sale_id, payment_ref, amount_fen, kind, debited_fen, detected_at
     FROM reconciliation_exceptions WHERE store_id = $1 ORDER BY id DESC LIMIT $2`,
    [storeId, limit],
  );
  return rows.map((r) => ({
    terminalId: r.terminal_id,
    eventId: r.event_id,
    saleId: r.sale_id,
    paymentRef: r.payment_ref,
    amountFen: Number(r.amount_fen),
    kind: r.kind,
    debitedFen: r.debited_fen === null ? null : Number(r.debited_fen),
    detectedAt: new Date(r.detected_at).toISOString(),
  }));
}
