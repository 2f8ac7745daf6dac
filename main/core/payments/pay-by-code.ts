/**
 * The pay-by-code flow (付款码): one sale, one buyer's code, exactly one charge or none.
 *
 *   charge ──paid──────────────────────────────────────────────▶ paid
 *     │ ──refused────────────────────────────────────────────▶ refused (acquirer's words)
 *     │ ──waiting (buyer confirms on the phone)──▶ query every pollMs until waitLimitMs
 *     │                                              ├─ paid ──▶ paid
 *     │                                              └─ still waiting at the limit ──▶ cancel
 *     └─ unknown (timeout, lost answer, 5xx, forged answer) ──▶ query (a few times)
 *                                                    ├─ paid ──▶ paid
 *                                                    └─ not found / still unknown ──▶ cancel
 *   cancel ──cancelled──▶ refused ("nothing was charged"; a reversed charge is sent back)
 *          └─ cannot cancel ──▶ query once more: paid ──▶ paid, else unknown (kept in the journal
 *                               and asked again by recover(); no new charge for that sale meanwhile)
 *
 * Never "paid" without the acquirer saying so (verified answer, same amount); never two charges:
 * a second scan for the same sale joins the first one in flight or gets its result, and a new
 * attempt (new out_trade_no) starts only after the previous one is known not to have charged.
 * Clock and sleep are injected so tests walk the 30 s in no time.
 */
import {
  classifyPaymentCode,
  PAYMENT_SCHEME_NAMES,
  PosError,
  type PaymentScheme,
} from '../../contract';
import { silentLogger, type Logger } from '../logger';
import { checkChargeFen } from './amount';
import type { AttemptJournal, AttemptRow } from './journal';
import { isPaidTrade, mintPaidTrade, type PaidTrade } from './proof';
import { isSaleId, outTradeNo } from './trade-no';
import type { Acquirer, AcquirerReason, CancelOutcome, TradeOutcome } from './types';

export interface FlowClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: FlowClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** What the cashier's screen shows while the flow runs. */
export type PayProgress = 'charging' | 'waiting_for_buyer' | 'checking' | 'cancelling';

export type PayByCodeResult =
  | {
      status: 'paid';
      trade: PaidTrade;
      /** an earlier scan's payment, not a new one */ replayed: boolean;
    }
  | ({ status: 'refused'; outTradeNo: string } & AcquirerReason)
  | ({ status: 'unknown'; outTradeNo: string } & AcquirerReason);

export interface PayByCodeRequest {
  saleId: string;
  amountFen: number;
  /** What the scanner (or the cashier) typed. */
  code: string;
  subject: string;
  onProgress?: (progress: PayProgress) => void;
}

export interface PayByCodeOptions {
  /** Which acquirer takes which wallet's codes (a shop may have Alipay and WeChat keys). */
  acquirers: Partial<Record<PaymentScheme, Acquirer>>;
  journal: AttemptJournal;
  clock?: FlowClock;
  logger?: Logger;
  /** How often to ask while the buyer confirms (Alipay and WeChat advise a few seconds). */
  pollIntervalMs?: number;
  /** How long the buyer may take to confirm before the trade is cancelled. */
  waitLimitMs?: number;
  /** Queries after an unknown answer before cancelling. */
  unknownQueries?: number;
  /** Cancel attempts when the acquirer asks to retry or does not answer. */
  cancelTries?: number;
}

type Stop = { cancelBecause: AcquirerReason };

const BUYER_TIMEOUT: AcquirerReason = {
  code: 'BUYER_TIMEOUT',
  message: 'The customer did not confirm the payment in time; it was cancelled.',
};

export class PayByCode {
  private readonly inFlight = new Map<string, Promise<PayByCodeResult>>();
  /** Sales another flow of this terminal holds (a QR on the display, qr-pay.ts): no code meanwhile. */
  private readonly held = new Set<string>();
  private readonly clock: FlowClock;
  private readonly logger: Logger;
  private readonly pollIntervalMs: number;
  private readonly waitLimitMs: number;
  private readonly unknownQueries: number;
  private readonly cancelTries: number;

