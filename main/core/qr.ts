/**
 * The QR tender at the till (主扫): `sale.showQr` puts a QR for the open sale's due amount on
 * the customer display (payments/qr-pay.ts runs the trade), 'qr.state' events follow it, and a
 * paid QR is recorded on its sale exactly like a payment code's (PayCodeService.record: the
 * ledger's payAcquirer, then the journal marked; a sale that can no longer take it gets the
 * money sent back). Register orders pay by QR through the same flow (startForRegister).
 *
 * - The amount is the ledger's due amount when the QR goes up, never the caller's.
 * - Any change of the sale (an item, a discount, hold, void, another payment) takes the QR down:
 *   the trade is cancelled, or, if the buyer paid just before, kept for its sale.
 * - No acquirer configured: `recorded`, and the till records the QR tender as before.
 */
import {
  FACEPAY_ACTIVE_PHASES,
  PosError,
  type FacePayState,
  type QrState,
  type Sale,
  type ShowQrResult,
} from '../contract';
import type { Ledger } from '../ledger';
import type { Logger } from './logger';
import type { PayCodeService } from './paycode';
import type { QrEnd, QrPay, QrShowing } from './payments';

export interface QrServiceOptions {
  ledger: Ledger;
  /** The terminal's QR flow (null: no acquirer journal, so no QR). */
  flow: QrPay | null;
  /** Records a paid proof on its sale (shared with the payment codes). */
  payCode: PayCodeService;
  logger: Logger;
  /** The line the buyer sees on the phone. */
  shopName: string;
  emit: (state: QrState) => void;
  /** Face pay's attempt as it stands (one payment flow per sale: no QR while it runs). */
  facePay?: () => FacePayState;
}

const SALE_CHANGED = {
  code: 'SALE_CHANGED',
  message: 'The sale changed while the QR code was shown; it was cancelled.',
};
const CANCELLED = { code: 'CANCELLED', message: 'The cashier cancelled the QR code.' };

export class QrService {
  /** Live QRs: the due amount each was shown for (a different due amount takes it down). */
  private readonly live = new Map<string, number>();

  constructor(private readonly options: QrServiceOptions) {}

  /** Whether a dynamic QR can be shown now (an acquirer with QR is configured). */
  get configured(): boolean {
    return this.options.flow?.acquirer !== undefined;
  }

  async show(saleId: string, operatorId: string): Promise<ShowQrResult> {
    const flow = this.options.flow;
    if (flow === null || flow.acquirer === undefined) return { mode: 'recorded' };
    const { ledger, payCode } = this.options;
    await payCode.recovered;
    // Money from earlier that waited for a sign-in goes first (it may be this very sale's).
    payCode.recordRecovered(operatorId);
    const sale = ledger.getSale(saleId);
    if (sale.status !== 'open')
      throw new PosError('SALE_NOT_OPEN', `sale ${saleId} is not open`, 'saleId');
    const face = this.options.facePay?.();
    if (face !== undefined && face.saleId === saleId && FACEPAY_ACTIVE_PHASES.includes(face.phase))
      throw new PosError(
        'BUSY',
        'Face pay is running for this sale: cancel it before showing a QR code.',
        'saleId',
      );
    const start = await flow.show({
      saleId,
      amountFen: sale.dueFen,
      subject: this.options.shopName.slice(0, 120),
    });
    if (start.status === 'showing') {
      this.live.set(saleId, start.showing.amountFen);
      void start.done
        .then((end) => this.ended(start.showing, end, operatorId))
        .catch((error: unknown) => {
          this.live.delete(saleId);
          this.options.logger.error('QR payment failed', {
            outTradeNo: start.showing.outTradeNo,
            error: error instanceof Error ? error.message : String(error),
          });
        });
      return { mode: 'dynamic', qr: this.announce(showingState(start.showing)) };
    }
    if (start.status === 'paid') {
      // An earlier attempt already paid this sale: record it (the ledger takes it once).
      await payCode.record(start.result.trade, operatorId);
      return {
        mode: 'dynamic',
        qr: this.announce(endState(saleId, start.result.trade.amountFen, 'paid', null)),
      };
    }
    return {
      mode: 'dynamic',
      qr: this.announce(endState(saleId, sale.dueFen, 'failed', start)),
    };
  }

