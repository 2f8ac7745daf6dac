/**
 * The merchant-presented QR flow (主扫): the customer display shows a code for the sale's due
 * amount, the buyer scans it with the phone, and the terminal learns "paid" by asking.
 *
 *   precreate ──qr──▶ showing: query every pollMs
 *        │                ├─ paid (same amount) ──────────────────────▶ paid (proof)
 *        │                ├─ closed / refused ─────────────────────────▶ expired (nothing charged)
 *        │                ├─ lifetime over ──▶ query, then cancel ─────▶ expired
 *        │                └─ stop(saleId) (the sale changed, Esc) ──▶ query, then cancel ─▶ cancelled
 *        │                                        (paid just before: paid, kept on its sale)
 *        ├─ refused ─────────────────────────────────────────────────────▶ refused
 *        └─ unknown ──▶ cancel (the trade may exist) ────────────────────▶ refused / unknown
 *
 * It is the pay-by-code flow's sibling, not a copy: attempts go into the same journal with the
 * same numbering (so recover() also settles a QR paid while the till was down), and cancel,
 * accept and end are PayByCode's own steps. One flow per sale: PayByCode.hold refuses a code
 * while the QR is live, and a QR while a code is charged (BUSY).
 * Not-found while showing is normal (Alipay creates the trade only when the buyer scans), as is
 * unknown (a lost or forged answer): both just mean "ask again"; only a verified paid ends it.
 */
import { PosError, type PaymentScheme } from '../../contract';
import { silentLogger, type Logger } from '../logger';
import { checkChargeFen } from './amount';
import type { AttemptRow } from './journal';
import { realClock, type FlowClock, type PayByCode, type PayByCodeResult } from './pay-by-code';
import { isSaleId, outTradeNo } from './trade-no';
import type { Acquirer, AcquirerReason, TradeOutcome } from './types';

export interface QrShowing {
  saleId: string;
  outTradeNo: string;
  /** What the QR encodes (the acquirer's URL). */
  qrCode: string;
  amountFen: number;
  /** Epoch ms: the display counts down to it; the trade is cancelled then. */
  expiresAt: number;
}

/** How a shown QR ended. `expired`/`cancelled`/`refused`: nothing was charged. */
export type QrEnd =
  | { status: 'paid'; result: Extract<PayByCodeResult, { status: 'paid' }> }
  | ({
      status: 'expired' | 'cancelled' | 'refused' | 'unknown';
      outTradeNo: string;
    } & AcquirerReason);

export type QrStart =
  | { status: 'showing'; showing: QrShowing; done: Promise<QrEnd> }
  /** The sale was already paid by an earlier attempt (e.g. a QR paid while the till was down). */
  | { status: 'paid'; result: Extract<PayByCodeResult, { status: 'paid' }> }
  | ({ status: 'refused' | 'unknown'; outTradeNo: string } & AcquirerReason);

export interface QrPayOptions {
  /** The terminal's one pay-by-code flow: its journal, its steps, its hold on a sale. */
  flow: PayByCode;
  /**
   * The terminal's acquirers, read at each QR (the reference wallet comes and goes with the
   * cloud link). The QR is the first of QR_PREFERENCE that is configured.
   */
  acquirers: Partial<Record<PaymentScheme, Acquirer>>;
  clock?: FlowClock;
  logger?: Logger;
  /** How often to ask whether the buyer paid. */
  pollIntervalMs?: number;
  /** How long the QR may be paid before it is cancelled. */
  lifetimeMs?: number;
}

const EXPIRED: AcquirerReason = {
  code: 'QR_EXPIRED',
  message: 'The QR code was not paid in time; it was cancelled and nothing was charged.',
};
/** Which acquirer's QR the display shows when several are configured. */
export const QR_PREFERENCE: readonly PaymentScheme[] = [
  'alipay',
  'wechat',
  'unionpay',
  'reference',
];

const BUSY = 'A payment is already running for this sale: finish or cancel it first.';

interface Live {
  stopBecause: AcquirerReason | null;
  wake: () => void;
  woken: Promise<void>;
  done: Promise<QrEnd>;
}

export class QrPay {
  private readonly live = new Map<string, Live>();
  private readonly clock: FlowClock;
  private readonly logger: Logger;
  private readonly pollIntervalMs: number;
  private readonly lifetimeMs: number;

  constructor(private readonly options: QrPayOptions) {
    this.clock = options.clock ?? realClock;
    this.logger = options.logger ?? silentLogger;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_500;
    this.lifetimeMs = options.lifetimeMs ?? 120_000;
  }

  /** The acquirer a QR is shown for now, if any is configured. */
  get acquirer(): Acquirer | undefined {
    for (const scheme of QR_PREFERENCE) {
      const acquirer = this.options.acquirers[scheme];
      if (acquirer !== undefined) return acquirer;
    }
    return undefined;
  }

  /** Whether a QR is live for the sale. */
  isLive(saleId: string): boolean {
    return this.live.has(saleId);
  }