  constructor(private readonly options: PayByCodeOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? silentLogger;
    this.pollIntervalMs = options.pollIntervalMs ?? 3_000;
    this.waitLimitMs = options.waitLimitMs ?? 30_000;
    this.unknownQueries = options.unknownQueries ?? 3;
    this.cancelTries = options.cancelTries ?? 3;
  }

  /**
   * Charge the buyer's code for the sale. Bad input (amount, code, no acquirer) rejects with a
   * PosError before anything is sent; everything the acquirer says comes back as a result.
   */
  async pay(request: PayByCodeRequest): Promise<PayByCodeResult> {
    // Everything up to the in-flight check runs before the first await, so two scans in the
    // same tick still meet in the map below.
    const amountFen = checkChargeFen(request.amountFen);
    const check = classifyPaymentCode(request.code);
    if (!check.ok) throw new PosError('VALIDATION', check.message, 'code');
    const acquirer = this.options.acquirers[check.scheme];
    if (acquirer === undefined) {
      throw new PosError(
        'NOT_SUPPORTED',
        `No acquirer is configured for ${PAYMENT_SCHEME_NAMES[check.scheme]} codes.`,
        'code',
      );
    }
    if (!isSaleId(request.saleId))
      throw new PosError('VALIDATION', 'The sale id is not one the ledger makes.', 'saleId');
    if (this.held.has(request.saleId))
      throw new PosError(
        'BUSY',
        'A QR code for this sale is on the customer display: cancel it before taking a payment code.',
        'saleId',
      );
    // A second scan while the first is still with the acquirer joins it: one charge, one answer.
    const running = this.inFlight.get(request.saleId);
    if (running !== undefined) return running;
    const run = this.run(request, acquirer, check.scheme, check.code, amountFen).finally(() =>
      this.inFlight.delete(request.saleId),
    );
    this.inFlight.set(request.saleId, run);
    return run;
  }

  /**
   * Resolve what a previous run left open (the terminal died mid-charge, or an acquirer never
   * answered): query, then cancel. Also hands out again every payment the ledger has not
   * confirmed recording (`recorded`). Run at start-up before taking payments; record the paid
   * proofs it returns on their sales.
   */
  async recover(): Promise<PayByCodeResult[]> {
    const results: PayByCodeResult[] = [];
    for (const row of this.options.journal.unresolved()) {
      const acquirer = this.acquirerNamed(row);
      if (acquirer === undefined) {
        // Its keys were removed since: it stays open, and the sale takes no new charge.
        this.logger.warn('open acquirer attempt without its acquirer', {
          outTradeNo: row.outTradeNo,
          acquirer: row.acquirer,
        });
        continue;
      }
      results.push(await this.settle(row, acquirer, null, () => {}));
    }
    const handedOut = new Set(
      results.flatMap((r) => (r.status === 'paid' ? [r.trade.outTradeNo] : [])),
    );
    for (const row of this.options.journal.unrecordedPaid()) {
      if (!handedOut.has(row.outTradeNo)) results.push(this.replay(row));
    }
    return results;
  }

  /** The ledger has recorded this payment on its sale: a restart need not hand it out again. */
  recorded(trade: PaidTrade): void {
    if (!isPaidTrade(trade)) throw new Error('not a payment proof minted by this terminal');
    this.options.journal.markRecorded(trade.outTradeNo);
  }

  /**
   * Another flow (qr-pay.ts) takes the sale: refused (BUSY) while a code is being charged for it,
   * and no code is taken for it until `release`. Synchronous, so two flows in one tick meet here.
   */
  hold(saleId: string, busyMessage: string): void {
    if (this.inFlight.has(saleId) || this.held.has(saleId))
      throw new PosError('BUSY', busyMessage, 'saleId');
    this.held.add(saleId);
  }

  release(saleId: string): void {
    this.held.delete(saleId);
  }

  get journal(): AttemptJournal {
    return this.options.journal;
  }