  /** Face pay (or anything else) may not start for a sale whose QR is on the display. */
  refuseIfLive(saleId: string): void {
    if (this.live.has(saleId))
      throw new PosError(
        'BUSY',
        'A QR code for this sale is on the customer display: cancel it first (Esc at the till).',
        'saleId',
      );
  }

  /** Esc at the till: the QR comes down. Null when none is live for the sale. */
  async cancel(saleId: string): Promise<QrState | null> {
    const ending = this.options.flow?.stop(saleId, CANCELLED) ?? null;
    if (ending === null) return null;
    await ending;
    return this.lastState.get(saleId) ?? null;
  }

  /**
   * The cart changed through another request: a QR whose sale is gone, no longer open, or due a
   * different amount comes down.
   */
  onSaleChanged(current: Sale | null): void {
    for (const [saleId, amountFen] of this.live) {
      const holds =
        current !== null &&
        current.id === saleId &&
        current.status === 'open' &&
        current.dueFen === amountFen;
      if (!holds) void this.options.flow?.stop(saleId, SALE_CHANGED);
    }
  }

  /** A register order pays by QR: the same flow; resolves with what the register shows. */
  async startForRegister(saleId: string, operatorId: string): Promise<{ qrContent: string }> {
    const shown = await this.show(saleId, operatorId);
    if (shown.mode === 'recorded')
      throw new PosError('NOT_SUPPORTED', 'No acquirer is configured for QR payments.', 'method');
    if (shown.qr.state !== 'showing' || shown.qr.qrCode === null)
      throw new PosError(
        shown.qr.state === 'paid' ? 'SALE_NOT_OPEN' : 'NOT_SUPPORTED',
        shown.qr.message ?? `The QR payment is ${shown.qr.state}.`,
        'method',
      );
    return { qrContent: shown.qr.qrCode };
  }

  private readonly lastState = new Map<string, QrState>();

  private announce(state: QrState): QrState {
    this.lastState.set(state.saleId, state);
    // Only the latest few sales are remembered (cancel's answer), never a growing map.
    if (this.lastState.size > 16) {
      const oldest = this.lastState.keys().next().value;
      if (oldest !== undefined) this.lastState.delete(oldest);
    }
    this.options.emit(state);
    return state;
  }

  private async ended(showing: QrShowing, end: QrEnd, operatorId: string): Promise<void> {
    this.live.delete(showing.saleId);
    if (end.status !== 'paid') {
      const state =
        end.status === 'expired' || end.status === 'cancelled' ? end.status : ('failed' as const);
      this.announce(endState(showing.saleId, showing.amountFen, state, end));
      return;
    }
    const recorded = await this.options.payCode.record(end.result.trade, operatorId);
    this.announce(
      recorded === null
        ? endState(showing.saleId, showing.amountFen, 'cancelled', {
            code: 'SALE_CHANGED',
            message:
              'The sale changed while the customer paid; the payment was sent back to the customer.',
          })
        : endState(showing.saleId, showing.amountFen, 'paid', null),
    );
  }
}

function showingState(showing: QrShowing): QrState {
  return {
    saleId: showing.saleId,
    state: 'showing',
    qrCode: showing.qrCode,
    expiresAt: new Date(showing.expiresAt).toISOString(),
    amountFen: showing.amountFen,
    code: null,
    message: null,
  };
}

function endState(
  saleId: string,
  amountFen: number,
  state: Exclude<QrState['state'], 'showing'>,
  why: { code: string; message: string } | null,
): QrState {
  return {
    saleId,
    state,
    qrCode: null,
    expiresAt: null,
    amountFen,
    code: why?.code ?? null,
    message: why?.message ?? null,
  };
}
