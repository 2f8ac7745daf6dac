/**
 * Store membership, "face as membership card": after a face payment the customer may join the
 * store's membership in one tap (consent recorded); next time they are recognised, the terminal
 * greets them with their points and coupons. One point per whole yuan paid by face at the store.
 */
import { randomUUID } from 'node:crypto';
import type { Coupon, JoinResponse, MemberGreeting } from '../api';
import type { AuthenticatedTerminal } from '../auth/terminals';
import type { Db, Queryable } from '../db';
import { CloudError } from '../errors';
import { maskName, maskPhone } from '../payers/mask';

export const FEN_PER_POINT = 100;

export function pointsFor(amountFen: number): number {
  return Math.floor(amountFen / FEN_PER_POINT);
}

interface CouponRow {
  id: string;
  title: string;
  discount_fen: number;
  min_spend_fen: number;
  expires_at: Date | null;
}

async function openCoupons(db: Queryable, memberId: string): Promise<Coupon[]> {
  const { rows } = await db.query<CouponRow>(
    `SELECT id, title, discount_fen, min_spend_fen, expires_at FROM coupons
     WHERE member_id = $1 AND redeemed_at IS NULL AND (expires_at IS NULL OR expires_at > now())
     ORDER BY created_at`,
    [memberId],
  );
  return rows.map((r) => ({
    couponId: r.id,
    title: r.title,
    discountFen: r.discount_fen,
    minSpendFen: r.min_spend_fen,
    expiresAt: r.expires_at === null ? null : new Date(r.expires_at).toISOString(),
  }));
}

/** The greeting for a recognised payer at this store, or null when they are not a member. */
export async function memberGreeting(
  db: Queryable,
  storeId: string,
  payerId: string,
): Promise<MemberGreeting | null> {
  const { rows } = await db.query<{ id: string; points: number }>(
    'SELECT id, points FROM members WHERE store_id = $1 AND payer_id = $2',
    [storeId, payerId],
  );
  const member = rows[0];
  if (member === undefined) return null;
  return { memberId: member.id, points: member.points, coupons: await openCoupons(db, member.id) };
}

/**
 * The greeting for the payer of an approved payment at this store: sent with the authorisation,
 * not with the match, so a face (or a photo of one) tells nobody who is a member until they pay.
 */
export async function memberGreetingForPayment(
  db: Queryable,
  storeId: string,
  paymentId: string,
): Promise<MemberGreeting | null> {
  const { rows } = await db.query<{ payer_id: string }>(
    `SELECT payer_id FROM payments WHERE id = $1 AND store_id = $2 AND status = 'approved'`,
    [paymentId, storeId],
  );
  const payerId = rows[0]?.payer_id;
  return payerId === undefined ? null : memberGreeting(db, storeId, payerId);
}

/** Called inside the payment and refund transactions; a non-member is simply not changed. */
export async function adjustPoints(
  tx: Queryable,
  storeId: string,
  payerId: string,
  delta: number,
): Promise<void> {
  if (delta === 0) return;
  await tx.query(
    'UPDATE members SET points = GREATEST(points + $3, 0) WHERE store_id = $1 AND payer_id = $2',
    [storeId, payerId, delta],
  );
}

export class MembershipService {
  constructor(private readonly db: Db) {}

  async join(
    terminal: AuthenticatedTerminal,
    input: { paymentId: string; consent: { textVersion: string; acceptedAt: string } },
  ): Promise<JoinResponse> {
    return this.db.transaction(async (tx) => {
      const payment = (
        await tx.query<{ payer_id: string; amount_fen: number; name: string; phone: string }>(
          `SELECT p.payer_id, p.amount_fen, y.name, y.phone FROM payments p
           JOIN payers y ON y.id = p.payer_id
           WHERE p.id = $1 AND p.store_id = $2 AND p.status = 'approved'`,
          [input.paymentId, terminal.storeId],
        )
      ).rows[0];
      if (payment === undefined) {
        throw new CloudError(
          'NOT_FOUND',
          'no approved face payment with that id at this store',
          'paymentId',
        );
      }
      // The joining payment earns its points too: it is the one that made them a member.
      const inserted = await tx.query<{ id: string }>(
        `INSERT INTO members (id, store_id, payer_id, points, consent_text_version,
                              consent_accepted_at, consent_terminal_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (store_id, payer_id) DO NOTHING RETURNING id`,
        [
          `mbr_${randomUUID()}`,
          terminal.storeId,
          payment.payer_id,
          pointsFor(payment.amount_fen),
          input.consent.textVersion,
          input.consent.acceptedAt,
          terminal.id,
        ],
      );
      const greeting = await memberGreeting(tx, terminal.storeId, payment.payer_id);
      if (greeting === null) throw new Error('member row missing after insert');
      return {
        ...greeting,
        storeId: terminal.storeId,
        joined: inserted.rowCount === 1,
        maskedName: maskName(payment.name),
        maskedPhone: maskPhone(payment.phone),
      };
    });
  }

  async issueCoupon(
    memberId: string,
    input: {
      title: string;
      discountFen: number;
      minSpendFen: number;
      expiresAt?: string | undefined;
    },
  ): Promise<Coupon> {
    const member = await this.db.query('SELECT 1 FROM members WHERE id = $1', [memberId]);
    if (member.rowCount === 0)
      throw new CloudError('NOT_FOUND', `no member ${memberId}`, 'memberId');
    const id = `cpn_${randomUUID()}`;
    await this.db.query(
      `INSERT INTO coupons (id, member_id, title, discount_fen, min_spend_fen, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, memberId, input.title, input.discountFen, input.minSpendFen, input.expiresAt ?? null],
    );
    return {
      couponId: id,
      title: input.title,
      discountFen: input.discountFen,
      minSpendFen: input.minSpendFen,
      expiresAt: input.expiresAt === undefined ? null : new Date(input.expiresAt).toISOString(),
    };
  }
}
