/**
 * The register integration API's core: pairing registers (the manager's one-time code for a
 * bearer token), and their orders as ledger sales (create, pay, cancel, refund, read), with an
 * event for every change (the host relays them on the WebSocket and to callback URLs).
 *
 * Pairing mirrors remote displays (displays.ts): 8 digits, one use, 10 minutes, burnt by
 * MAX_WRONG_TRIES wrong guesses from anyone. The token is 32 random bytes kept as its SHA-256.
 * The callback secret is HMAC-SHA256(terminal key, register id), the key living in the
 * terminal's secret store: the database holds no secret, and the terminal can sign callbacks
 * long after pairing without ever having stored the register's token.
 *
 * Who answers for the money: cash and card are "recorded at the register" exactly like the
 * till's recorded tenders (the register says it took them; the ledger records who was signed in
 * at the till). Face pay goes through face pay only (the customer display, the cloud's signed
 * debit, ledger.payFace). Payment codes and QR go through the core's acquirer flows (`payCode`,
 * `qr`: the same ones the till uses), passed in by the core.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  maskPaymentCode,
  PosError,
  type ApprovalAction,
  type CreateOrderRequest,
  type DayList,
  type DisplayPayment,
  type OrderCodePayment,
  type OrderRefund,
  type PairingCode,
  type PayCodeProgress,
  type PayCodeResult,
  type PaymentMethod,
  type PayRequest,
  type PayResponse,
  type RefundRequest,
  type RefundResponse,
  type RegisterDevice,
  type RegisterEvent,
  type RegisterEventType,
  type RegisterOrder,
  type RegisterOverview,
  type Refund,
  type Sale,
  type Staff,
} from '../contract';
import type { Ledger } from '../ledger';
import type { RegisterOrderRow } from '../ledger/registers';
import { cleanDeviceName, OneTimePairingCode } from './pairing-code';
import type { FacePayService } from './payments/face';
import type { Logger } from './logger';

/**
 * Payment codes and QR, once the acquirers are wired into the core (main/core/payments'
 * PayByCode). Each records the payment in the ledger itself and resolves with the sale.
 */
/** The core's merchant-presented QR (QrService) for register orders. */
export interface RegisterQr {
  /** Starts a QR payment: resolves with what to show; the payment lands later. */
  startQr(saleId: string, amountFen: number, operatorId: string): Promise<{ qrContent: string }>;
}

/**
 * The core's payment codes (PayCodeService): one flow per terminal, whose in-flight attempts
 * join a second scan of the same sale to the first, and which records the money in the ledger
 * itself (the core's salePaid then tells everyone, this order's 'order.paid' included).
 */
export interface RegisterPayCode {
  pay(saleId: string, code: string, operatorId: string): Promise<PayCodeResult>;
}

export interface RegisterServiceOptions {
  ledger: Ledger;
  logger: Logger;
  now: () => number;
  /** The key callback secrets are derived from (the terminal's secret store). */
  callbackKey: Buffer;
  /** Who is signed in at the till (register orders are recorded for them). */
  operator: () => Staff | null;
  facePay: FacePayService;
  /** The manager whose PIN this is, for the till's approval policy (handlers.ts). */
  approver: (managerPin: string, action: ApprovalAction, byId: string | null) => Staff;
  /** A refund's wallet credits sent (as the till's refunds are). */
  settleRefund: (refund: Refund) => Promise<unknown> | unknown;
  /** The ledger changed the active sale, completed one, moved the shift: tell the screens. */
  saleTouched: (sale: Sale) => void;
  /** The customer display's payment panel (as the till's payment dialog announces it). */
  announce: (payment: DisplayPayment) => void;
  /** QR (method qr); without it qr answers NOT_SUPPORTED. */
  qr?: RegisterQr;
  /** Payment codes (method paycode); without it paycode answers NOT_SUPPORTED. */
  payCode?: RegisterPayCode;
}

export type RegisterEventListener = (event: RegisterEvent) => void;

