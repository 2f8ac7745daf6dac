/**
 * Crediting the payer's face-pay wallet when the cashier refunds a face-paid sale.
 *
 * The ledger's refund stands at once, with the credits it owes written in the same transaction
 * (main/ledger/wallet-credits.ts). Then, if the terminal has a cloud link, each credit is sent
 * to the cloud's refund (idempotency key rf:<refundId>:<paymentId>), and the refund's answer
 * waits at most `waitMs` for it, so the cashier can tell the customer "credited" or "credited
 * when the terminal is back online". A credit not settled here (offline, slow, lost answer) is
 * left pending: the sync worker retries it with the same key until the cloud answers, so the
 * wallet is credited exactly once whoever gets through.
 */
import type { RefundRecord } from '../../../../cloud/api';
import { outcomeOfError, outcomeOfRecord } from '../../../../cloud/client/refund-outcome';
import type { Refund, RefundResult } from '../../../contract';
import type { Ledger, OwedCredit } from '../../../ledger';
import type { Logger } from '../../logger';

/** The part of the cloud client a credit needs (CloudClient satisfies it). */
export interface WalletCreditCloud {
  refund(input: {
    saleId: string;
    paymentId: string;
    amountFen: number;
    idempotencyKey: string;
    reason?: string;
  }): Promise<RefundRecord>;
}

export interface WalletCreditOptions {
  ledger: Pick<Ledger, 'pendingWalletCreditsOf' | 'walletCreditsOf' | 'recordWalletCredit'>;
  /** The terminal's cloud link now (null: not linked yet; the worker delivers later). */
  link: () => { client: WalletCreditCloud } | null;
  logger: Logger;
  /** How long a refund's answer waits for the cloud (the request itself may run on). */
  waitMs?: number;
  /** A credit was settled (the screens' pending count changed). */
  onSettled?: () => void;
}

export const WALLET_CREDIT_WAIT_MS = 3_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export class WalletCredits {
  constructor(private readonly options: WalletCreditOptions) {}

  /** Sends the refund's pending credits now and answers with where each stands. */
  async deliver(refund: Refund): Promise<RefundResult> {
    const { ledger } = this.options;
    const pending = ledger.pendingWalletCreditsOf(refund.id);
    const link = this.options.link();
    if (pending.length > 0 && link !== null) {
      const sending = Promise.all(pending.map((credit) => this.send(link.client, credit)));
      await Promise.race([sending, sleep(this.options.waitMs ?? WALLET_CREDIT_WAIT_MS)]);
    }
    return { ...refund, walletCredits: ledger.walletCreditsOf(refund.id) };
  }

  private async send(cloud: WalletCreditCloud, credit: OwedCredit): Promise<void> {
    const { logger } = this.options;
    const fields = { refundId: credit.refundId, amountFen: credit.amountFen };
    let outcome;
    try {
      outcome = outcomeOfRecord(
        await cloud.refund({
          saleId: credit.saleId,
          paymentId: credit.cloudPaymentId,
          amountFen: credit.amountFen,
          idempotencyKey: credit.key,
          reason: credit.reason,
        }),
      );
    } catch (error) {
      outcome = outcomeOfError(error);
      if (outcome === null) {
        const code = (error as { code?: unknown }).code;
        logger.warn('wallet credit not delivered yet; the sync worker will retry', {
          ...fields,
          code: typeof code === 'string' ? code : 'UNKNOWN',
        });
        return;
      }
    }
    if (outcome.status === 'credited') logger.info('wallet credited', fields);
    else logger.error('the cloud would not credit the wallet', { ...fields, code: outcome.code });
    try {
      if (this.options.ledger.recordWalletCredit(credit.key, outcome)) this.options.onSettled?.();
    } catch (error) {
      // The terminal is shutting down: the credit stays pending and the worker asks again (the
      // cloud answers the same key with the same record).
      logger.warn('wallet credit answer not recorded', {
        ...fields,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