  // The steps below are shared with the QR flow (qr-pay.ts), which opens its attempts in the
  // same journal and ends them the same way: one place decides paid, cancelled and unknown.

  /** @internal qr-pay.ts */
  acquirerNamed(row: AttemptRow): Acquirer | undefined {
    return Object.values(this.options.acquirers).find((a) => a?.name === row.acquirer);
  }

  private async run(
    request: PayByCodeRequest,
    acquirer: Acquirer,
    scheme: PaymentScheme,
    code: string,
    amountFen: number,
  ): Promise<PayByCodeResult> {
    const progress = request.onProgress ?? (() => {});
    const journal = this.options.journal;
    const previous = journal.latest(request.saleId);
    if (previous !== null && previous.state === 'paid') return this.replay(previous);
    if (previous !== null && (previous.state === 'pending' || previous.state === 'unknown')) {
      // An earlier charge for this sale may have taken money: settle it before any new one.
      const earlier = this.acquirerNamed(previous) ?? acquirer;
      const settled = await this.settle(previous, earlier, null, progress);
      if (settled.status === 'paid') return { ...settled, replayed: true };
      if (settled.status === 'unknown') return settled;
    }
    const attempt = (previous?.attempt ?? 0) + 1;
    const row = journal.begin({
      outTradeNo: outTradeNo(request.saleId, attempt),
      saleId: request.saleId,
      attempt,
      acquirer: acquirer.name,
      scheme,
      amountFen,
    });
    this.logger.info('acquirer charge', { outTradeNo: row.outTradeNo, acquirer: acquirer.name });
    progress('charging');
    const first = await ask(() =>
      acquirer.payByCode({ outTradeNo: row.outTradeNo, amountFen, code, subject: request.subject }),
    );
    return this.settle(row, acquirer, first, progress);
  }

  /** Drive one attempt to its end from what the acquirer said first (null: ask it). @internal qr-pay.ts */
  async settle(
    row: AttemptRow,
    acquirer: Acquirer,
    first: TradeOutcome | null,
    progress: (p: PayProgress) => void,
  ): Promise<PayByCodeResult> {
    const deadline = this.clock.now() + this.waitLimitMs;
    const query = () => ask(() => acquirer.query(row.outTradeNo));
    let outcome = first ?? (progress('checking'), await query());
    let unknownsLeft = this.unknownQueries;
    let stop: Stop;
    for (;;) {
      if (outcome.kind === 'paid') {
        if (outcome.amountFen === row.amountFen) return this.accept(row, acquirer, outcome);
        stop = {
          cancelBecause: {
            code: 'AMOUNT_MISMATCH',
            message: `The acquirer charged ${outcome.amountFen} fen instead of ${row.amountFen}; the payment was reversed.`,
          },
        };
        break;
      }
      if (outcome.kind === 'refused' || outcome.kind === 'closed') {
        return this.end(row, 'refused', outcome);
      }
      if (outcome.kind === 'waiting') {
        progress('waiting_for_buyer');
        if (this.clock.now() >= deadline) {
          stop = { cancelBecause: BUYER_TIMEOUT };
          break;
        }
        await this.clock.sleep(this.pollIntervalMs);
        outcome = await query();
        continue;
      }
      // not_found or unknown: the charge may be lost, late, or done without our hearing it.
      const reason: AcquirerReason =
        outcome.kind === 'unknown'
          ? outcome
          : { code: 'TRADE_NOT_FOUND', message: 'The acquirer has no record of the charge.' };
      if (outcome.kind === 'not_found' || unknownsLeft <= 0 || this.clock.now() >= deadline) {
        stop = {
          cancelBecause: {
            code: reason.code,
            message: `The payment could not be confirmed (${reason.message}); it was cancelled.`,
          },
        };
        break;
      }
      unknownsLeft -= 1;
      progress('checking');
      if (unknownsLeft < this.unknownQueries - 1) await this.clock.sleep(this.pollIntervalMs);
      outcome = await query();
    }
    return this.cancel(row, acquirer, stop.cancelBecause, progress);
  }

