/**
 * Shifts and the cash drawer. One open shift per terminal at a time. Opening, each cash
 * movement and closing are append-only rows (a closing is its own row), chained in the audit
 * log and announced in the outbox.
 *
 * Each of these rows records the person signed in at the till (opened by, closed by, who moved
 * the cash).
 *
 * Expected cash = float + cash sales - cash refunds + cash in - cash out, where cash sales are
 * the cash applied to sales during the shift (what stayed in the drawer: tendered minus change)
 * and cash refunds the cash paid back during the shift. Variance = counted - expected.
 */
import { PosError, type Shift } from '../contract';
import { appendAudit, content } from './audit';
import { activeCart } from './carts';
import type { Ctx } from './context';
import { appendOutbox } from './outbox';
import {
  CASH_MOVEMENTS,
  SHIFT_CLOSES,
  SHIFTS,
  type CashMovementRow,
  type ShiftCloseRow,
  type ShiftRow,
} from './rows';
import { hasPayments } from './sale-view';
import { requireOperator, staffRefOf } from './staff';
import { checkAmount, checkText } from './validate';

export function latestShiftRow(ctx: Ctx): ShiftRow | undefined {
  return SHIFTS.select(ctx, 'terminal_id = ? ORDER BY seq DESC LIMIT 1').get(ctx.terminalId) as
    ShiftRow | undefined;
}

function closeRowOf(ctx: Ctx, shiftId: string): ShiftCloseRow | undefined {
  return SHIFT_CLOSES.select(ctx, 'shift_id = ?').get(shiftId) as ShiftCloseRow | undefined;
}

/** The open shift, if any. Shifts open one after another, so only the latest can be open. */
export function openShiftRow(ctx: Ctx): ShiftRow | null {
  const s = latestShiftRow(ctx);
  return s && !closeRowOf(ctx, s.id) ? s : null;
}

export function requireOpenShift(ctx: Ctx): ShiftRow {
  const s = openShiftRow(ctx);
  if (!s) throw new PosError('NO_OPEN_SHIFT', 'no shift is open; open a shift first');
  return s;
}

interface CashFigures {
  cashSalesFen: number;
  cashRefundsFen: number;
  cashInFen: number;
  cashOutFen: number;
}

function liveFigures(ctx: Ctx, shiftId: string): CashFigures {
  const sales = ctx
    .stmt(
      `SELECT COALESCE(SUM(amount_fen), 0) AS v FROM payments
       WHERE shift_id = ? AND method = 'cash'`,
    )
    .get(shiftId) as { v: number };
  const refunds = ctx
    .stmt(
      `SELECT COALESCE(SUM(rp.amount_fen), 0) AS v FROM refunds r
       JOIN refund_payments rp ON rp.refund_id = r.id
       WHERE r.shift_id = ? AND rp.method = 'cash'`,
    )
    .get(shiftId) as { v: number };
  const moves = ctx
    .stmt(
      `SELECT COALESCE(SUM(CASE kind WHEN 'in' THEN amount_fen END), 0) AS cin,
              COALESCE(SUM(CASE kind WHEN 'out' THEN amount_fen END), 0) AS cout
       FROM cash_movements WHERE shift_id = ?`,
    )
    .get(shiftId) as { cin: number; cout: number };
  return {
    cashSalesFen: sales.v,
    cashRefundsFen: refunds.v,
    cashInFen: moves.cin,
    cashOutFen: moves.cout,
  };
}

function expected(floatFen: number, f: CashFigures): number {
  return floatFen + f.cashSalesFen - f.cashRefundsFen + f.cashInFen - f.cashOutFen;
}

export function toShift(ctx: Ctx, s: ShiftRow): Shift {
  const closed = closeRowOf(ctx, s.id);
  if (closed)
    return {
      id: s.id,
      status: 'closed',
      openedAt: s.opened_at,
      closedAt: closed.closed_at,
      floatFen: s.float_fen,
      cashInFen: closed.cash_in_fen,
      cashOutFen: closed.cash_out_fen,
      cashSalesFen: closed.cash_sales_fen,
      cashRefundsFen: closed.cash_refunds_fen,
      expectedCashFen: closed.expected_fen,
      countedCashFen: closed.counted_fen,
      varianceFen: closed.variance_fen,
      openedBy: staffRefOf(ctx, s.operator_id),
      closedBy: staffRefOf(ctx, closed.operator_id),
    };
  const f = liveFigures(ctx, s.id);
  return {
    id: s.id,
    status: 'open',
    openedAt: s.opened_at,
    closedAt: null,
    floatFen: s.float_fen,
    ...f,
    expectedCashFen: expected(s.float_fen, f),
    countedCashFen: null,
    varianceFen: null,
    openedBy: staffRefOf(ctx, s.operator_id),
    closedBy: null,
  };
}

