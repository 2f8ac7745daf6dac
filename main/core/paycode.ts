/**
 * Payment codes at the till (付款码): `sale.payByCode` runs the pay-by-code flow (payments/) for
 * the open sale's due amount and records the acquirer's proof on the sale.
 *
 * - The amount is the ledger's, never the caller's: the sale's due amount when the code arrives.
 * - Progress goes to the staff screens as 'paycode.progress' events (with the seconds the buyer
 *   has left to confirm on the phone), the code masked.
 * - A paid proof is recorded by the ledger (payAcquirer), then `recorded(trade)` tells the flow,
 *   so a crash in between hands the proof out again at the next start, and the ledger's unique
 *   out_trade_no keeps it from being recorded twice.
 * - At start-up `recover()` settles what the flow left open. Money that arrived while the till
 *   was down is recorded on its sale once someone is signed in (a payment row names its
 *   operator); if its sale can no longer take it (voided, paid another way), the money is sent
 *   back through the acquirer (refund keyed by the trade) and never recorded.
 * - No acquirer configured: NOT_SUPPORTED "No acquirer is configured for Alipay codes", and the
 *   till's QR and card stay recorded tenders as before.
 * The code itself is never logged, stored or echoed back (only maskPaymentCode's ends).
 */
import {
  classifyPaymentCode,
  maskPaymentCode,
  PAYMENT_SCHEME_NAMES,
  PosError,
  type AcquirerName,
  type PayCodeProgress,
  type PayCodeResult,
  type Reconciliation,
  type Sale,
} from '../contract';
import { reconcile } from './payments/reconciliation';
import type { AcquirerRefund, Ledger, RefundPlan } from '../ledger';
import type { Logger } from './logger';
import type {
  Acquirer,
  FlowClock,
  PaidTrade,
  PayByCode,
  PayProgress,
  RefundOutcome,
} from './payments';

/** Queries of a refund the acquirer has not finished (WeChat PROCESSING) or not answered. */
const REFUND_QUERIES = 3;
const REFUND_QUERY_MS = 2_000;
import type { PaymentScheme } from '../contract';

export interface PayCodeServiceOptions {
  ledger: Ledger;
  /** The terminal's one flow (null: no acquirer is configured). */
  flow: PayByCode | null;
  /** The acquirers the flow uses (to send back money a voided sale cannot take). */
  acquirers: Partial<Record<PaymentScheme, Acquirer>>;
  logger: Logger;
  /** The line the buyer sees on the phone. */
  shopName: string;
  emit: (progress: PayCodeProgress) => void;
  /** After a payment is recorded: the screens follow the sale (and its completion). */
  onSalePaid: (sale: Sale) => void;
  /** How long the buyer may confirm (the flow's waitLimitMs), for the countdown. */
  waitLimitMs?: number;
  /** The flow's clock (tests walk the 30 s at once). */
  clock?: FlowClock;
}

export class PayCodeService {
  /** Paid proofs recover() found that wait for someone signed in to be recorded. */
  private unrecorded: PaidTrade[] = [];
  /** recover()'s run: a new charge waits for it (an open attempt may be this very sale's). */
  private recovering: Promise<void> = Promise.resolve();
  private readonly recording = new Set<Promise<unknown>>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly waitLimitMs: number;

  constructor(private readonly options: PayCodeServiceOptions) {
    this.now = options.clock === undefined ? Date.now : () => (options.clock as FlowClock).now();
    this.sleep =
      options.clock === undefined
        ? (ms) => new Promise((resolve) => setTimeout(resolve, ms))
        : (ms) => (options.clock as FlowClock).sleep(ms);
    this.waitLimitMs = options.waitLimitMs ?? 30_000;
  }

  private queue: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every earlier one has settled (refunds through the acquirer). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Settles when the start-up recovery is done. */
  get recovered(): Promise<void> {
    return this.recovering;
  }

  /** Settles when the recovered payments handed to recordRecovered are recorded (or sent back). */
  idle(): Promise<void> {
    return Promise.all(this.recording).then(() => undefined);
  }

  /**
   * A day's reconciliation with one acquirer: the ledger's list against the acquirer's day bill.
   * NOT_SUPPORTED when that acquirer is not configured here; ACQUIRER_UNAVAILABLE when its bill
   * cannot be fetched (then nothing is compared: half a list would look like missing money).
   */
  async reconcile(acquirer: AcquirerName, day: string): Promise<Reconciliation> {
    const ours = this.options.ledger.acquirerDayLines(acquirer, day);
    const through = Object.values(this.options.acquirers).find((a) => a?.name === acquirer);
    if (through === undefined)
      throw new PosError('NOT_SUPPORTED', `No ${acquirer} acquirer is configured.`, 'acquirer');
    let bill;
    try {
      bill = await through.settlementList(day);
    } catch (error) {
      this.options.logger.warn('acquirer day bill not fetched', {
        acquirer,
        day,
        error: error instanceof Error ? error.message : String(error),
      });
      throw new PosError(
        'ACQUIRER_UNAVAILABLE',
        `The ${acquirer} statement for ${day} could not be fetched.`,
        'acquirer',
      );
    }
    return reconcile(day, acquirer, ours, bill);
  }

