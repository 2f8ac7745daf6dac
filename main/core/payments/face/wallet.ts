/**
 * Face pay's `FaceSettlement`: the reference cloud's stored-value wallet (储值卡, the chain's own
 * member account). A debit is the cloud's `authorise` (answered with its Ed25519-signed word that
 * it debited the payer for this terminal's sale), `query` is its status by idempotency key, and a
 * refund credits the wallet back. The protocol is the cloud's (cloud/api.ts) and unchanged here:
 * this file only reads its answers in the settlement's words (payments/types.ts).
 */
import type { KeyObject } from 'node:crypto';
import type { PaymentRecord } from '../../../../cloud/api';
import { PosError } from '../../../contract';
import { paymentKeyFrom, VerifiedFaceDebit } from '../../../ledger';
import type {
  AcquirerReason,
  FaceDebitOutcome,
  FaceDebitRequest,
  FacePaid,
  FaceQueryOutcome,
  FaceRefundOutcome,
  FaceRefundRequest,
  FaceSettlement,
} from '../types';
import { errorCode, isLostAnswer, withTimeout } from './lost-answers';
import type { FacePayLink } from './ports';

export class StoredValueWallet implements FaceSettlement {
  /** The key the cloud signs debits with (asked once, for a terminal paired before it signed). */
  private paymentKey: KeyObject | null = null;

  /** `timeoutMs`: how long one debit, status or refund call may take before it counts as lost. */
  constructor(
    private readonly link: FacePayLink,
    private readonly timeoutMs: number,
  ) {}

  async prepare(): Promise<{ kind: 'ready' } | ({ kind: 'unknown' } & AcquirerReason)> {
    if (this.paymentKey !== null) return { kind: 'ready' };
    try {
      this.paymentKey = paymentKeyFrom(await this.link.client.paymentPublicKey());
      return { kind: 'ready' };
    } catch (error) {
      return { kind: 'unknown', ...reasonOf(error) };
    }
  }

  async debit(request: FaceDebitRequest): Promise<FaceDebitOutcome> {
    try {
      const record = await withTimeout(
        this.link.client.authorise(request),
        this.timeoutMs,
        'authorise',
      );
      return record.status === 'declined'
        ? { kind: 'refused', ...declineOf(record) }
        : { kind: 'paid', ...paidOf(record) };
    } catch (error) {
      return failureOf(error);
    }
  }

  async query(idempotencyKey: string): Promise<FaceQueryOutcome> {
    try {
      const found = await withTimeout(
        this.link.client.status(idempotencyKey),
        this.timeoutMs,
        'status',
      );
      if (found === null) return { kind: 'not_found' };
      return found.status === 'declined'
        ? { kind: 'closed', ...declineOf(found) }
        : { kind: 'paid', ...paidOf(found) };
    } catch (error) {
      return failureOf(error);
    }
  }

  verify(paid: FacePaid, saleId: string): VerifiedFaceDebit {
    if (this.paymentKey === null)
      throw new PosError('FORBIDDEN', "face payment not recorded: the cloud's key is unknown");
    return VerifiedFaceDebit.verify(paid.authorisation, this.paymentKey, {
      terminalId: this.link.credentials.terminalId,
      saleId,
      amountFen: paid.amountFen,
    });
  }

  async refund(request: FaceRefundRequest): Promise<FaceRefundOutcome> {
    try {
      const refund = await withTimeout(this.link.client.refund(request), this.timeoutMs, 'refund');
      return refund.status === 'approved'
        ? { kind: 'refunded', amountFen: refund.amountFen, refundedAt: refund.createdAt }
        : { kind: 'refused', ...declineOf(refund) };
    } catch (error) {
      return failureOf(error);
    }
  }
}

function paidOf(record: PaymentRecord): FacePaid {
  return {
    paymentId: record.paymentId,
    saleId: record.saleId,
    idempotencyKey: record.idempotencyKey,
    amountFen: record.amountFen,
    paidAt: record.createdAt,
    member: record.member ?? null,
    authorisation: record.authorisation,
  };
}

function declineOf(record: { declineCode: string | null }): AcquirerReason {
  const code = record.declineCode ?? 'DECLINED';
  return { code, message: `The wallet declined (${code}).` };
}

function reasonOf(error: unknown): AcquirerReason {
  return {
    code: errorCode(error),
    message: error instanceof Error ? error.message : 'The cloud did not answer.',
  };
}

/** A lost answer is `unknown` (the request may have been carried out); anything else a refusal. */
function failureOf(error: unknown): { kind: 'refused' | 'unknown' } & AcquirerReason {
  const reason = reasonOf(error);
  return { kind: isLostAnswer(reason.code) ? 'unknown' : 'refused', ...reason };
}