export function currentShift(ctx: Ctx): Shift | null {
  const s = openShiftRow(ctx);
  return s ? toShift(ctx, s) : null;
}

export function shiftsOfDate(ctx: Ctx, businessDate: string): Shift[] {
  const rows = SHIFTS.select(ctx, 'terminal_id = ? AND business_date = ? ORDER BY seq').all(
    ctx.terminalId,
    businessDate,
  ) as ShiftRow[];
  return rows.map((r) => toShift(ctx, r));
}

export function openShift(ctx: Ctx, floatFen: number, operatorId: string): Shift {
  const float = checkAmount(floatFen, 'floatFen');
  return ctx.tx(() => {
    const operator = requireOperator(ctx, operatorId);
    const open = openShiftRow(ctx);
    if (open)
      throw new PosError('SHIFT_ALREADY_OPEN', `shift ${open.id} is already open; close it first`);
    const at = ctx.now();
    const openedAt = at.toISOString();
    const row: ShiftRow = {
      id: ctx.newId(at),
      terminal_id: ctx.terminalId,
      opened_at: openedAt,
      business_date: ctx.businessMoment(at).date,
      float_fen: float,
      operator_id: operator?.id ?? null,
    };
    SHIFTS.insert(ctx, row);
    appendAudit(ctx, 'shift_open', row.id, content.shiftOpen(row), openedAt);
    const shift = toShift(ctx, row);
    appendOutbox(ctx, 'shift.opened', shift, at, openedAt);
    return shift;
  });
}

export function cashMovement(
  ctx: Ctx,
  kind: 'in' | 'out',
  amountFen: number,
  reason: string,
  operatorId: string,
): Shift {
  if (kind !== 'in' && kind !== 'out')
    throw new PosError('VALIDATION', "kind: expected 'in' or 'out'", 'kind');
  const amount = checkAmount(amountFen, 'amountFen', true);
  const why = checkText(reason, 'reason');
  return ctx.tx(() => {
    const operator = requireOperator(ctx, operatorId);
    const s = requireOpenShift(ctx);
    if (kind === 'out') {
      const inDrawer = expected(s.float_fen, liveFigures(ctx, s.id));
      if (amount > inDrawer)
        throw new PosError(
          'AMOUNT_OUT_OF_RANGE',
          `cannot pay out ${amount} fen: the drawer should hold ${inDrawer} fen`,
          'amountFen',
        );
    }
    const at = ctx.now();
    const createdAt = at.toISOString();
    const row: CashMovementRow = {
      id: ctx.newId(at),
      shift_id: s.id,
      kind,
      amount_fen: amount,
      reason: why,
      created_at: createdAt,
      operator_id: operator?.id ?? null,
    };
    CASH_MOVEMENTS.insert(ctx, row);
    appendAudit(ctx, 'cash', row.id, content.cash(row), createdAt);
    const shift = toShift(ctx, s);
    appendOutbox(
      ctx,
      'shift.cash',
      {
        movement: {
          id: row.id,
          shiftId: s.id,
          kind,
          amountFen: amount,
          reason: why,
          createdAt,
          operator,
        },
        shift,
      },
      at,
      createdAt,
    );
    return shift;
  });
}

export function closeShift(ctx: Ctx, countedFen: number, operatorId: string): Shift {
  const counted = checkAmount(countedFen, 'countedFen');
  return ctx.tx(() => {
    const operator = requireOperator(ctx, operatorId);
    const s = requireOpenShift(ctx);
    // A part-paid sale would otherwise complete in the next shift with its cash in this one.
    const cart = activeCart(ctx);
    if (cart && hasPayments(ctx, cart.id))
      throw new PosError(
        'SALE_HAS_PAYMENTS',
        `sale ${cart.id} is part-paid; finish it before closing the shift`,
      );
    const at = ctx.now();
    const closedAt = at.toISOString();
    const f = liveFigures(ctx, s.id);
    const exp = expected(s.float_fen, f);
    const row: ShiftCloseRow = {
      shift_id: s.id,
      closed_at: closedAt,
      cash_sales_fen: f.cashSalesFen,
      cash_refunds_fen: f.cashRefundsFen,
      cash_in_fen: f.cashInFen,
      cash_out_fen: f.cashOutFen,
      expected_fen: exp,
      counted_fen: counted,
      variance_fen: counted - exp,
      operator_id: operator?.id ?? null,
    };
    SHIFT_CLOSES.insert(ctx, row);
    appendAudit(ctx, 'shift_close', s.id, content.shiftClose(row), closedAt);
    const shift = toShift(ctx, s);
    appendOutbox(ctx, 'shift.closed', shift, at, closedAt);
    return shift;
  });
}
