/**
 * The pole display's confirmed total as a sale: the StartAmountSale seam of
 * peripherals/pole-display, joined to the register machinery.
 *
 * Why a register order: the pole display is the shop's existing register speaking RS-232, so it
 * is a register, built in (ledger builtInRegister: a row named "Pole display <port>" with no
 * token that can ever authenticate), and each confirmed total is an order on it. BUSY against
 * the till's own sale, the daily report per register, the register origin synced to the cloud
 * and the customer display's amount panel then come from the one implementation of orders. What
 * differs is who settles it: no register API is on the other end, so the till pays or voids it
 * (ledger refuseIfRegisterSale 'settle'); its lines stay the register's.
 *
 * Order numbers are the shop's local time and a counter (P20261206-131000-1): readable in the
 * per-register list, unique however often the same total is confirmed in one second.
 */
import { PosError, type Sale } from '../contract';
import type { Ledger } from '../ledger';
import { cleanDeviceName } from './pairing-code';
import type { StartAmountSale } from './peripherals';
import type { RegisterService } from './registers';

export function poleAmountSales(o: {
  ledger: Ledger;
  registers: RegisterService;
  /** The serial port the register's display cable goes to (--pole-display). */
  port: string;
  now: () => number;
}): StartAmountSale {
  const stamp = localStamp(o.ledger.timezone);
  return ({ amountFen }): Sale => {
    if (!Number.isInteger(amountFen) || amountFen < 1)
      throw new PosError('VALIDATION', 'a total to take is whole fen above zero', 'amountFen');
    const register = o.ledger.registers.builtIn(
      `pole:${o.port}`,
      cleanDeviceName(`Pole display ${o.port}`),
    );
    const prefix = `P${stamp(o.now())}`;
    let n = 1;
    while (o.ledger.registers.orderByNo(register.id, `${prefix}-${n}`) !== null) n += 1;
    const { order } = o.registers.create(register, { orderNo: `${prefix}-${n}`, amountFen });
    return o.ledger.getSale(order.saleId);
  };
}

/** YYYYMMDD-HHMMSS in the shop's time zone. */
function localStamp(timezone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  return (ms) => {
    const p: Record<string, string> = {};
    for (const part of format.formatToParts(new Date(ms))) p[part.type] = part.value;
    return `${p.year}${p.month}${p.day}-${p.hour}${p.minute}${p.second}`;
  };
}
