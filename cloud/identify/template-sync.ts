/**
 * Keeps the in-memory index in step with the face_templates table: everything at start, then
 * whatever changed. Writers (enrolment, revocation) number each change from a sequence under an
 * advisory lock, so changes commit in sequence order and "change_seq > last seen" misses nothing.
 * That is what lets several replicas behind a load balancer each hold the index: each follows
 * the table on a timer, and the replica that took an enrolment refreshes at once.
 */
import { templateContext, type AtRestKey } from '../crypto/at-rest';
import type { Db } from '../db';
import { decodeEmbedding } from '../crypto/seal';
import type { TemplateIndex } from './template-index';

/** The advisory-lock key every template writer takes (see payers/service.ts). */
export const TEMPLATE_WRITE_LOCK = 7_401_002;
const PAGE_ROWS = 2000;

interface ChangeRow {
  id: number;
  payer_id: string;
  phone_tail: string;
  embedding: Uint8Array;
  embedding_sealed: boolean;
  revoked: boolean;
  change_seq: number;
}

export class TemplateSync {
  private lastSeq = 0;
  private queue: Promise<number> = Promise.resolve(0);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    readonly index: TemplateIndex,
    /** What the templates are sealed under in the database (writers seal with it too). */
    readonly key: AtRestKey,
    /** Told of a template that does not open (moved between rows, or another key's): skipped. */
    public onRejected: (templateId: number, error: Error) => void = () => {},
  ) {}

  /** First load: size the index once, then read every live template. */
  async load(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*)::bigint AS n FROM face_templates WHERE revoked_at IS NULL',
    );
    this.index.reserve(rows[0]?.n ?? 0);
    return this.refresh();
  }

  /** Applies every change since the last one seen. Calls queue up; none overlap. */
  refresh(): Promise<number> {
    this.queue = this.queue.then(
      () => this.pull(),
      () => this.pull(),
    );
    return this.queue;
  }

  startPolling(intervalMs: number, onError: (error: unknown) => void): void {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => void this.refresh().catch(onError), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async pull(): Promise<number> {
    let applied = 0;
    for (;;) {
      const { rows } = await this.db.query<ChangeRow>(
        `SELECT t.id, t.payer_id, p.phone_tail, t.embedding, t.embedding_sealed,
                t.revoked_at IS NOT NULL AS revoked,
                t.change_seq
         FROM face_templates t JOIN payers p ON p.id = t.payer_id
         WHERE t.change_seq > $1 ORDER BY t.change_seq LIMIT $2`,
        [this.lastSeq, PAGE_ROWS],
      );
      for (const row of rows) {
        this.lastSeq = row.change_seq;
        if (row.revoked) {
          this.index.remove(row.id);
          continue;
        }
        let plain: Buffer;
        try {
          if (!row.embedding_sealed) throw new Error(`template ${row.id} is not sealed`);
          plain = this.key.open(row.embedding, templateContext(Number(row.id), row.payer_id));
        } catch (error) {
          this.index.remove(row.id);
          this.onRejected(Number(row.id), error as Error);
          continue;
        }
        this.index.add(row.id, row.payer_id, row.phone_tail, decodeEmbedding(plain));
        plain.fill(0);
      }
      applied += rows.length;
      if (rows.length < PAGE_ROWS) return applied;
    }
  }
}
