/**
 * The TypeScript client for the register integration API (main/contract/register.ts is the
 * contract; REGISTER_* paths, zod schemas). Everything the terminal answers is validated against
 * the contract before it is returned, so a register never acts on a malformed answer.
 *
 *   const { token } = await pair('http://127.0.0.1:5180', '12345678', 'Front register');
 *   const pos = new RegisterClient({ baseUrl: 'http://127.0.0.1:5180', token });
 *   await pos.createOrder({ orderNo: 'R-1001', amountFen: 1800,
 *     discounts: [{ kind: 'merchant', amountFen: 200, label: '会员价' }] });
 *   await pos.pay('R-1001', { method: 'face' });
 *   const paid = await pos.waitFor('R-1001', (o) => o.status !== 'open');
 *
 * Errors are RegisterApiError: status 401 (unpaired or revoked token), 409 BUSY (the till is
 * mid-sale) or ORDER_CONFLICT (same order number, other content), 403 APPROVAL_REQUIRED (send the
 * refund again with a manager's PIN), 400 VALIDATION with the field.
 */
import {
  REGISTER_ORDERS_PATH,
  REGISTER_PAIR_PATH,
  cancelRequest,
  createOrderRequest,
  dayList,
  pairRequest,
  pairResponse,
  payRequest,
  payResponse,
  refundRequest,
  refundResponse,
  registerOrder,
  type CancelRequest,
  type CreateOrderRequest,
  type DayList,
  type PairResponse,
  type PayRequest,
  type PayResponse,
  type RefundRequest,
  type RefundResponse,
  type RegisterOrder,
} from '../contract';
import { exchange, RegisterApiError, type Connection } from './http';

export { RegisterApiError } from './http';
export type { Connection } from './http';

/** Exchanges the manager screen's one-time code for this register's token. */
export async function pair(
  connection: Omit<Connection, 'token'> | string,
  code: string,
  name: string,
): Promise<PairResponse> {
  const conn = typeof connection === 'string' ? { baseUrl: connection } : connection;
  return exchange(
    conn,
    { method: 'POST', path: REGISTER_PAIR_PATH, body: validated(pairRequest, { code, name }) },
    pairResponse,
  );
}

/** Refuses bad input before it leaves the register, with the same words the terminal would use. */
function validated<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') ?? '';
  throw new RegisterApiError(
    0,
    'VALIDATION',
    `${field === '' ? '' : `${field}: `}${issue?.message ?? 'invalid'}`,
    field === '' ? {} : { field },
  );
}

const orderPath = (orderNo: string) => `${REGISTER_ORDERS_PATH}/${encodeURIComponent(orderNo)}`;

export class RegisterClient {
  constructor(readonly connection: Connection & { token: string }) {}

  /** Same orderNo and content again: the same order (safe to retry); other content: 409. */
  createOrder(order: CreateOrderRequest): Promise<RegisterOrder> {
    return exchange(
      this.connection,
      { method: 'POST', path: REGISTER_ORDERS_PATH, body: validated(createOrderRequest, order) },
      registerOrder,
    );
  }

  /**
   * cash/card: recorded at the register, the order is paid when this returns. face: the customer
   * display offers face pay; the result comes later (waitFor, events or the callback).
   */
  pay(orderNo: string, request: PayRequest): Promise<PayResponse> {
    return exchange(
      this.connection,
      { method: 'POST', path: `${orderPath(orderNo)}/pay`, body: validated(payRequest, request) },
      payResponse,
    );
  }

  query(orderNo: string): Promise<RegisterOrder> {
    return exchange(this.connection, { method: 'GET', path: orderPath(orderNo) }, registerOrder);
  }

  /**
   * One long-poll: returns when the order's version differs from `version` (default: the
   * version it has when the terminal receives the request), or after waitMs with it unchanged.
   */
  poll(orderNo: string, waitMs: number, version?: number): Promise<RegisterOrder> {
    return exchange(
      this.connection,
      {
        method: 'GET',
        path: orderPath(orderNo),
        query: { waitMs, version },
        extraTimeoutMs: waitMs,
      },
      registerOrder,
    );
  }

  /**
   * Long-polls until `done(order)` holds (default: no longer open) or `timeoutMs` passes, then
   * returns the order as it last was. Passes the version it has so no change is missed
   * between two polls.
   */
  async waitFor(
    orderNo: string,
    done: (order: RegisterOrder) => boolean = (o) => o.status !== 'open',
    timeoutMs = 120_000,
  ): Promise<RegisterOrder> {
    const deadline = Date.now() + timeoutMs;
    let order = await this.query(orderNo);
    while (!done(order)) {
      const left = deadline - Date.now();
      if (left <= 0) return order;
      order = await this.poll(orderNo, Math.min(left, 25_000), order.version);
    }
    return order;
  }

  /** Only an order with no payment. */
  cancel(orderNo: string, request: CancelRequest = {}): Promise<RegisterOrder> {
    return exchange(
      this.connection,
      {
        method: 'POST',
        path: `${orderPath(orderNo)}/cancel`,
        body: validated(cancelRequest, request),
      },
      registerOrder,
    );
  }

  /**
   * Full (neither amountFen nor lines), by amount, or by lines; keyed by refundNo. A 403
   * APPROVAL_REQUIRED asks for the same request again with a manager's PIN.
   */
  refund(orderNo: string, request: RefundRequest): Promise<RefundResponse> {
    return exchange(
      this.connection,
      {
        method: 'POST',
        path: `${orderPath(orderNo)}/refunds`,
        body: validated(refundRequest, request),
      },
      refundResponse,
    );
  }

  /** This register's orders of a business day (default today) with totals, to reconcile. */
  list(date?: string): Promise<DayList> {
    return exchange(
      this.connection,
      { method: 'GET', path: REGISTER_ORDERS_PATH, query: { date } },
      dayList,
    );
  }
}