  /** @internal qr-pay.ts */
  async cancel(
    row: AttemptRow,
    acquirer: Acquirer,
    because: AcquirerReason,
    progress: (p: PayProgress) => void,
  ): Promise<PayByCodeResult> {
    progress('cancelling');
    let last: CancelOutcome | null = null;
    for (let tries = 0; tries < this.cancelTries; tries++) {
      if (tries > 0) await this.clock.sleep(this.pollIntervalMs);
      last = await askCancel(() => acquirer.cancel(row.outTradeNo));
      if (last.kind === 'cancelled') {
        this.logger.info('acquirer cancel', {
          outTradeNo: row.outTradeNo,
          refunded: last.refunded,
        });
        return this.end(row, 'cancelled', because);
      }
      if (last.kind === 'refused') break;
    }
    // The acquirer would not cancel (e.g. the buyer paid and the trade can no longer be
    // reversed): if it is paid, the sale is paid; otherwise nobody can say, and it stays open.
    const final = await ask(() => acquirer.query(row.outTradeNo));
    if (final.kind === 'paid' && final.amountFen === row.amountFen) {
      return this.accept(row, acquirer, final);
    }
    if (final.kind === 'closed' || final.kind === 'not_found') {
      return this.end(row, 'cancelled', because);
    }
    const why = last !== null && 'code' in last ? last : because;
    return this.end(row, 'unknown', {
      code: why.code,
      message:
        'The payment state is unknown and the acquirer would not cancel it. Check with the acquirer before taking payment another way.',
    });
  }

  /** @internal qr-pay.ts */
  accept(
    row: AttemptRow,
    acquirer: Acquirer,
    paid: Extract<TradeOutcome, { kind: 'paid' }>,
  ): PayByCodeResult {
    const { kind: _kind, ...fields } = paid;
    this.options.journal.finish(row.outTradeNo, 'paid', { paid: fields });
    this.logger.info('acquirer paid', { outTradeNo: row.outTradeNo, acquirer: acquirer.name });
    return {
      status: 'paid',
      replayed: false,
      trade: mintPaidTrade({
        ...fields,
        acquirer: acquirer.name,
        scheme: row.scheme,
        saleId: row.saleId,
        outTradeNo: row.outTradeNo,
      }),
    };
  }

  /** @internal qr-pay.ts */
  replay(row: AttemptRow): PayByCodeResult {
    const paid = row.paid;
    if (paid === null) throw new Error(`paid attempt ${row.outTradeNo} has no payment details`);
    return {
      status: 'paid',
      replayed: true,
      trade: mintPaidTrade({
        ...paid,
        acquirer: row.acquirer,
        scheme: row.scheme,
        saleId: row.saleId,
        outTradeNo: row.outTradeNo,
      }),
    };
  }

  /** @internal qr-pay.ts */
  end(
    row: AttemptRow,
    state: 'refused' | 'cancelled' | 'unknown',
    reason: AcquirerReason,
  ): PayByCodeResult {
    this.options.journal.finish(row.outTradeNo, state, {
      code: reason.code,
      message: reason.message,
    });
    this.logger.info('acquirer attempt ended', {
      outTradeNo: row.outTradeNo,
      state,
      code: reason.code,
    });
    return {
      status: state === 'unknown' ? 'unknown' : 'refused',
      outTradeNo: row.outTradeNo,
      code: reason.code,
      message: reason.message,
    };
  }
}

/** An adapter that throws (a bug, a network stack error) is an unknown answer, not a crash. */
async function ask(call: () => Promise<TradeOutcome>): Promise<TradeOutcome> {
  try {
    return await call();
  } catch (error) {
    return { kind: 'unknown', code: 'ACQUIRER_ERROR', message: describe(error) };
  }
}

async function askCancel(call: () => Promise<CancelOutcome>): Promise<CancelOutcome> {
  try {
    return await call();
  } catch (error) {
    return { kind: 'unknown', code: 'ACQUIRER_ERROR', message: describe(error) };
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