  /** Whether a payment code can be charged at all on this terminal. */
  get configured(): boolean {
    return this.options.flow !== null;
  }

  async pay(saleId: string, code: string, operatorId: string): Promise<PayCodeResult> {
    const flow = this.options.flow;
    const check = classifyPaymentCode(code);
    if (!check.ok) throw new PosError('VALIDATION', check.message, 'code');
    if (flow === null)
      throw new PosError(
        'NOT_SUPPORTED',
        `No acquirer is configured for ${PAYMENT_SCHEME_NAMES[check.scheme]} codes.`,
        'code',
      );
    await this.recovering;
    // Money from earlier that waited for a sign-in goes first (it may be this very sale's).
    this.recordRecovered(operatorId);
    const sale = this.options.ledger.getSale(saleId);
    if (sale.status !== 'open')
      throw new PosError('SALE_NOT_OPEN', `sale ${saleId} is not open`, 'saleId');
    const masked = maskPaymentCode(check.code);
    let waitingSince: number | null = null;
    const onProgress = (stage: PayProgress): void => {
      if (stage === 'waiting_for_buyer' && waitingSince === null) waitingSince = this.now();
      const secondsLeft =
        stage === 'waiting_for_buyer' && waitingSince !== null
          ? Math.max(0, Math.ceil((waitingSince + this.waitLimitMs - this.now()) / 1000))
          : null;
      this.options.emit({ saleId, stage, secondsLeft, masked });
    };
    const result = await flow.pay({
      saleId,
      amountFen: sale.dueFen,
      code: check.code,
      subject: `${this.options.shopName}`.slice(0, 120),
      onProgress,
    });
    if (result.status !== 'paid')
      return { status: result.status, code: result.code, message: result.message };
    const recorded = await this.record(result.trade, operatorId);
    if (recorded === null)
      return {
        status: 'refused',
        code: 'SALE_CHANGED',
        message:
          'The sale changed while the customer paid; the payment was sent back to the customer.',
      };
    return { status: 'paid', sale: recorded, replayed: result.replayed };
  }

  /**
   * At start-up: settle what a previous run left open, and keep the money that arrived for
   * recording at the next sign-in (or now, if `operatorId` is given).
   */
  recover(operatorId: string | null = null): Promise<void> {
    const run = this.recoverNow(operatorId).catch((error: unknown) => {
      this.options.logger.error('recovering open acquirer attempts failed', {
        error: error instanceof Error ? error.message : String(error),
      });
    });
    this.recovering = run;
    return run;
  }

  private async recoverNow(operatorId: string | null): Promise<void> {
    const flow = this.options.flow;
    if (flow === null) return;
    const results = await flow.recover();
    for (const result of results) {
      if (result.status === 'paid') this.unrecorded.push(result.trade);
      else
        this.options.logger.warn('acquirer attempt left open at start', {
          outTradeNo: result.outTradeNo,
          status: result.status,
          code: result.code,
        });
    }
    if (operatorId !== null) this.recordRecovered(operatorId);
  }

