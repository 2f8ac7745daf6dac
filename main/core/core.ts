/**
 * The POS core: builds the services from a config and serves the typed contract. It knows
 * nothing of Electron or WebSockets; the transports (main/app's IPC, main/host's WebSocket)
 * open a caller for each connection or window, hand the core untrusted (channel, payload) pairs
 * from it, and relay the events that caller may hear. Who may call what is decided here, for
 * both transports alike (access.ts).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  errorToWire,
  isChannel,
  parseRequest,
  PosError,
  type Channel,
  type EventName,
  type EventPayload,
  type PosErrorShape,
  type Request,
  type PaymentScheme,
  type Sale,
  type SyncStatus,
} from '../contract';
import { AUDIT_KEY_BYTES, Ledger, seedDemoCatalog, seedDemoStaff } from '../ledger';
import { Peripherals } from '../../native';
import { ensurePrivateDir } from '../shared/private-files';
import { FileSecretStore, secretsDirFor, type SecretStore } from '../shared/secret-store';
import {
  CUSTOMER_CHANNELS,
  CUSTOMER_PAY_CHANNELS,
  PAYER_ONLY_CHANNELS,
  RULES,
  type Caller,
  type CallerKind,
} from './access';
import { DisplayRegistry, LOCAL_DISPLAY_ID } from './displays';
import { AuditMonitor, type AuditMonitorOptions } from './audit-monitor';
import type { CallContext } from './call';
import { CatalogUploads } from './catalog';
import type { CloudLink } from './cloud-link';
import type { PosConfig } from './config';
import { FacePayService, startFaceBackend, type FacePayOptions } from './payments/face';
import {
  AUTH_CHANGING,
  createHandlers,
  OUTBOX_WRITING,
  SALE_CHANGING,
  SHIFT_CHANGING,
  type Handler,
  type TerminalShell,
} from './handlers';
import { silentLogger, type Logger } from './logger';
import {
  amountSalesMissing,
  PoleDisplayService,
  PrintService,
  type PeripheralsPort,
  type StartAmountSale,
} from './peripherals';
import type { PoleDisplayServiceOptions } from './peripherals/pole-display';
import { ManagerSessions } from './manager-sessions';
import { loadPosters } from './posters';
import { RegisterService } from './registers';
import { TerminalState } from './terminal-state';
import { PayCodeService } from './paycode';
import { poleAmountSales } from './pole-sales';
import { QrService } from './qr';
import {
  AttemptJournal,
  createAcquirers,
  PayByCode,
  QrPay,
  paymentsConfigFromEnv,
  type Acquirer,
  type FlowClock,
} from './payments';
import { WalletCredits } from './payments/face/wallet-credits';

export type DispatchResult = { ok: true; result: unknown } | { ok: false; error: PosErrorShape };
export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export interface PosCore {
  readonly config: PosConfig;
  readonly ledger: Ledger;
  /** The terminal's secrets, apart from the ledger (main/shared/secret-store.ts). */
  readonly secrets: SecretStore;
  /**
   * A transport's connection or window. Its manager session (if any) is its own; close it when
   * the connection or window goes away.
   */
  /** `display`: for a customer caller, which display it is (default: the terminal's own). */
  openCaller(kind: CallerKind, display?: string): Caller;
  closeCaller(caller: Caller): void;
  /**
   * Validate and serve one request from a caller. Never throws: failures come back as typed
   * errors (FORBIDDEN for a caller that is closed or may not use the channel,
   * SIGN_IN_REQUIRED, MANAGER_REQUIRED).
   */
  dispatch(channel: unknown, payload: unknown, caller: Caller): Promise<DispatchResult>;
  /** Every event; a transport passes on to each caller those `eventVisibleTo` its kind. */
  onEvent(listener: EventListener): () => void;
  /** The Electron shell attaches itself (null to detach): screen.openManager needs it. */
  attachShell(shell: TerminalShell | null): void;
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
  /**
   * The audit chain's watch: checked at start (before this returns), fully in the background
   * and daily; the sync worker reports the cloud's anchor comparison to it (reportAnchor).
   */
  readonly audit: AuditMonitor;
  /** Remote displays: the host authenticates devices and hears of revocations through it. */
  readonly displays: DisplayRegistry;
  /** The register API: pairing, tokens, orders and their events (the host's /v1/register). */
  readonly registers: RegisterService;
  /** The receipt printer and cash drawer: printing after sales, receipt.print, drawer.open. */
  readonly printing: PrintService;
  /** The register's pole display this terminal reads in its place (--pole-display). */
  readonly poleDisplay: PoleDisplayService;
  /**
   * The terminal's link to its cloud (address, credentials, signed client) once it has paired;
   * null until the host has linked it (main/host/cloud-sync.ts), which does not hold up start.
   */
  readonly cloud: CloudLink | null;
  /** The host attaches the link once paired (null to detach); face pay gets it too. */
  attachCloud(link: CloudLink | null): void;
  /**
   * Payment codes (付款码) through the terminal's acquirer; `payCode.recovered` settles once the
   * start-up recovery of open attempts is done.
   */
  readonly payCode: PayCodeService;
  /** The QR tender (主扫) through the same acquirers and journal (qr.ts). */
  readonly qr: QrService;
  /**
   * The chain's cloud that is master of the catalogue (its address), or null: the shop edits
   * its catalogue here (no cloud, or the reference cloud run beside the till for this shop
   * alone). The host says so as soon as it knows a chain's cloud is configured (cloud-sync.ts).
   */
  setCatalogMaster(url: string | null): void;
  /** Closes at once: the workers it started stop in the background (tests, benchmarks). */
  close(): void;
  /**
   * Closes for the process to exit: waits for the face engine (also one still loading its
   * models) and the printer to stop, then closes the ledger. A process that exits with the face
   * worker inside ONNX Runtime aborts.
   */
  shutdown(): Promise<void>;
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
  /** The clock of the manager sessions' idle limit (ms since the epoch). */
  now?: () => number;
  /**
   * Where the terminal's secrets live (cloud credentials, audit key, PIN pepper, TLS key):
   * Electron passes a store sealed by safeStorage; default: owner-only files in
   * `<data dir>/secrets`.
   */
  secrets?: SecretStore;
  /** The audit checks' timing (tests): the background full check's delay, the daily period. */
  audit?: Pick<AuditMonitorOptions, 'fullCheckDelayMs' | 'dailyMs' | 'sliceRows'>;
  /**
   * Payment codes: the acquirers (default: from the environment and the secret store,
   * payments/config.ts) and the flow's clock (tests walk the buyer's 30 s at once).
   */
  payments?: {
    acquirers?: Partial<Record<PaymentScheme, Acquirer>>;
    clock?: FlowClock;
    /** How long a QR may be paid (default 2 minutes), and how often it is asked about. */
    qrLifetimeMs?: number;
    qrPollMs?: number;
  };
  /**
   * How a confirmed pole-display total becomes an open sale of that amount. Default: an order
   * of the pole display's built-in register (pole-sales.ts); tests may put another in.
   */
  startAmountSale?: StartAmountSale;
  /** The pole display's serial line (tests: serialport's mock binding), settle time, backoff. */
  poleReader?: PoleDisplayServiceOptions['reader'];
}

