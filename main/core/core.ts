/**
 * The POS core: builds the services from a config and serves the typed contract. It knows
 * nothing of Electron or WebSockets; the transports (main/app's IPC, main/host's WebSocket)
 * hand it untrusted (channel, payload) pairs and relay its events.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  errorToWire,
  parseRequest,
  PosError,
  type Channel,
  type EventName,
  type EventPayload,
  type PosErrorShape,
  type Request,
  type Sale,
  type SyncStatus,
} from '../contract';
import { Ledger, seedDemoCatalog, seedDemoStaff } from '../ledger';
import { Peripherals } from '../../native';
import type { CloudLink } from './cloud-link';
import type { PosConfig } from './config';
import { FacePayService, startFaceBackend, type FacePayOptions } from './facepay';
import {
  AUTH_CHANGING,
  createHandlers,
  OUTBOX_WRITING,
  SALE_CHANGING,
  SHIFT_CHANGING,
  type Handler,
} from './handlers';
import { silentLogger, type Logger } from './logger';
import { PrintService, type PeripheralsPort } from './peripherals';
import { loadPosters } from './posters';
import { TerminalState } from './terminal-state';
import { WalletCredits } from './wallet-credits';

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: PosErrorShape };
export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface PosCore {
  readonly config: PosConfig;
  readonly ledger: Ledger;
  /** Validate and serve one request. Never throws: failures come back as typed errors. */
  dispatch(channel: unknown, payload: unknown): Promise<DispatchResult>;
  onEvent(listener: EventListener): () => void;
  /**
   * For the sync worker: report its state (and, after a delivery, when it last succeeded). The
   * screens get a 'sync.status' event with the outbox's pending count.
   */
  reportSync(update: Partial<Pick<SyncStatus, 'state' | 'lastSuccessAt'>>): void;
  /**
   * Face pay: the host attaches the camera (attachCamera) and whoever links the cloud attaches
   * the link (attachCloud); it is offered once both are there and the cloud answers.
   */
  readonly facePay: FacePayService;
  /** The receipt printer and cash drawer: printing after sales, receipt.print, drawer.open. */
  readonly printing: PrintService;
  /**
   * The terminal's link to its cloud (address, credentials, signed client) once it has paired;
   * null until the host has linked it (main/host/cloud-sync.ts), which does not hold up start.
   */
  readonly cloud: CloudLink | null;
  /** The host attaches the link once paired (null to detach); face pay gets it too. */
  attachCloud(link: CloudLink | null): void;
  close(): void;
}

/**
 * What tests (and benchmarks) may swap in: the face engine, face pay's timings, the probe, the
 * peripherals (default: native's, from the config's printer options).
 */
export interface CoreOptions {
  facePay?: Partial<Pick<FacePayOptions, 'face' | 'timing' | 'session' | 'probe'>>;
  peripherals?: PeripheralsPort;
  /** How long a refund's answer waits for the cloud to credit the wallet. */
  walletCreditWaitMs?: number;
}

export const APP_VERSION = '0.1.0';

