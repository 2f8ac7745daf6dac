/**
 * Settlement: a confirmed face payment from the wallet's debit to the ledger, and the money back
 * when the ledger cannot take it.
 *
 * - `debit`: a lost answer is never guessed at: the wallet is asked `query(key)` with backoff until
 *   it knows, and the debit is sent again (same key) only when it says it never received it.
 *   Still unknown at the deadline: `unknown`, and the attempt hands the key to `resolveLater`.
 * - `record`: only the wallet's signed word, verified for this terminal, sale and amount, is
 *   recorded (`ledger.payFace`, one transaction that completes the sale). One that does not
 *   verify, or that the ledger refuses (the sale was settled or changed meanwhile), is given back.
 * - `resolveLater`: after PAYMENT_UNCERTAIN, keeps asking in the background; an approval found
 *   is recorded if the sale is still open for that amount, and refunded otherwise.
 */
import type { Sale } from '../../../contract';
import type { Logger } from '../../logger';
import type { FaceDebitOutcome, FaceDebitRequest, FacePaid, FaceSettlement } from '../types';
import { errorCode, sleep } from './lost-answers';
import type { FacePayLedger, FacePayTiming } from './ports';

export interface SettlementOptions {
  ledger: FacePayLedger;
  logger: Logger;
  /** A face payment completed the sale: the core tells the screens (sale, shift, outbox). */
  onSalePaid: (sale: Sale) => void;
  timing: FacePayTiming;
}

export class SettlementFlow {
  /** Sales with a face payment whose outcome is still being resolved: no new attempt. */
  private readonly unresolved = new Set<string>();
  private readonly background = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: SettlementOptions) {}

  isUnresolved(saleId: string): boolean {
    return this.unresolved.has(saleId);
  }

  /** Debit, and if the answer is lost, find out what happened (see the file's comment). */
  async debit(wallet: FaceSettlement, request: FaceDebitRequest): Promise<FaceDebitOutcome> {
    const { logger, timing } = this.options;
    const deadline = performance.now() + timing.resolveDeadlineMs;
    const backoff = timing.resolveBackoffMs;
    let send = true;
    let round = 0;
    for (;;) {
      if (send) {
        const outcome = await wallet.debit(request);
        if (outcome.kind !== 'unknown') return outcome;
        logger.warn('face pay: no answer from the cloud; asking status', {
          saleId: request.saleId,
          code: outcome.code,
        });
        send = false;
      } else {
        const found = await wallet.query(request.idempotencyKey);
        if (found.kind === 'paid' || found.kind === 'closed') {
          logger.info('face pay: payment found by status query', {
            saleId: request.saleId,
            status: found.kind === 'paid' ? 'approved' : 'declined',
          });
          return found.kind === 'paid' ? found : { ...found, kind: 'refused' };
        }
        // The cloud never received it: sending it again (same key) is safe.
        if (found.kind === 'not_found') {
          send = true;
          continue;
        }
        if (found.kind === 'refused') return found;
        logger.warn('face pay: no answer from the cloud; asking status', {
          saleId: request.saleId,
          code: found.code,
        });
      }
      if (performance.now() >= deadline) return { kind: 'unknown', ...STILL_UNKNOWN };
      await sleep(backoff[Math.min(round, backoff.length - 1)] ?? 1_000);
      round += 1;
    }
  }

  /**
   * Writes a paid debit to the ledger for `saleId`, for the person signed in when the attempt
   * started (completing the sale when it covers what is due). null: not recorded, given back.
   */
  record(wallet: FaceSettlement, paid: FacePaid, saleId: string, operatorId: string): Sale | null {
    const { ledger, logger } = this.options;
    try {
      const sale = ledger.payFace(wallet.verify(paid, saleId), operatorId);
      logger.info('face pay: paid', { saleId, receiptNo: sale.receiptNo });
      this.options.onSalePaid(sale);
      return sale;
    } catch (error) {
      logger.error('face pay: the ledger refused an approved payment; refunding', {
        saleId,
        code: errorCode(error),
      });
      this.giveBack(wallet, paid);
      return null;
    }
  }

  /**
   * After PAYMENT_UNCERTAIN: asks `query(key)` in the background until it knows. A payment found
   * is recorded, then `onRecorded` tells the attempt (which may still be on the screens).
   */
  resolveLater(
    wallet: FaceSettlement,
    attempt: { saleId: string; operatorId: string; key: string },
    onRecorded: (sale: Sale, paid: FacePaid) => void,
  ): void {
    const { logger, timing } = this.options;
    const { saleId, key } = attempt;
    const started = performance.now();
    this.unresolved.add(saleId);
    this.repeat(async () => {
      const found = await wallet.query(key);
      if (found.kind === 'refused' || found.kind === 'unknown') {
        if (performance.now() - started <= timing.backgroundResolveForMs) return false;
        logger.error('face pay: gave up resolving a payment; reconcile by hand', { saleId, key });
      } else if (found.kind !== 'paid') {
        logger.info('face pay: the uncertain payment was not taken', { saleId });
      } else {
        const sale = this.record(wallet, found, saleId, attempt.operatorId);
        if (sale !== null) onRecorded(sale, found);
      }
      this.unresolved.delete(saleId);
      return true;
    });
  }

  /** Credits a payment the ledger did not take back to the payer's wallet (retried while lost). */
  private giveBack(wallet: FaceSettlement, paid: FacePaid): void {
    const { logger, timing } = this.options;
    const idempotencyKey = `fpr:${paid.idempotencyKey.replace(/^fp:/, '')}`.slice(0, 100);
    const started = performance.now();
    this.repeat(async () => {
      const refund = await wallet.refund({
        saleId: paid.saleId,
        paymentId: paid.paymentId,
        amountFen: paid.amountFen,
        idempotencyKey,
        reason: 'face payment not recorded at the till',
      });
      if (refund.kind === 'refunded') {
        logger.info('face pay: refunded an unrecorded payment', { saleId: paid.saleId });
        return true;
      }
      if (refund.kind === 'refused') {
        logger.error('face pay: refund refused', { saleId: paid.saleId, code: refund.code });
        return true;
      }
      return performance.now() - started > timing.backgroundResolveForMs;
    });
  }

  /** Runs `step` now and every backgroundResolveEveryMs until it returns true. */
  private repeat(step: () => Promise<boolean>): void {
    let busy = false;
    const run = async (): Promise<void> => {
      if (busy || this.closed) return;
      busy = true;
      try {
        if (await step()) {
          clearInterval(timer);
          this.background.delete(timer);
        }
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void run(), this.options.timing.backgroundResolveEveryMs);
    timer.unref();
    this.background.add(timer);
    void run();
  }

  /** Stops the background work (what it had not resolved is left to reconciliation). */
  close(): void {
    this.closed = true;
    for (const timer of this.background) clearInterval(timer);
    this.background.clear();
  }
}

const STILL_UNKNOWN = {
  code: 'PAYMENT_UNCERTAIN',
  message: 'The wallet has not said whether it debited the payer.',
};