  /**
   * Precreate a QR for the amount and start asking. Bad input and a sale already busy reject
   * with a PosError before anything is sent.
   */
  async show(request: { saleId: string; amountFen: number; subject: string }): Promise<QrStart> {
    const amountFen = checkChargeFen(request.amountFen);
    if (!isSaleId(request.saleId))
      throw new PosError('VALIDATION', 'The sale id is not one the ledger makes.', 'saleId');
    const { flow } = this.options;
    const acquirer = this.acquirer;
    if (acquirer === undefined)
      throw new PosError('NOT_SUPPORTED', 'No acquirer is configured for QR payments.', 'saleId');
    const saleId = request.saleId;
    if (this.live.has(saleId)) throw new PosError('BUSY', BUSY, 'saleId');
    flow.hold(saleId, BUSY);
    let started = false;
    try {
      const journal = flow.journal;
      const previous = journal.latest(saleId);
      if (previous !== null && previous.state === 'paid') {
        return { status: 'paid', result: paidOf(flow.replay(previous)) };
      }
      if (previous !== null && (previous.state === 'pending' || previous.state === 'unknown')) {
        // An earlier attempt for this sale may have taken money: settle it before a new QR.
        const settled = await flow.settle(
          previous,
          flow.acquirerNamed(previous) ?? acquirer,
          null,
          () => {},
        );
        if (settled.status === 'paid')
          return { status: 'paid', result: { ...settled, replayed: true } };
        if (settled.status === 'unknown') return settled;
      }
      const attempt = (previous?.attempt ?? 0) + 1;
      const row = journal.begin({
        outTradeNo: outTradeNo(saleId, attempt),
        saleId,
        attempt,
        acquirer: acquirer.name,
        scheme: acquirer.schemes[0] ?? 'reference',
        amountFen,
      });
      this.logger.info('acquirer precreate', {
        outTradeNo: row.outTradeNo,
        acquirer: acquirer.name,
      });
      const expiresAt = this.clock.now() + this.lifetimeMs;
      const created = await acquirer
        .precreate({
          outTradeNo: row.outTradeNo,
          amountFen,
          subject: request.subject,
          // The acquirer closes it a little after we do; our own cancel is what ends it.
          expiresInMinutes: Math.max(1, Math.ceil(this.lifetimeMs / 60_000) + 1),
        })
        .catch((error: unknown) => ({
          kind: 'unknown' as const,
          code: 'ACQUIRER_ERROR',
          message: error instanceof Error ? error.message : String(error),
        }));
      if (created.kind === 'refused') {
        const ended = flow.end(row, 'refused', created);
        return ended as Extract<QrStart, { status: 'refused' }>;
      }
      if (created.kind === 'unknown') {
        // The trade may exist at the acquirer: close it before anything else is tried.
        const ended = await flow.cancel(row, acquirer, created, () => {});
        if (ended.status === 'paid') return { status: 'paid', result: ended };
        return ended;
      }
      let wake = () => {};
      const woken = new Promise<void>((resolve) => (wake = resolve));
      const live: Live = { stopBecause: null, wake, woken, done: Promise.resolve(null as never) };
      live.done = this.watch(row, acquirer, live, expiresAt).finally(() => {
        this.live.delete(saleId);
        flow.release(saleId);
      });
      this.live.set(saleId, live);
      started = true;
      return {
        status: 'showing',
        showing: {
          saleId,
          outTradeNo: row.outTradeNo,
          qrCode: created.qrCode,
          amountFen,
          expiresAt,
        },
        done: live.done,
      };
    } finally {
      if (!started) flow.release(saleId);
    }
  }

  /**
   * Take the QR down (the sale changed, was voided or held; the cashier pressed Esc). Resolves
   * with how it ended: a buyer who paid just before is `paid` (the money is kept on its sale),
   * otherwise the trade is cancelled. Null when no QR is live for the sale.
   */
  stop(saleId: string, because: AcquirerReason): Promise<QrEnd> | null {
    const live = this.live.get(saleId);
    if (live === undefined) return null;
    live.stopBecause ??= because;
    live.wake();
    return live.done;
  }

  private async watch(
    row: AttemptRow,
    acquirer: Acquirer,
    live: Live,
    expiresAt: number,
  ): Promise<QrEnd> {
    const { flow } = this.options;
    let stop: { why: AcquirerReason; as: 'expired' | 'cancelled' };
    for (;;) {
      if (live.stopBecause !== null) {
        stop = { why: live.stopBecause, as: 'cancelled' };
        break;
      }
      if (this.clock.now() >= expiresAt) {
        stop = { why: EXPIRED, as: 'expired' };
        break;
      }
      await Promise.race([this.clock.sleep(this.pollIntervalMs), live.woken]);
      const outcome = await ask(() => acquirer.query(row.outTradeNo));
      if (outcome.kind === 'paid') {
        if (outcome.amountFen === row.amountFen)
          return paidEnd(flow.accept(row, acquirer, outcome));
        stop = {
          why: {
            code: 'AMOUNT_MISMATCH',
            message: `The acquirer charged ${outcome.amountFen} fen instead of ${row.amountFen}; the payment was reversed.`,
          },
          as: 'cancelled',
        };
        break;
      }
      if (outcome.kind === 'refused' || outcome.kind === 'closed') {
        const ended = flow.end(row, 'cancelled', outcome);
        return { ...(ended as Extract<PayByCodeResult, { status: 'refused' }>), status: 'expired' };
      }
      // waiting, not_found (not scanned yet), unknown (lost or forged answer): ask again.
    }
    // PayByCode.cancel asks once more when the acquirer will not cancel, and a paid trade it
    // finds is accepted: the money is kept on its sale, never lost and never charged twice.
    const ended = await flow.cancel(row, acquirer, stop.why, () => {});
    this.logger.info('qr ended', { outTradeNo: row.outTradeNo, status: ended.status });
    if (ended.status === 'paid') return paidEnd(ended);
    if (ended.status === 'unknown') return ended;
    return { ...ended, status: stop.as };
  }
}

function paidOf(result: PayByCodeResult): Extract<PayByCodeResult, { status: 'paid' }> {
  if (result.status !== 'paid') throw new Error('expected a paid result');
  return result;
}

function paidEnd(result: PayByCodeResult): QrEnd {
  return { status: 'paid', result: paidOf(result) };
}

async function ask(call: () => Promise<TradeOutcome>): Promise<TradeOutcome> {
  try {
    return await call();
  } catch (error) {
    return {
      kind: 'unknown',
      code: 'ACQUIRER_ERROR',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
