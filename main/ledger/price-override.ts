/**
 * A manager's price override on a cart line: the line keeps its product but sells at another
 * unit price. Same rules as any cart edit (open sale, no payment yet, the line's amount and
 * discount bounds re-checked by priceSale). An overridden line no longer matches its product's
 * price, so a later scan of the same product starts a new line at the catalogue price.
 */
import { PosError, type Sale } from '../contract';
import { saveCart } from './carts';
import type { Ctx } from './context';
import { priceSale } from './pricing';
import { cartToSale, hasPayments } from './sale-view';
import { refuseIfRegisterSale } from './registers';
import { requireOpenCart } from './sales';
import { checkAmount, checkLineNo } from './validate';

export function overridePrice(
  ctx: Ctx,
  saleId: string,
  lineNo: number,
  unitPriceFen: number,
): { sale: Sale; fromFen: number } {
  const price = checkAmount(unitPriceFen, 'unitPriceFen');
  const no = checkLineNo(lineNo);
  return ctx.tx(() => {
    const cart = requireOpenCart(ctx, saleId);
    refuseIfRegisterSale(ctx, saleId);
    if (hasPayments(ctx, saleId))
      throw new PosError(
        'SALE_HAS_PAYMENTS',
        `sale ${saleId} already has payments; it can no longer be changed`,
        'saleId',
      );
    const line = cart.lines.find((l) => l.lineNo === no);
    if (!line) throw new PosError('NOT_FOUND', `sale ${saleId} has no line ${no}`, 'lineNo');
    const fromFen = line.unitPriceFen;
    line.unitPriceFen = price;
    priceSale(cart.lines, cart.saleDiscountFen);
    saveCart(ctx, cart);
    return { sale: cartToSale(ctx, cart, []), fromFen };
  });
}