export function createPosCore(
  config: PosConfig,
  logger: Logger = silentLogger,
  options: CoreOptions = {},
): PosCore {
  mkdirSync(config.dataDir, { recursive: true });
  const ledger = Ledger.open({
    file: join(config.dataDir, 'ledger.db'),
    terminalId: config.terminalId,
    timezone: config.timezone,
  });
  if (ledger.productCount() === 0) {
    seedDemoCatalog(ledger);
    logger.info('seeded the demo catalogue', { products: ledger.productCount() });
  }
  const staff = seedDemoStaff(ledger);
  if (staff.length > 0) {
    // Printed once, when the staff are created: the demo PINs (see README), to be changed.
    logger.info(
      `created the demo staff: ${staff.map((s) => `${s.role} ${s.name} PIN ${s.pin}`).join(', ')}` +
        ' (change these PINs before trading)',
    );
  }
  const state = new TerminalState(ledger);
  const listeners = new Set<EventListener>();
  const facePay = new FacePayService({
    ledger,
    logger,
    face: startFaceBackend,
    ...options.facePay,
    emit: (name, payload) => emit(name, payload),
    onSalePaid: (sale) => {
      emit('sale.changed', { sale: ledger.currentSale() });
      if (sale.status === 'completed') {
        emit('sale.completed', { sale });
        printing.saleCompleted(sale);
      }
      emit('shift.changed', { shift: ledger.currentShift() });
      emit('sync.status', state.syncStatus());
    },
  });

  const columns = config.paperColumns ?? 48;
  const printing = new PrintService({
    ledger,
    port:
      options.peripherals ??
      new Peripherals({
        printerFile: config.printerFile ?? null,
        columns,
        drawerPin: config.drawerPin ?? 2,
      }),
    shop: {
      shopName: config.shopName,
      terminalId: config.terminalId,
      timezone: config.timezone,
      locale: config.defaultLocale,
    },
    columns,
    operator: () => state.operator,
    onStatus: (status) => emit('peripherals.status', status),
    logger,
  });

  let cloud: CloudLink | null = null;
  const walletCredits = new WalletCredits({
    ledger,
    link: () => cloud,
    logger,
    ...(options.walletCreditWaitMs === undefined ? {} : { waitMs: options.walletCreditWaitMs }),
    onSettled: () => emit('sync.status', state.syncStatus()),
  });

  const handlers = createHandlers(
    ledger,
    {
      version: APP_VERSION,
      shopName: config.shopName,
      terminalId: config.terminalId,
      timezone: config.timezone,
      defaultLocale: config.defaultLocale,
    },
    {
      state,
      posters: () => loadPosters(config.dataDir, logger),
      facePay,
      printing,
      walletCredits,
    },
  );

  function emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of listeners) {
      try {
        listener(name, payload);
      } catch (error) {
        logger.error('event listener failed', { event: name, error: String(error) });
      }
    }
  }

  function emitAfter(channel: Channel, result: unknown, payload: unknown): void {
    if (SALE_CHANGING.has(channel)) {
      emit('sale.changed', { sale: ledger.currentSale() });
      facePay.onSaleChanged(ledger.currentSale());
      if (channel === 'sale.pay' && (result as Sale).status === 'completed') {
        emit('sale.completed', { sale: result as Sale });
        // After the commit, never holding up the answer: the drawer, then the receipt.
        printing.saleCompleted(result as Sale);
      }
    }
    if (SHIFT_CHANGING.has(channel)) emit('shift.changed', { shift: ledger.currentShift() });
    if (OUTBOX_WRITING.has(channel)) emit('sync.status', state.syncStatus());
    if (AUTH_CHANGING.has(channel)) emit('auth.changed', { staff: state.operator });
    if (channel === 'settings.set') printing.changed();
    if (channel === 'display.payment')
      emit('display.payment', payload as Request<'display.payment'>);
  }

  return {
    config,
    ledger,
    facePay,
    printing,
    get cloud() {
      return cloud;
    },
    attachCloud(link) {
      cloud = link;
      facePay.attachCloud(link);
    },
    async dispatch(channel, payload) {
      try {
        const request = parseRequest(channel, payload);
        const handler = handlers[request.channel] as Handler<typeof request.channel>;
        const answer = handler(request.payload);
        // Only device channels (printer, drawer) and refunds (their wallet credits) answer
        // later; every other answer, and the events after it, stay in the same turn as the
        // ledger write.
        const result = answer instanceof Promise ? await answer : answer;
        emitAfter(request.channel, result, request.payload);
        return { ok: true, result };
      } catch (error) {
        if (!PosError.is(error)) {
          // Unexpected: log the channel and the error, never the payload.
          logger.error('request failed', {
            channel: typeof channel === 'string' ? channel.slice(0, 64) : typeof channel,
            error: error instanceof Error ? (error.stack ?? error.message) : String(error),
          });
        }
        return { ok: false, error: errorToWire(error) };
      }
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reportSync(update) {
      state.reportSync(update);
      emit('sync.status', state.syncStatus());
    },
    close() {
      void facePay.close();
      void printing.close();
      listeners.clear();
      ledger.close();
    },
  };
}
