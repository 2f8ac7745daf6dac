/**
 * Ingestion of the terminals' outbox events. A batch is one multi-row INSERT … ON CONFLICT DO
 * NOTHING (the rows travel as one JSON parameter and are unpacked by jsonb_to_recordset), so a
 * retried or overlapping batch stores each event once, and a batch costs one round trip.
 *
 * The event types the reports read are validated here, so a malformed money event is refused
 * loudly at the door instead of skewing a report later. Other types are stored as they come.
 * Each reported face payment is matched against the cloud's own debit (reconcile.ts).
 */
import type { EventEnvelope, IngestResponse, SaleCompletedPayload } from '../api';
import { refundCreatedPayload, saleCompletedPayload } from '../api';
import type { AuthenticatedTerminal } from '../auth/terminals';
import type { Db } from '../db';
import { CloudError } from '../errors';
import { reconcileFacePayments, type ReportedSale } from './reconcile';

const KNOWN_PAYLOADS = {
  'sale.completed': saleCompletedPayload,
  'refund.created': refundCreatedPayload,
} as const;

function isKnown(type: string): type is keyof typeof KNOWN_PAYLOADS {
  return Object.prototype.hasOwnProperty.call(KNOWN_PAYLOADS, type);
}

interface Row {
  id: string;
  type: string;
  created_at: string;
  business_date: string | null;
  payload: unknown;
}

export class IngestService {
  constructor(private readonly db: Db) {}

  async ingest(
    terminal: AuthenticatedTerminal,
    events: readonly EventEnvelope[],
  ): Promise<IngestResponse> {
    const sales: ReportedSale[] = [];
    const rows: Row[] = events.map((event, i) => {
      if (event.terminalId !== terminal.id) {
        throw new CloudError(
          'FORBIDDEN',
          'a terminal may only send its own events',
          `events.${i}.terminalId`,
        );
      }
      let businessDate: string | null = null;
      if (isKnown(event.type)) {
        const parsed = KNOWN_PAYLOADS[event.type].safeParse(event.payload);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const field = ['events', i, 'payload', ...(issue?.path ?? [])].map(String).join('.');
          throw new CloudError('VALIDATION', `${field}: ${issue?.message ?? 'invalid'}`, field);
        }
        businessDate = parsed.data.businessDate;
        if (event.type === 'sale.completed')
          sales.push({ eventId: event.id, payload: parsed.data as SaleCompletedPayload });
      }
      return {
        id: event.id,
        type: event.type,
        created_at: event.createdAt,
        business_date: businessDate,
        payload: event.payload,
      };
    });
    const result = await this.db.query(
      `INSERT INTO events (terminal_id, id, store_id, type, created_at, business_date, payload)
       SELECT $2, e.id, $3, e.type, e.created_at, e.business_date, e.payload
       FROM jsonb_to_recordset($1::jsonb)
         AS e(id text, type text, created_at timestamptz, business_date date, payload jsonb)
       ON CONFLICT (terminal_id, id) DO NOTHING`,
      [JSON.stringify(rows), terminal.id, terminal.storeId],
    );
    await reconcileFacePayments(this.db, terminal, sales);
    return { acknowledged: events.map((e) => e.id), inserted: result.rowCount };
  }
}
