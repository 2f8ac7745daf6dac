/**
 * Face pay for the rest of the core: one `FacePayService` per terminal, serving the contract's
 * `facepay.*` channels (handlers.ts). It only wires the parts together, each in its own file:
 *
 * - availability.ts: is face pay offered now (cloud link and health, camera, face engine);
 * - attempt.ts: the customer's attempt, the state machine on the customer display (capture.ts
 *   runs the face session, membership.ts greets or offers to join once paid);
 * - settlement.ts: the debit and its outcome in the ledger, through the `FaceSettlement` seam
 *   (payments/types.ts), implemented by the reference cloud's stored-value wallet (wallet.ts).
 */
import type {
  EventName,
  EventPayload,
  FacePayAvailability,
  FacePayState,
  Sale,
} from '../../../contract';
import type { SessionConfig } from '../../../face';
import type { Logger } from '../../logger';
import type { FaceSettlement } from '../types';
import { Attempts } from './attempt';
import { Availability } from './availability';
import {
  DEFAULT_FACEPAY_TIMING,
  type FaceBackendFactory,
  type FacePayCamera,
  type FacePayLedger,
  type FacePayLink,
  type FacePayTiming,
} from './ports';
import { SettlementFlow } from './settlement';
import { StoredValueWallet } from './wallet';

type FacePayEvent = 'facepay.state' | 'facepay.preview' | 'facepay.availability';

export interface FacePayOptions {
  ledger: FacePayLedger;
  logger: Logger;
  emit: <E extends FacePayEvent>(name: E, payload: EventPayload<E>) => void;
  /** A face payment completed the sale: the core tells the screens (sale, shift, outbox). */
  onSalePaid: (sale: Sale) => void;
  /** Starts the face engine (lazily, once a cloud link and a camera are attached). */
  face: FaceBackendFactory;
  timing?: Partial<FacePayTiming>;
  /** Face session settings (timeouts, frames), for tests. */
  session?: Partial<SessionConfig>;
  /** Is the cloud there? Default: GET <baseUrl>/v1/health answers ok within 3 s. */
  probe?: (link: FacePayLink) => Promise<boolean>;
}

export class FacePayService {
  private readonly availabilityNow: Availability;
  private readonly settlement: SettlementFlow;
  private readonly attempts: Attempts;
  /** Per cloud link, its wallet (which keeps the key the link's debits are signed with). */
  private readonly wallets = new WeakMap<FacePayLink, FaceSettlement>();

  constructor(options: FacePayOptions) {
    const timing = { ...DEFAULT_FACEPAY_TIMING, ...options.timing };
    const { ledger, logger, emit } = options;
    this.availabilityNow = new Availability({
      logger,
      announce: (availability) => emit('facepay.availability', availability),
      face: options.face,
      ...(options.probe ? { probe: options.probe } : {}),
      probeEveryMs: timing.probeEveryMs,
    });
    this.settlement = new SettlementFlow({
      ledger,
      logger,
      onSalePaid: options.onSalePaid,
      timing,
    });
    this.attempts = new Attempts({
      ledger,
      logger,
      emitState: (state) => emit('facepay.state', state),
      emitPreview: (preview) => emit('facepay.preview', preview),
      timing,
      ...(options.session ? { session: options.session } : {}),
      availability: this.availabilityNow,
      settlement: this.settlement,
      walletOf: (link) => this.walletOf(link, timing.authoriseTimeoutMs),
    });
  }

  // Wiring

  /** The terminal's cloud link (or null when it goes away). Face pay is offered only with one. */
  attachCloud(link: FacePayLink | null): void {
    this.availabilityNow.attachCloud(link);
  }

  /** The camera frames come from (the browser host's capture page, Electron's window). */
  attachCamera(camera: FacePayCamera | null): () => void {
    return this.availabilityNow.attachCamera(camera);
  }

  availability(): FacePayAvailability {
    return this.availabilityNow.current();
  }

  status(): { availability: FacePayAvailability; state: FacePayState } {
    return { availability: this.availability(), state: this.snapshot() };
  }

  /** The current attempt as the screens see it. */
  snapshot(): FacePayState {
    return this.attempts.snapshot();
  }

  // Requests (synchronous: progress follows as facepay.state events)

  start(saleId: string, operatorId: string): FacePayState {
    return this.attempts.start(saleId, operatorId);
  }

  cancel(saleId: string): FacePayState {
    return this.attempts.cancel(saleId);
  }

  confirm(saleId: string): FacePayState {
    return this.attempts.confirm(saleId);
  }

  phoneTail(saleId: string, digits: string): FacePayState {
    return this.attempts.phoneTail(saleId, digits);
  }

  joinMembership(saleId: string, consent: boolean): FacePayState {
    return this.attempts.joinMembership(saleId, consent);
  }

  /** The cart changed through another request: an unconfirmed attempt may no longer hold. */
  onSaleChanged(current: Sale | null): void {
    this.attempts.onSaleChanged(current);
  }

  async close(): Promise<void> {
    this.settlement.close();
    await this.availabilityNow.stop();
    this.attempts.close();
    await this.availabilityNow.release();
  }

  private walletOf(link: FacePayLink, timeoutMs: number): FaceSettlement {
    let wallet = this.wallets.get(link);
    if (wallet === undefined) {
      wallet = new StoredValueWallet(link, timeoutMs);
      this.wallets.set(link, wallet);
    }
    return wallet;
  }
}

/** For the core: which events are face pay's. */
export function isFacePayEvent(name: EventName): name is FacePayEvent {
  return name === 'facepay.state' || name === 'facepay.preview' || name === 'facepay.availability';
}