  /** Someone is signed in: record what recover() found (their name goes on the payment). */
  recordRecovered(operatorId: string): void {
    const waiting = this.unrecorded;
    this.unrecorded = [];
    for (const trade of waiting) {
      const run = this.record(trade, operatorId)
        .catch((error: unknown) => {
          this.options.logger.error('recording a recovered acquirer payment failed', {
            outTradeNo: trade.outTradeNo,
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => this.recording.delete(run));
      this.recording.add(run);
    }
  }

  /** Proofs recovered and not yet recorded (for the start-up log and tests). */
  get waitingToRecord(): number {
    return this.unrecorded.length;
  }

  /**
   * Record the proof on its sale; the sale as it stands, or null when the sale could not take
   * it (the money then goes back to the buyer through the acquirer). The QR flow's proofs are
   * recorded here too (main/core/qr.ts).
   */
  async record(trade: PaidTrade, operatorId: string): Promise<Sale | null> {
    const { ledger, logger } = this.options;
    let sale: Sale;
    try {
      const done = ledger.payAcquirer(trade, operatorId);
      sale = done.sale;
      this.options.flow?.recorded(trade);
      if (done.recorded) this.options.onSalePaid(sale);
      return sale;
    } catch (error) {
      if (!PosError.is(error)) throw error;
      logger.warn('acquirer payment not taken by its sale: sending it back', {
        outTradeNo: trade.outTradeNo,
        code: error.code,
      });
    }
    await this.sendBack(trade);
    return null;
  }

  /**
   * The part of a planned refund that goes back to a payment a code paid: refunded through its
   * acquirer first, keyed by the ledger's refund id (asking again with the same id can never
   * refund twice). Answers what the acquirer refunded, for the ledger to record with the refund;
   * ACQUIRER_REFUND_FAILED when it did not confirm (then nothing is recorded).
   */
  async refundFirst(saleId: string, plan: RefundPlan): Promise<AcquirerRefund[]> {
    const taken = this.options.ledger.acquirerPaymentsOf(saleId);
    const parts = plan.allocation.flatMap((a) => {
      const payment = taken.find((t) => t.paymentId === a.paymentId);
      return payment === undefined ? [] : [{ part: a, payment }];
    });
    if (parts.length === 0) return [];
    // One acquirer call per refund, so that a failure can never leave one part refunded and
    // the other not (a retry would plan a new refund id and could refund the first twice).
    if (parts.length > 1)
      throw new PosError(
        'NOT_SUPPORTED',
        'This sale was paid by two payment codes: refund the lines of one payment at a time.',
        'saleId',
      );
    const { part, payment } = parts[0] as (typeof parts)[number];
    const acquirer = Object.values(this.options.acquirers).find(
      (a) => a?.name === payment.acquirer,
    );
    if (acquirer === undefined)
      throw new PosError(
        'NOT_SUPPORTED',
        `No acquirer is configured to refund this ${payment.scheme} payment.`,
        'saleId',
      );
    const request = {
      outTradeNo: payment.outTradeNo,
      refundNo: plan.id,
      amountFen: part.amountFen,
      totalFen: payment.amountFen,
      reason: 'refund at the till',
    };
    const asked = (call: () => Promise<RefundOutcome>): Promise<RefundOutcome> =>
      call().catch((error: unknown) => ({
        kind: 'unknown' as const,
        code: 'ACQUIRER_ERROR',
        message: error instanceof Error ? error.message : String(error),
      }));
    let outcome = await asked(() => acquirer.refund(request));
    // Not yet done, or no answer: ask about the same refund number a few times.
    for (
      let i = 0;
      i < REFUND_QUERIES && (outcome.kind === 'processing' || outcome.kind === 'unknown');
      i++
    ) {
      await this.sleep(REFUND_QUERY_MS);
      outcome = await asked(() => acquirer.refundQuery(payment.outTradeNo, plan.id));
    }
    this.options.logger.info('acquirer refund', {
      outTradeNo: payment.outTradeNo,
      refundNo: plan.id,
      outcome: outcome.kind,
    });
    if (outcome.kind !== 'refunded' || outcome.amountFen !== part.amountFen) {
      const words = 'message' in outcome ? `: ${outcome.message}` : '';
      throw new PosError(
        'ACQUIRER_REFUND_FAILED',
        `The acquirer did not confirm the refund (${outcome.kind}${words}); nothing was recorded.`,
        'saleId',
      );
    }
    return [
      {
        paymentId: payment.paymentId,
        refundNo: plan.id,
        amountFen: outcome.amountFen,
        refundedAt: outcome.refundedAt,
      },
    ];
  }

  private async sendBack(trade: PaidTrade): Promise<void> {
    const acquirer = Object.values(this.options.acquirers).find((a) => a?.name === trade.acquirer);
    if (acquirer === undefined) return;
    // Keyed by the trade: sending it again (after a crash) can never refund twice.
    const outcome = await acquirer
      .refund({
        outTradeNo: trade.outTradeNo,
        refundNo: `${trade.outTradeNo}_back`,
        amountFen: trade.amountFen,
        totalFen: trade.amountFen,
        reason: 'sale no longer open',
      })
      .catch((error: unknown) => ({
        kind: 'unknown' as const,
        code: 'ACQUIRER_ERROR',
        message: String(error),
      }));
    if (outcome.kind === 'refunded' || outcome.kind === 'processing') {
      // Settled: a restart need not hand this proof out again.
      this.options.flow?.recorded(trade);
      this.options.logger.info('acquirer payment sent back', { outTradeNo: trade.outTradeNo });
    } else {
      this.options.logger.error(
        'acquirer payment could not be sent back; it is handed out again at the next start',
        {
          outTradeNo: trade.outTradeNo,
          outcome: outcome.kind,
        },
      );
    }
  }
}