export const APP_VERSION = '0.1.0';

export function createPosCore(
  config: PosConfig,
  logger: Logger = silentLogger,
  options: CoreOptions = {},
): PosCore {
  // Made owner-only, or refused with the fix when others may read or write anything in it (the
  // ledger holds money and PIN hashes): checked here so a library use (tests) is checked too.
  ensurePrivateDir(config.dataDir);
  const secrets = options.secrets ?? new FileSecretStore(secretsDirFor(config.dataDir));
  // The audit chain's key lives with the terminal's secrets, never in the ledger: whoever edits
  // the ledger file cannot recompute a chain that verifies.
  const auditKeyIsNew = secrets.get('audit-key') === null;
  const ledger = Ledger.open({
    file: join(config.dataDir, 'ledger.db'),
    terminalId: config.terminalId,
    timezone: config.timezone,
    auditKey: secrets.getOrCreate('audit-key', AUDIT_KEY_BYTES),
    auditKeyIsNew,
    // PIN hashes are keyed with a secret kept apart from the ledger (staff.ts).
    pinPepper: secrets.getOrCreate('pin-pepper'),
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
  const audit = new AuditMonitor({
    ledger,
    logger,
    emit: (status) => emit('ledger.audit', status),
    ...options.audit,
  });
  const started = audit.start();
  if (!started.ok)
    logger.error('the audit chain check at start failed', { ...started.firstBroken });
  const facePay = new FacePayService({
    ledger,
    logger,
    face: () => startFaceBackend({ dataDir: config.dataDir }),
    ...options.facePay,
    emit: (name, payload) => emit(name, payload),
    onSalePaid: (sale) => salePaid(sale),
  });

  /** A payment recorded outside sale.pay (face pay, a payment code): the screens follow. */
  function salePaid(sale: Sale): void {
    emit('sale.changed', { sale: ledger.currentSale() });
    if (sale.status === 'completed') {
      emit('sale.completed', { sale });
      printing.saleCompleted(sale);
    }
    emit('shift.changed', { shift: ledger.currentShift() });
    emit('sync.status', state.syncStatus());
  }

  // One flow per terminal (its in-flight map is what joins a second scan to the first), its
  // attempt journal an owner-only file beside the ledger.
  const paymentsConfig = options.payments?.acquirers === undefined ? paymentsConfigFromEnv() : null;
  const acquirers: Partial<Record<PaymentScheme, Acquirer>> =
    options.payments?.acquirers ?? createAcquirers(paymentsConfig ?? { reference: false }, secrets);
  // The reference cloud's wallet joins when the terminal is linked (attachCloud), so the flow
  // exists whenever a code may be taken: an acquirer configured, or the reference one on.
  const journal =
    Object.keys(acquirers).length > 0 || paymentsConfig?.reference === true
      ? new AttemptJournal(join(config.dataDir, 'payments.db'))
      : null;
  const flowClock = options.payments?.clock;
  const payByCode =
    journal === null
      ? null
      : new PayByCode({
          acquirers,
          journal,
          logger,
          ...(flowClock === undefined ? {} : { clock: flowClock }),
        });
  const payCode = new PayCodeService({
    ledger,
    flow: payByCode,
    acquirers,
    logger,
    shopName: config.shopName,
    emit: (progress) => emit('paycode.progress', progress),
    onSalePaid: (sale) => {
      salePaid(sale);
      // Face pay offered for this sale stands down once a code has paid it.
      facePay.onSaleChanged(ledger.currentSale());
      qr.onSaleChanged(ledger.currentSale());
    },
    ...(flowClock === undefined ? {} : { clock: flowClock }),
  });
  void payCode.recover();
  const qrTiming = options.payments;
  const qr = new QrService({
    ledger,
    flow:
      payByCode === null
        ? null
        : new QrPay({
            flow: payByCode,
            acquirers,
            logger,
            ...(flowClock === undefined ? {} : { clock: flowClock }),
            ...(qrTiming?.qrLifetimeMs === undefined ? {} : { lifetimeMs: qrTiming.qrLifetimeMs }),
            ...(qrTiming?.qrPollMs === undefined ? {} : { pollIntervalMs: qrTiming.qrPollMs }),
          }),
    payCode,
    logger,
    shopName: config.shopName,
    emit: (state) => emit('qr.state', state),
    facePay: () => facePay.snapshot(),
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

  const poleDisplay = new PoleDisplayService({
    config: config.poleDisplay ?? null,
    // Called only on a confirm, by when startPoleSale (after the registers) is there.
    startAmountSale: options.startAmountSale ?? ((input) => startPoleSale(input)),
    onStatus: (status) => emit('pole.display', status),
    logger,
    ...(options.poleReader === undefined ? {} : { reader: options.poleReader }),
  });

  let cloud: CloudLink | null = null;
  let catalogMaster: string | null = null;
  const catalogUploads = new CatalogUploads();
  const walletCredits = new WalletCredits({
    ledger,
    link: () => cloud,
    logger,
    ...(options.walletCreditWaitMs === undefined ? {} : { waitMs: options.walletCreditWaitMs }),
    onSettled: () => emit('sync.status', state.syncStatus()),
  });
  const sessions = new ManagerSessions(options.now ?? Date.now);
  const displays = new DisplayRegistry(ledger, options.now ?? Date.now, logger);
  const registers = new RegisterService({
    ledger,
    logger,
    now: options.now ?? Date.now,
    callbackKey: secrets.getOrCreate('register-callback-key'),
    operator: () => state.operator,
    facePay,
    approver: (pin, _action, byId) => ledger.verifyRolePin('manager', pin, byId),
    settleRefund: (refund) => walletCredits.deliver(refund),
    saleTouched: (sale) => {
      // What emitAfter does for the till's own sale channels.
      const current = ledger.currentSale();
      emit('sale.changed', { sale: current });
      facePay.onSaleChanged(current);
      qr.onSaleChanged(current);
      if (sale.status === 'completed') {
        emit('sale.completed', { sale });
        printing.saleCompleted(sale);
      }
      emit('shift.changed', { shift: ledger.currentShift() });
      emit('sync.status', state.syncStatus());
    },
    announce: (payment) => emit('display.payment', payment),
    qr: { startQr: (saleId, _dueFen, operatorId) => qr.startForRegister(saleId, operatorId) },
    payCode,
  });
  // The register's totals on the pole display become orders of its built-in register.
  const startPoleSale =
    config.poleDisplay == null
      ? amountSalesMissing
      : poleAmountSales({
          ledger,
          registers,
          port: config.poleDisplay.path,
          now: options.now ?? Date.now,
        });
  // Face pay completes register orders too (on the customer display): their events follow.
  listeners.add((name, payload) => {
    if (name === 'sale.completed')
      registers.saleEvent('completed', (payload as EventPayload<'sale.completed'>).sale.id);
    else if (name === 'facepay.state') {
      const saleId = (payload as EventPayload<'facepay.state'>).saleId;
      if (saleId !== null) registers.saleEvent('facepay', saleId);
    } else if (name === 'paycode.progress')
      registers.codeProgress(payload as EventPayload<'paycode.progress'>);
  });
  const callers = new Map<string, Caller>();
  let shell: TerminalShell | null = null;

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
      poleDisplay,
      walletCredits,
      payCode,
      qr,
      sessions,
      shell: () => shell,
      audit,
      displays,
      registers,
      catalog: { managedBy: () => catalogMaster, uploads: catalogUploads },
    },
  );

  /** Who is asking, and may they: the context the handler runs with, or the refusal. */
  function authorise(channel: Channel, caller: Caller): CallContext {
    if (callers.get(caller.id) !== caller)
      throw new PosError('FORBIDDEN', 'this connection is closed');
    if (caller.kind === 'customer' && !CUSTOMER_CHANNELS.has(channel))
      throw new PosError('FORBIDDEN', `the customer display may not use ${channel}`, 'channel');
    if (
      caller.kind === 'customer' &&
      CUSTOMER_PAY_CHANNELS.has(channel) &&
      !displays.isCustomers(caller.display)
    )
      throw new PosError(
        'FORBIDDEN',
        `${channel}: this display is not the customer's (the manager picks it)`,
        'channel',
      );
    if (caller.kind !== 'customer' && PAYER_ONLY_CHANNELS.has(channel))
      throw new PosError('FORBIDDEN', `${channel} is the customer's, on their display`, 'channel');
    const rule = RULES[channel];
    const call: CallContext = { caller, operator: state.operator, manager: null };
    if (rule === 'operator' && call.operator === null)
      throw new PosError(
        'SIGN_IN_REQUIRED',
        `${channel} needs someone signed in at the till (a cashier or a manager)`,
      );
    if (rule === 'signedIn') {
      call.manager = sessions.use(caller.id);
      if (call.operator === null && call.manager === null)
        throw new PosError(
          'SIGN_IN_REQUIRED',
          `${channel} needs you signed in (at the till, or as the manager on this screen)`,
        );
    }
    if (rule === 'manager') {
      call.manager = sessions.use(caller.id);
      if (call.manager === null)
        throw new PosError(
          'MANAGER_REQUIRED',
          `${channel} is the manager's: sign in with a manager's PIN on this screen`,
        );
    }
    return call;
  }

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
    // A register's order refunded at the till: the register hears of it too.
    if (channel === 'refund.create' || channel === 'sale.voidCompleted')
      registers.saleEvent('refunded', (payload as { saleId: string }).saleId);
    if (SALE_CHANGING.has(channel)) {
      emit('sale.changed', { sale: ledger.currentSale() });
      facePay.onSaleChanged(ledger.currentSale());
      qr.onSaleChanged(ledger.currentSale());
      if (
        (channel === 'sale.pay' || channel === 'sale.completeZero') &&
        (result as Sale).status === 'completed'
      ) {
        emit('sale.completed', { sale: result as Sale });
        // After the commit, never holding up the answer: the drawer, then the receipt.
        printing.saleCompleted(result as Sale);
      }
    }
    if (SHIFT_CHANGING.has(channel)) emit('shift.changed', { shift: ledger.currentShift() });
    if (OUTBOX_WRITING.has(channel)) emit('sync.status', state.syncStatus());
    if (AUTH_CHANGING.has(channel)) {
      emit('auth.changed', { staff: state.operator });
      // Money that arrived while the till was down is recorded under the one who signs in.
      if (state.operator !== null) payCode.recordRecovered(state.operator.id);
    }
    if (channel === 'settings.set') printing.changed();
    if (channel === 'display.payment')
      emit('display.payment', payload as Request<'display.payment'>);
  }

  return {
    config,
    secrets,
    ledger,
    facePay,
    audit,
    displays,
    registers,
    printing,
    payCode,
    qr,
    poleDisplay,
    get cloud() {
      return cloud;
    },
    setCatalogMaster(url) {
      catalogMaster = url;
    },
    attachCloud(link) {
      cloud = link;
      facePay.attachCloud(link);
      if (paymentsConfig?.reference === true) {
        // The flow reads its acquirers per charge: the reference wallet comes and goes with
        // the link; what it left open while unlinked is settled now.
        if (link === null) delete acquirers.reference;
        else {
          acquirers.reference = createAcquirers({ reference: true }, secrets, link).reference;
          void payCode.recover();
        }
      }
    },
    openCaller(kind, display) {
      const caller: Caller = Object.freeze({
        id: randomUUID(),
        kind,
        // A customer caller that does not say which display it is, is the terminal's own.
        ...(kind === 'customer' ? { display: display ?? LOCAL_DISPLAY_ID } : {}),
      });
      callers.set(caller.id, caller);
      return caller;
    },
    closeCaller(caller) {
      if (callers.get(caller.id) !== caller) return;
      callers.delete(caller.id);
      sessions.end(caller.id);
      catalogUploads.forget(caller.id);
    },
    attachShell(next) {
      shell = next;
    },
    async dispatch(channel, payload, caller) {
      try {
        // The channel first (UNKNOWN_CHANNEL), then who may use it, then the payload: a caller
        // that may not use a channel learns nothing from its validation.
        if (!isChannel(channel))
          throw new PosError(
            'UNKNOWN_CHANNEL',
            `unknown channel: ${String(channel).slice(0, 64)}`,
            'channel',
          );
        const call = authorise(channel, caller);
        const request = parseRequest(channel, payload);
        const handler = handlers[request.channel] as Handler<typeof request.channel>;
        const answer = handler(request.payload, call);
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
      audit.close();
      void facePay.close();
      void printing.close();
      void poleDisplay.close();
      listeners.clear();
      callers.clear();
      journal?.close();
      ledger.close();
    },
    async shutdown() {
      audit.close();
      await Promise.all([facePay.close(), printing.close(), poleDisplay.close()]);
      listeners.clear();
      callers.clear();
      journal?.close();
      ledger.close();
    },
  };
}
