/**
 * Payers, the stand-in for the payment platform's accounts: wallet, limits, and face templates
 * enrolled with recorded consent.
 */
import { randomUUID } from 'node:crypto';
import type { PayerView } from '../api';
import type { Db } from '../db';
import { templateContext } from '../crypto/at-rest';
import { encodeEmbedding } from '../crypto/seal';
import { CloudError } from '../errors';
import { TEMPLATE_WRITE_LOCK, type TemplateSync } from '../identify/template-sync';
import { l2Normalise } from '../identify/template-index';
import { phoneTail } from './mask';
import { creditWallet } from './wallet';

export interface PayerDefaults {
  perTxLimitFen: number;
  dailyLimitFen: number;
}

export interface NewPayer {
  name: string;
  phone: string;
  balanceFen: number;
  perTxLimitFen?: number | undefined;
  dailyLimitFen?: number | undefined;
}

export interface Consent {
  textVersion: string;
  recordedBy: string;
  acceptedAt?: string | undefined;
}

interface PayerRow {
  id: string;
  name: string;
  phone: string;
  balance_fen: number;
  per_tx_limit_fen: number;
  daily_limit_fen: number;
  templates: number;
}

function view(row: PayerRow): PayerView {
  return {
    payerId: row.id,
    name: row.name,
    phone: row.phone,
    balanceFen: row.balance_fen,
    perTxLimitFen: row.per_tx_limit_fen,
    dailyLimitFen: row.daily_limit_fen,
    templates: row.templates,
  };
}

export class PayerService {
  constructor(
    private readonly db: Db,
    private readonly templates: TemplateSync,
    private readonly defaults: PayerDefaults,
  ) {}

  async create(input: NewPayer): Promise<PayerView> {
    const id = `pyr_${randomUUID()}`;
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO payers (id, name, phone, phone_tail, balance_fen, per_tx_limit_fen, daily_limit_fen)
         VALUES ($1, $2, $3, $4, 0, $5, $6)`,
        [
          id,
          input.name,
          input.phone,
          phoneTail(input.phone),
          input.perTxLimitFen ?? this.defaults.perTxLimitFen,
          input.dailyLimitFen ?? this.defaults.dailyLimitFen,
        ],
      );
      if (input.balanceFen > 0)
        await creditWallet(tx, id, input.balanceFen, 'topup', 'opening balance');
    });
    return this.get(id);
  }

  async get(payerId: string): Promise<PayerView> {
    const { rows } = await this.db.query<PayerRow>(
      `SELECT p.*, (SELECT count(*) FROM face_templates t
                    WHERE t.payer_id = p.id AND t.revoked_at IS NULL)::bigint AS templates
       FROM payers p WHERE p.id = $1`,
      [payerId],
    );
    const row = rows[0];
    if (row === undefined) throw new CloudError('NOT_FOUND', `no payer ${payerId}`, 'payerId');
    return view(row);
  }

  async setLimits(payerId: string, limits: Partial<PayerDefaults>): Promise<PayerView> {
    await this.db.query(
      `UPDATE payers SET per_tx_limit_fen = COALESCE($2, per_tx_limit_fen),
                         daily_limit_fen = COALESCE($3, daily_limit_fen)
       WHERE id = $1`,
      [payerId, limits.perTxLimitFen ?? null, limits.dailyLimitFen ?? null],
    );
    return this.get(payerId);
  }

  /** A top-up is idempotent by its reference: the same reference twice credits once. */
  async topUp(payerId: string, amountFen: number, reference: string): Promise<PayerView> {
    await this.get(payerId);
    await this.db.transaction((tx) => creditWallet(tx, payerId, amountFen, 'topup', reference));
    return this.get(payerId);
  }

  /**
   * Stores each embedding as a template under one consent record, then brings this replica's
   * index up to date before answering, so the payer can pay the moment enrolment returns.
   */
  async enrol(
    payerId: string,
    embeddings: readonly ArrayLike<number>[],
    source: string,
    consent: Consent,
    dim: number,
  ): Promise<number[]> {
    const vectors = embeddings.map((e, i) => {
      if (e.length !== dim) {
        throw new CloudError(
          'VALIDATION',
          `expected ${dim} numbers, got ${e.length}`,
          `embeddings.${i}`,
        );
      }
      try {
        return l2Normalise(e);
      } catch {
        throw new CloudError(
          'VALIDATION',
          'the embedding is zero or not finite',
          `embeddings.${i}`,
        );
      }
    });
    const ids = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [TEMPLATE_WRITE_LOCK]);
      const payer = await tx.query('SELECT 1 FROM payers WHERE id = $1', [payerId]);
      if (payer.rowCount === 0) throw new CloudError('NOT_FOUND', `no payer ${payerId}`, 'payerId');
      const consentRow = await tx.query<{ id: number }>(
        `INSERT INTO consents (payer_id, purpose, text_version, recorded_by, source, accepted_at)
         VALUES ($1, 'face_pay', $2, $3, $4, COALESCE($5::timestamptz, now())) RETURNING id`,
        [payerId, consent.textVersion, consent.recordedBy, source, consent.acceptedAt ?? null],
      );
      const consentId = consentRow.rows[0]?.id;
      const out: number[] = [];
      for (const vector of vectors) {
        // The id first: the template is sealed for its row and payer (crypto/at-rest.ts).
        const next = await tx.query<{ id: number }>(
          "SELECT nextval(pg_get_serial_sequence('face_templates', 'id')) AS id",
        );
        const id = Number(next.rows[0]?.id);
        const plain = encodeEmbedding(vector);
        const sealed = this.templates.key.seal(plain, templateContext(id, payerId));
        plain.fill(0);
        await tx.query(
          `INSERT INTO face_templates (id, payer_id, embedding, embedding_sealed, consent_id, change_seq)
           VALUES ($1, $2, $3, true, $4, nextval('template_change_seq'))`,
          [id, payerId, sealed, consentId],
        );
        out.push(id);
      }
      return out;
    });
    await this.templates.refresh();
    return ids;
  }

  /** Consent withdrawn: every template of the payer stops matching, on every replica. */
  async revokeTemplates(payerId: string): Promise<number> {
    const revoked = await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [TEMPLATE_WRITE_LOCK]);
      const result = await tx.query(
        `UPDATE face_templates SET revoked_at = now(), change_seq = nextval('template_change_seq')
         WHERE payer_id = $1 AND revoked_at IS NULL`,
        [payerId],
      );
      return result.rowCount;
    });
    await this.templates.refresh();
    return revoked;
  }
}