export class RegisterService {
  private readonly code: OneTimePairingCode;
  private remote: { url: string; fingerprint: string } | null = null;
  private localUrl = '';
  private readonly listeners = new Set<RegisterEventListener>();
  private readonly revokedListeners = new Set<(registerId: string) => void>();
  /** Orders face pay is under way for, as last told to the register. */
  private readonly awaiting = new Map<string, boolean>();
  /** The last payment code charged per order (sale id), as the register last heard of it. */
  private readonly codePayments = new Map<string, OrderCodePayment>();
  /** Long-polls waiting on an order: sale id -> wake-ups. */
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly o: RegisterServiceOptions) {
    this.code = new OneTimePairingCode(o.now, o.logger, 'register', "on the manager's screen");
  }

  // ------------------------------------------------------------------ pairing (manager screen)

  setUrls(localUrl: string, remote: { url: string; fingerprint: string } | null): void {
    this.localUrl = localUrl;
    this.remote = remote;
  }

  overview(): RegisterOverview {
    return {
      registers: this.o.ledger.registers.list(),
      remote: this.remote,
      localUrl: this.localUrl,
    };
  }

  newPairingCode(): PairingCode {
    return this.code.issue();
  }

  /** The register's code and name for its token, once. Wrong codes burn the code in force. */
  pair(
    code: string,
    name: string,
  ): { register: RegisterDevice; token: string; callbackSecret: string } {
    this.code.redeem(code);
    const cleanName = cleanDeviceName(name) || 'register';
    const token = randomBytes(32).toString('base64url');
    const register = this.o.ledger.registers.add(cleanName, token);
    this.o.logger.info('register pairing: a register was paired', { registerId: register.id });
    return { register, token, callbackSecret: this.callbackSecret(register.id) };
  }

  callbackSecret(registerId: string): string {
    return createHmac('sha256', this.o.callbackKey)
      .update(`register-callback:${registerId}`)
      .digest('hex');
  }

  /** The paired, unrevoked register a bearer token belongs to. */
  authenticate(token: string): RegisterDevice | null {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    return this.o.ledger.registers.byToken(token);
  }

  rename(registerId: string, name: string): RegisterDevice {
    const clean = cleanDeviceName(name);
    if (clean === '') throw new PosError('VALIDATION', 'give a name', 'name');
    return this.o.ledger.registers.rename(registerId, clean);
  }

  revoke(registerId: string): RegisterDevice {
    const register = this.o.ledger.registers.revoke(registerId);
    for (const listener of this.revokedListeners) listener(registerId);
    return register;
  }

  onRevoked(listener: (registerId: string) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  isRevoked(registerId: string): boolean {
    return this.o.ledger.registers.get(registerId).revokedAt !== null;
  }

  // ---------------------------------------------------------------------------------- events

  onEvent(listener: RegisterEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(type: RegisterEventType, row: RegisterOrderRow): RegisterOrder {
    const order = this.view(row);
    const at = new Date(this.o.now());
    const event: RegisterEvent = {
      id: `evt_${randomBytes(12).toString('hex')}`,
      type,
      createdAt: at.toISOString(),
      registerId: row.registerId,
      order,
    };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.o.logger.error('register event listener failed', { error: String(error) });
      }
    }
    const waiting = this.waiters.get(row.saleId);
    if (waiting !== undefined) for (const wake of [...waiting]) wake();
    return order;
  }

  /** The order changed: its version goes up and everyone hears. */
  private changed(
    saleId: string,
    type: RegisterEventType,
    cancelled = false,
  ): RegisterOrder | null {
    const row = this.o.ledger.registers.touchOrder(saleId, cancelled);
    return row === null ? null : this.publish(type, row);
  }

  /**
   * The core tells of sales that changed outside the register's own requests (face pay on the
   * customer display, a refund at the till): a register order among them gets its event.
   */
  saleEvent(kind: 'completed' | 'facepay' | 'refunded', saleId: string): void {
    const row = this.o.ledger.registers.orderBySale(saleId);
    if (row === null) return;
    if (kind === 'refunded') {
      this.changed(saleId, 'order.refunded');
      return;
    }
    if (kind === 'completed') {
      this.awaiting.delete(saleId);
      // A code's charge that completed the order: 'order.paid' already says it ended paid.
      const code = this.codePayments.get(saleId);
      if (code !== undefined && codeUnderWay(code))
        this.codePayments.set(saleId, { ...code, stage: 'paid', secondsLeft: null });
      this.changed(saleId, 'order.paid');
      return;
    }
    // Face pay reports every step; the register hears only when face pay starts or stops.
    const awaiting = this.faceUnderWay(saleId);
    if ((this.awaiting.get(saleId) ?? false) === awaiting) return;
    if (awaiting) this.awaiting.set(saleId, true);
    else this.awaiting.delete(saleId);
    this.changed(saleId, 'order.updated');
  }

  /** A payment code's charge moved on (the core's paycode.progress): the register hears each step. */
  codeProgress(progress: PayCodeProgress): void {
    if (this.o.ledger.registers.orderBySale(progress.saleId) === null) return;
    this.codePayments.set(progress.saleId, {
      stage: progress.stage,
      secondsLeft: progress.secondsLeft,
      masked: progress.masked,
      code: null,
      message: null,
    });
    this.changed(progress.saleId, 'order.updated');
  }

  private faceUnderWay(saleId: string): boolean {
    const face = this.o.facePay.snapshot();
    return face.saleId === saleId && !['idle', 'paid', 'failed'].includes(face.phase);
  }

  // ---------------------------------------------------------------------------------- orders

  create(
    register: RegisterDevice,
    input: CreateOrderRequest,
  ): { order: RegisterOrder; created: boolean } {
    const { order: row, created } = this.o.ledger.registers.openOrder(register, input);
    if (!created) return { order: this.view(row), created };
    this.o.saleTouched(this.o.ledger.getSale(row.saleId));
    // The customer sees the amount, the discounts and that payment is awaited, at once.
    this.o.announce({ saleId: row.saleId, stage: 'waiting', method: null, tenderedFen: null });
    return { order: this.publish('order.created', row), created };
  }

  get(register: RegisterDevice, orderNo: string): RegisterOrder {
    return this.view(this.row(register, orderNo));
  }

  /**
   * The order once its version differs from `version` (default: the current one), or as it
   * is after waitMs. Resolves early when the signal aborts (the register went away).
   */
  async wait(
    register: RegisterDevice,
    orderNo: string,
    waitMs: number,
    version: number | undefined,
    signal?: AbortSignal,
  ): Promise<RegisterOrder> {
    const row = this.row(register, orderNo);
    const since = version ?? row.version;
    if (row.version !== since || waitMs === 0) return this.view(row);
    await new Promise<void>((resolve) => {
      let set = this.waiters.get(row.saleId);
      if (set === undefined) this.waiters.set(row.saleId, (set = new Set()));
      const waiting = set;
      const done = () => {
        clearTimeout(timer);
        waiting.delete(done);
        if (waiting.size === 0) this.waiters.delete(row.saleId);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      waiting.add(done);
      signal?.addEventListener('abort', done);
    });
    return this.get(register, orderNo);
  }

  async pay(register: RegisterDevice, orderNo: string, request: PayRequest): Promise<PayResponse> {
    const row = this.row(register, orderNo);
    const sale = this.saleOf(row);
    if (row.cancelledAt !== null || sale.status === 'voided')
      throw new PosError('SALE_NOT_OPEN', `order ${orderNo} is cancelled`, 'orderNo');
    if (sale.status === 'completed')
      throw new PosError('SALE_NOT_OPEN', `order ${orderNo} is already paid`, 'orderNo');
    const operatorId = this.operatorId();
    switch (request.method) {
      case 'cash':
      case 'card': {
        const amountFen = request.amountFen ?? sale.dueFen;
        const paid = this.o.ledger.pay(
          row.saleId,
          request.method === 'cash'
            ? {
                method: 'cash',
                amountFen,
                ...(request.tenderedFen === undefined ? {} : { tenderedFen: request.tenderedFen }),
              }
            : {
                method: 'card',
                amountFen,
                ...(request.reference === undefined ? {} : { reference: request.reference }),
              },
          operatorId,
        );
        this.o.saleTouched(paid);
        // A completing tender's 'order.paid' comes from the core's sale.completed (saleEvent).
        const order =
          paid.status === 'completed'
            ? this.get(register, orderNo)
            : (this.changed(row.saleId, 'order.updated') ?? this.get(register, orderNo));
        return { order, qrContent: null };
      }
      case 'face': {
        // Its progress reaches the register through the core's facepay.state (saleEvent).
        const state = this.o.facePay.start(row.saleId, operatorId);
        if (state.phase === 'failed')
          throw new PosError(
            'NOT_SUPPORTED',
            `face pay is not available now (${state.failure?.message ?? 'unavailable'}): ` +
              'take another method',
          );
        return { order: this.get(register, orderNo), qrContent: null };
      }
      case 'paycode':
        return this.payByCode(register, orderNo, row.saleId, request.code, operatorId);
      case 'qr': {
        const port = this.requireQr();
        const { qrContent } = await port.startQr(row.saleId, sale.dueFen, operatorId);
        return { order: this.get(register, orderNo), qrContent };
      }
    }
  }

  /**
   * Charges the code through the till's own flow and answers once it has ended: paid, refused
   * in the acquirer's words, or unknown. The register hears every stage meanwhile (events and
   * long-polls); if it goes away, the charge runs on and the callback tells it.
   */
  private async payByCode(
    register: RegisterDevice,
    orderNo: string,
    saleId: string,
    code: string,
    operatorId: string,
  ): Promise<PayResponse> {
    if (this.o.payCode === undefined)
      throw new PosError(
        'NOT_SUPPORTED',
        'payment codes are not taken on this terminal: take another method',
        'method',
      );
    const result = await this.o.payCode.pay(saleId, code, operatorId);
    const before = this.codePayments.get(saleId);
    const ended: OrderCodePayment = {
      stage: result.status,
      secondsLeft: null,
      masked: maskPaymentCode(code.trim()),
      code: result.status === 'paid' ? null : result.code,
      message: result.status === 'paid' ? null : result.message,
    };
    this.codePayments.set(saleId, ended);
    // A payment that completed the order was told as 'order.paid' (saleEvent); anything else
    // (refused, unknown, a part paid) is news.
    if (result.status !== 'paid' || before?.stage !== 'paid') this.changed(saleId, 'order.updated');
    return { order: this.get(register, orderNo), qrContent: null };
  }

  cancel(register: RegisterDevice, orderNo: string): RegisterOrder {
    const row = this.row(register, orderNo);
    const sale = this.saleOf(row);
    if (sale.status === 'voided') return this.view(row);
    if (sale.status === 'completed')
      throw new PosError(
        'SALE_HAS_PAYMENTS',
        `order ${orderNo} is paid: refund it instead`,
        'orderNo',
      );
    if (this.o.facePay.snapshot().saleId === row.saleId) this.o.facePay.cancel(row.saleId);
    const voided = this.o.ledger.voidSale(row.saleId, this.operatorId());
    this.o.announce({ saleId: row.saleId, stage: 'cancelled', method: null, tenderedFen: null });
    this.o.saleTouched(voided);
    return this.changed(row.saleId, 'order.cancelled', true) ?? this.get(register, orderNo);
  }

  async refund(
    register: RegisterDevice,
    orderNo: string,
    request: RefundRequest,
  ): Promise<RefundResponse> {
    const row = this.row(register, orderNo);
    const content = JSON.stringify({
      orderNo,
      amountFen: request.amountFen ?? null,
      lines: request.lines ?? null,
      reason: request.reason,
    });
    const known = this.o.ledger.registers.refundByNo(register.id, request.refundNo);
    if (known !== null) {
      if (known.request !== content)
        throw new PosError(
          'ORDER_CONFLICT',
          `refund ${request.refundNo} was already made with other content (order ${known.orderNo}); ` +
            'use a new refund number for a new refund',
          'refundNo',
        );
      const order = this.get(register, orderNo);
      const refund = order.refunds.find((r) => r.refundNo === request.refundNo);
      if (refund === undefined) throw new PosError('INTERNAL', 'register refund not found');
      return { refund, order };
    }
    const sale = this.saleOf(row);
    if (sale.status !== 'completed')
      throw new PosError(
        'REFUND_EXCEEDS_PAID',
        `order ${orderNo} is not paid: nothing to refund`,
        'orderNo',
      );
    const lines =
      request.amountFen === undefined
        ? request.lines
        : this.linesForAmount(sale, request.amountFen);
    // The till's policy: a refund needs a manager's approval.
    if (request.managerPin === undefined)
      throw new PosError(
        'APPROVAL_REQUIRED',
        "a refund needs a manager's approval: send it again with managerPin (a manager's PIN)",
        'managerPin',
      );
    const operatorId = this.operatorId();
    let approver: Staff;
    try {
      approver = this.o.approver(request.managerPin, 'refund', operatorId);
    } catch (error) {
      if (PosError.is(error) && error.field === 'pin')
        throw new PosError(error.code, error.message, 'managerPin');
      throw error;
    }
    const done = this.o.ledger.withApproval(
      approver,
      'refund',
      () => {
        const refund = this.o.ledger.refund(row.saleId, lines, request.reason, operatorId);
        this.o.ledger.registers.recordRefundNo(
          register.id,
          request.refundNo,
          orderNo,
          refund.id,
          content,
        );
        return refund;
      },
      (r) => ({
        ref: r.id,
        details: { saleId: row.saleId, amountFen: r.amountFen, registerId: register.id, orderNo },
      }),
    );
    await this.o.settleRefund(done);
    const order = this.changed(row.saleId, 'order.refunded') ?? this.get(register, orderNo);
    const refund = order.refunds.find((r) => r.refundNo === request.refundNo);
    if (refund === undefined) throw new PosError('INTERNAL', 'register refund not found');
    return { refund, order };
  }

  dayList(register: RegisterDevice, date: string | undefined): DayList {
    const businessDate = date ?? this.o.ledger.businessDate();
    const orders = this.o.ledger.registers
      .ordersOfDay(register.id, businessDate)
      .map((r) => this.view(r));
    const byMethod = new Map<RegisterMethod, number>();
    let paidCount = 0;
    let paidFen = 0;
    let refundedFen = 0;
    for (const order of orders) {
      if (order.status !== 'paid') continue;
      paidCount += 1;
      paidFen += order.amountFen;
      refundedFen += order.refundedFen;
      for (const p of order.payments)
        byMethod.set(
          registerMethod(p.method),
          (byMethod.get(registerMethod(p.method)) ?? 0) + p.amountFen,
        );
      for (const r of order.refunds)
        for (const m of r.byMethod)
          byMethod.set(
            registerMethod(m.method),
            (byMethod.get(registerMethod(m.method)) ?? 0) - m.amountFen,
          );
    }
    return {
      registerId: register.id,
      registerName: register.name,
      businessDate,
      orders,
      totals: {
        paidCount,
        paidFen,
        refundedFen,
        netFen: paidFen - refundedFen,
        byMethod: [...byMethod].map(([method, amountFen]) => ({ method, amountFen })),
      },
    };
  }

  // --------------------------------------------------------------------------------- helpers

  private row(register: RegisterDevice, orderNo: string): RegisterOrderRow {
    const row = this.o.ledger.registers.orderByNo(register.id, orderNo);
    if (row === null)
      throw new PosError('NOT_FOUND', `no order ${orderNo} from this register`, 'orderNo');
    return row;
  }

  private operatorId(): string {
    const operator = this.o.operator();
    if (operator === null)
      throw new PosError(
        'SIGN_IN_REQUIRED',
        'nobody is signed in at the till: register orders are taken while the till is staffed',
      );
    return operator.id;
  }

  private requireQr(): RegisterQr {
    if (this.o.qr === undefined)
      throw new PosError('NOT_SUPPORTED', 'QR is not wired to an acquirer on this terminal');
    return this.o.qr;
  }

  /**
   * A partial refund by amount, as the ledger refunds: whole units. The amount must be what
   * some units of one line carry (the first line, from the last unit back, whose units sum to
   * it), else 400 naming what can be refunded. The full remaining amount is always possible.
   */
  private linesForAmount(
    sale: Sale,
    amountFen: number,
  ): { lineNo: number; qty: number }[] | undefined {
    const refundable = this.o.ledger.refundableLines(sale.id);
    const remaining = sale.totalFen - sale.refundedFen;
    if (amountFen === remaining) return undefined;
    for (const line of refundable) {
      const saleLine = sale.lines.find((l) => l.lineNo === line.lineNo);
      if (saleLine === undefined) continue;
      const left = line.qty - line.refundedQty;
      for (let qty = 1; qty <= left; qty += 1) {
        // The ledger's pro-rata rule (pricing.ts rule 6), with the units already refunded.
        const part =
          Math.floor((2 * saleLine.netFen * (line.refundedQty + qty) + line.qty) / (2 * line.qty)) -
          Math.floor((2 * saleLine.netFen * line.refundedQty + line.qty) / (2 * line.qty));
        if (part === amountFen) return [{ lineNo: line.lineNo, qty }];
        if (part > amountFen) break;
      }
    }
    throw new PosError(
      'VALIDATION',
      `amountFen ${amountFen} is not what whole units of a line carry; refund ${remaining} (all ` +
        'that remains) or give lines',
      'amountFen',
    );
  }

  /**
   * The order's sale. An open order's cart is not fsynced (db.ts): a power cut can lose it
   * while its register_orders row survives. Nothing was paid then (a tender that leaves
   * something due makes the cart durable first; one that pays in full writes the sale), so the
   * order stands as cancelled, and the register sends a new one.
   */
  private saleOf(row: RegisterOrderRow): Sale {
    try {
      return this.o.ledger.getSale(row.saleId);
    } catch (error) {
      if (!PosError.is(error) || error.code !== 'NOT_FOUND') throw error;
      this.o.logger.warn('register order: its cart was lost (power cut?); it stands cancelled', {
        orderNo: row.orderNo,
      });
      return {
        id: row.saleId,
        receiptNo: null,
        status: 'voided',
        shiftId: null,
        openedAt: row.createdAt,
        completedAt: null,
        lines: [],
        subtotalFen: 0,
        lineDiscountFen: 0,
        saleDiscountFen: 0,
        totalFen: 0,
        taxFen: 0,
        paidFen: 0,
        dueFen: 0,
        changeFen: 0,
        payments: [],
        refundedFen: 0,
        operator: null,
      };
    }
  }

  /** The order as the register sees it. */
  view(row: RegisterOrderRow): RegisterOrder {
    const sale = this.saleOf(row);
    const refunds = this.o.ledger.refundsOf(row.saleId);
    const numbers = this.o.ledger.registers.refundNosOf(row.saleId);
    const faceUnderWay = sale.status === 'open' && this.faceUnderWay(row.saleId);
    const codePayment = this.codePayments.get(row.saleId) ?? null;
    const status =
      sale.status === 'completed' ? 'paid' : sale.status === 'voided' ? 'cancelled' : 'open';
    return {
      orderNo: row.orderNo,
      registerId: row.registerId,
      registerName: row.registerName,
      saleId: row.saleId,
      receiptNo: sale.receiptNo,
      status,
      businessDate: row.businessDate,
      amountFen: row.amountFen,
      paidFen: sale.status === 'voided' ? 0 : sale.paidFen,
      dueFen: status === 'open' ? sale.dueFen : 0,
      changeFen: sale.changeFen,
      refundedFen: sale.refundedFen,
      lines: sale.lines.map((l) => ({
        lineNo: l.lineNo,
        name: l.nameEn,
        qty: l.qty,
        unitPriceFen: l.unitPriceFen,
        grossFen: l.grossFen,
        discountFen: l.lineDiscountFen + l.saleDiscountShareFen,
        netFen: l.netFen,
      })),
      discounts: row.discounts.map((d) => ({
        kind: d.kind,
        label: d.label,
        amountFen: d.amountFen,
      })),
      payments: sale.payments.map((p) => ({
        id: p.id,
        method: registerMethod(p.method),
        amountFen: p.amountFen,
        tenderedFen: p.tenderedFen,
        changeFen: p.changeFen,
        reference: p.reference,
        createdAt: p.createdAt,
      })),
      refunds: refunds.map((r): OrderRefund => ({
        refundNo: numbers.get(r.id) ?? r.id,
        refundId: r.id,
        amountFen: r.amountFen,
        reason: r.reason,
        lines: r.lines,
        byMethod: r.byMethod.map((m) => ({
          method: registerMethod(m.method),
          amountFen: m.amountFen,
        })),
        createdAt: r.createdAt,
      })),
      awaiting: faceUnderWay
        ? 'face'
        : codePayment !== null && codeUnderWay(codePayment)
          ? 'paycode'
          : null,
      codePayment,
      callbackUrl: row.callbackUrl,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      version: row.version,
    };
  }
}

function codeUnderWay(payment: OrderCodePayment): boolean {
  return !['paid', 'refused', 'unknown'].includes(payment.stage);
}

/** The register API's payment methods (contract/register.ts): a payment code counts as 'qr'. */
type RegisterMethod = 'cash' | 'card' | 'face' | 'qr';

/**
 * The ledger's method as the register API says it: the acquirer methods (issue 10: alipay,
 * wechat, unionpay, stored_value) are payment codes, which that API calls 'qr'.
 */
function registerMethod(method: PaymentMethod): RegisterMethod {
  return method === 'cash' || method === 'card' || method === 'face' ? method : 'qr';
}
